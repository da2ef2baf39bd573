"""render.csv_text and render.xlsx_bytes: typed text is quoted once and stored as text; numbers keep their sign."""
from __future__ import annotations

import csv
import io

import openpyxl

from volunteers.reports import render

FIGURES = {
    "organisation": "tackley", "organisation_name": "=Tackley", "month": "2026-10",
    "by_volunteer": [{"name": "=1+1", "email": "=a@tackley.example", "hours": -2.5},
                     {"name": "#N/A", "email": "-b@tackley.example", "hours": 3},
                     {"name": "'=quoted", "email": "c@tackley.example", "hours": 0.5}],
    "by_role": {"+Shop": -1.25},
    "thank_you": ["@SUM(1+1)", "\tTab"],
}


def test_the_csv_quotes_text_once_and_keeps_negative_numbers() -> None:
    rows = list(csv.reader(io.StringIO(render.csv_text(FIGURES))))
    assert ["summary", "organisation_name", "", "'=Tackley"] in rows
    assert ["by_volunteer", "'=1+1", "'=a@tackley.example", "-2.5"] in rows
    assert ["by_volunteer", "#N/A", "'-b@tackley.example", "3"] in rows
    assert ["by_volunteer", "''=quoted", "c@tackley.example", "0.5"] in rows
    assert ["by_role", "'+Shop", "", "-1.25"] in rows
    assert ["thank_you", "'@SUM(1+1)", "", ""] in rows and ["thank_you", "'\tTab", "", ""] in rows


def test_the_workbook_stores_text_as_text_and_numbers_as_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render.xlsx_bytes(FIGURES)))
    cells = [cell for sheet in book for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} <= {"s", "n"}
    people = [[c.value for c in row] for row in book["By volunteer"].iter_rows(min_row=2)]
    assert people == [["'=1+1", "'=a@tackley.example", -2.5], ["#N/A", "'-b@tackley.example", 3],
                      ["''=quoted", "c@tackley.example", 0.5]]
    assert book["By volunteer"]["B3"].data_type == "s" and book["By volunteer"]["A3"].data_type == "s"
    assert [[c.value for c in row] for row in book["By role"].iter_rows(min_row=2)] == [["'+Shop", -1.25]]
    assert book["By role"]["B2"].data_type == "n"
