"""The monthly report's numbers as people read them: no "29.50" on pages, numbers with formats in the workbook."""
from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import openpyxl
import pytest

from tests.factories import utc
from tests.integration.reports import dataset
from volunteers.core.timeutil import Month
from volunteers.reports import services as reports

#: a figure written with two zero decimals that is not money (money keeps its pence: "£473.00")
ZERO_DECIMALS = re.compile(r"(?<![£€$\d,.])\d[\d,]*\.00(?!\d)")


@pytest.fixture()
def october(db, ledger):
    built = dataset.build(ledger)
    reports.issue_report(ledger.org, Month(2026, 10), utc(2026, 11, 1, 6), None)
    db.session.commit()
    return built


def _visible(html: str) -> str:
    """Return the page without its tags' attributes (fingerprints and ids are no figures)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_report_pages_and_statements_show_no_trailing_zeros(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    pages = {url: client.get(url) for url in ("/reports/monthly/2026-10", "/reports/monthly/2026-10.html",
                                              "/me/statement?month=2026-10", "/me/statement?year=2026")}
    for url, page in pages.items():
        text = _visible(page.get_data(as_text=True))
        assert page.status_code == 200, url
        assert ZERO_DECIMALS.findall(text) == [], url
    report = _visible(pages["/reports/monthly/2026-10"].get_data(as_text=True))
    assert "29.5 hours given" in " ".join(report.split()) and "£473.00" in report
    assert "top20_share" not in report


def test_the_zero_decimals_check_finds_what_it_is_for() -> None:
    assert ZERO_DECIMALS.findall("820.00 hours, 1,234.00 h, £1,234.00, €5.00, 0.005") == ["820.00", "1,234.00"]


def test_the_workbook_holds_numbers_with_number_formats_and_names_figures_in_words(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/monthly/2026-10.xlsx").data))
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert "top20_share" not in summary and "Share of hours given by the top 20%" in summary
    hours, value = summary["Hours given"], summary["Value of all contributions"]
    assert (hours.value, hours.number_format) == (29.5, "#,##0.0#")
    assert (value.value, value.number_format) == (473, "£#,##0.00")
    volunteers = summary["Active volunteers"]
    assert isinstance(volunteers.value, int | float) and volunteers.number_format == "#,##0"
    assert summary["Share of places filled"].number_format == "0%"
    assert 0 <= summary["Share of places filled"].value <= 1
    assert summary["Gini coefficient of hours (0 = an even spread)"].number_format == "0.00"
    by_volunteer = book["By volunteer"]["C"][1:]
    assert by_volunteer and all(c.number_format == "#,##0.0#" and isinstance(c.value, int | float)
                                for c in by_volunteer)
    assert all(c.number_format == "£#,##0.00" for c in book["Value by kind"]["B"][1:])
    assert [c.value for c in book["Summary"]["A"]][:2] == ["Figure", "Organisation (short name)"]


def _words(sheet: Any) -> list[str]:
    """Every text cell of a sheet: its header and the labels people read."""
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


#: what a code looks like: lower case words joined by underscores (top20_share, in_kind, previous_month)
CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def test_every_sheet_of_the_workbook_speaks_words_and_formats_each_number(client, auth, october) -> None:
    """Headers, figures and coded items in words; counts as 51 (not 51.00), shares as 97%, money with £."""
    auth.login("coordinator@tackley.example")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/monthly/2026-10.xlsx").data))
    for sheet in book:
        header = [c.value for c in sheet[1]]
        assert all(h and h[0].isupper() and "_" not in h for h in header), (sheet.title, header)
        assert [w for w in _words(sheet) if CODE.match(w)] == [], sheet.title
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float):
                    assert cell.number_format != "General", (sheet.title, cell.coordinate)
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["Month"].value == "October 2026"
    assert [row[0].value for row in book["By kind"].iter_rows(min_row=2)] == ["Expertise", "In kind", "Money", "Time"]
    assert "Unspecified" in [row[0].value for row in book["By role"].iter_rows(min_row=2)]
    weeks = [row[0] for row in book["By week"].iter_rows(min_row=2)]
    assert weeks and all(isinstance(w.value, datetime) and w.number_format == "d mmm yyyy" for w in weeks)
    compared = [[c.value for c in row[:3]] + [row[5]] for row in book["Comparisons"].iter_rows(min_row=2)]
    assert ["Previous month", "September 2026", "Hours given"] in [c[:3] for c in compared]
    for *_, change in compared:
        assert change.value is None or change.number_format == "+0.0%;-0.0%;0.0%"
    json_figures = client.get("/reports/monthly/2026-10.json").get_json()
    hours_change = json_figures["comparisons"]["previous_month"]["changes"]["hours"]["percent"]
    hours_row = next(c for c in compared if c[:3] == ["Previous month", "September 2026", "Hours given"])
    assert hours_row[3].value == pytest.approx(hours_change / 100)  # +637.5% in the JSON, 6.375 shown as +637.5%


def test_the_csv_keeps_the_codes_and_plain_numbers(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    lines = client.get("/reports/monthly/2026-10.csv").get_data(as_text=True).splitlines()
    assert "summary,top20_share,," in "\n".join(lines) and "summary,hours,,29.5" in lines
