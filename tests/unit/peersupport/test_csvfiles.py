"""Parsing the cases and contacts CSVs: every problem names its line and field."""
from __future__ import annotations

from datetime import date

import pytest

from volunteers.core.csv_errors import CsvImportError
from volunteers.peersupport.domain.csvfiles import parse_cases_csv, parse_contacts_csv

CASES = "reference,first_name,born_on,area,phone,language,supporter\n"
CONTACTS = "reference,date,supporter,mode,minutes,outcome\n"


def errors_of(parse, text):
    with pytest.raises(CsvImportError) as caught:
        parse(text, "f.csv")
    return str(caught.value).splitlines()


def test_cases_parse_with_optional_closing_columns():
    rows = parse_cases_csv("reference,first_name,born_on,area,phone,language,supporter,closed_on,closed_reason\n"
                           "M1,Amy,2026-11-01,Felling,0191,English,Ann@Example.org,,\n"
                           "M2,Bea,2026-10-01,,,,,2026-11-02,moved_away\n"
                           "M3,Cat,2026-10-01,,,,,2026-11-02,\n")
    assert [(r.reference, r.supporter, r.closed_on, r.closed_reason) for r in rows] == [
        ("M1", "ann@example.org", None, None), ("M2", None, date(2026, 11, 2), "moved_away"),
        ("M3", None, date(2026, 11, 2), "other")]


def test_cases_errors_name_line_and_field():
    assert errors_of(parse_cases_csv, CASES + "M1,Amy,2026-13-01,,,,\nM2,,2026-11-01,,,,not-an-email\n") == [
        "f.csv:2: field 'born_on': must be a date as YYYY-MM-DD, got '2026-13-01'",
        "f.csv:3: field 'first_name': must not be empty",
        "f.csv:3: field 'supporter': must be an e-mail address, got 'not-an-email'",
    ]


def test_a_duplicate_reference_names_its_second_line():
    assert errors_of(parse_cases_csv, CASES + "M1,Amy,2026-11-01,,,,\nM1,Bea,2026-11-02,,,,\n") == [
        "f.csv:3: field 'reference': 'M1' is already on line 2"]


def test_a_missing_column_is_named_on_the_header_line():
    assert errors_of(parse_cases_csv, "reference,first_name,area,phone,language,supporter\n") == [
        "f.csv:1: field 'born_on': missing column"]


def test_contacts_refuse_more_than_12_hours_and_unknown_modes():
    assert errors_of(parse_contacts_csv, CONTACTS + "M1,2026-11-01,a@b.org,ward,721,\nM1,2026-11-01,a@b.org,fax,5,\n"
                     "M1,2026-11-01,,phone,0,\n") == [
        "f.csv:2: field 'minutes': a contact of more than 12 hours (720 minutes) is refused, got 721",
        "f.csv:3: field 'mode': must be one of ward, home, phone, group, helpline, got 'fax'",
        "f.csv:4: field 'supporter': must be the e-mail of the member who made the contact",
        "f.csv:4: field 'minutes': must be more than 0",
    ]
    rows = parse_contacts_csv(CONTACTS + "M1,2026-11-01,a@b.org,Ward,720,'=fine\n")
    assert (rows[0].mode, rows[0].minutes, rows[0].outcome) == ("ward", 720, "=fine")
