"""The privacy rules, without an app: names and addresses after erasure, retention dates, the download's files."""
from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from volunteers.privacy.domain import tables
from volunteers.privacy.domain.rules import (
    DEFAULT_RETENTION_MONTHS,
    erased_email,
    erasure_scope,
    export_filename,
    former_volunteer_name,
    is_erased_email,
    left_since,
    retention_due,
    retention_months,
)


def test_an_erased_person_is_named_by_id_and_gets_a_never_deliverable_unique_address() -> None:
    assert former_volunteer_name(42) == "Former volunteer #42"
    assert erased_email(42) == "erased-42@invalid" == erased_email(42).lower()
    assert erased_email(42) != erased_email(43)
    assert is_erased_email(erased_email(7)) and not is_erased_email("ann@tackley.example")


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 8, 31), False),  # exactly 24 months: not *more than*
    (date(2026, 9, 1), True),
    (date(2025, 1, 1), False),
])
def test_retention_counts_calendar_months_after_leaving(today: date, due: bool) -> None:
    assert retention_due(date(2024, 8, 31), today, 24) is due


def test_retention_from_the_end_of_a_month_clamps_to_the_shorter_month() -> None:
    # 31 Aug + 6 months is 28 Feb 2025: gone more than 6 months from 1 Mar
    assert not retention_due(date(2024, 8, 31), date(2025, 2, 28), 6)
    assert retention_due(date(2024, 8, 31), date(2025, 3, 1), 6)


@pytest.mark.parametrize(("setting", "months"), [
    (None, DEFAULT_RETENTION_MONTHS), (12, 12), ("6", 6), (0, DEFAULT_RETENTION_MONTHS), (-3, DEFAULT_RETENTION_MONTHS),
    (True, DEFAULT_RETENTION_MONTHS), ("soon", DEFAULT_RETENTION_MONTHS), (10**9, DEFAULT_RETENTION_MONTHS),
    (1.5, DEFAULT_RETENTION_MONTHS),
])
def test_the_retention_setting_falls_back_to_24_months_unless_usable(setting: object, months: int) -> None:
    assert retention_months(setting) == months


def test_left_since_prefers_the_recorded_date_then_last_activity_then_creation() -> None:
    created, active, left = date(2020, 1, 5), date(2023, 6, 1), date(2023, 7, 1)
    assert left_since(left, active, created) == left
    assert left_since(None, active, created) == active
    assert left_since(None, None, created) == created


def test_erasing_wipes_the_person_only_when_they_belong_nowhere_else() -> None:
    assert erasure_scope([]).wipes_person
    other = erasure_scope(["Sure Start", "Allotments"])
    assert not other.wipes_person and other.other_organisations == ("Allotments", "Sure Start")


def test_the_download_is_named_by_date() -> None:
    assert export_filename(date(2026, 12, 5)) == "volunteers-data-2026-12-05.zip"


def test_csv_cells_a_spreadsheet_would_run_are_quoted_and_numbers_stay_numbers() -> None:
    rows = [{"name": '=HYPERLINK("http://evil.example","x")', "hours": Decimal("-2.5"), "notes": "@SUM(1+1)",
             "prefs": {"roles": ["shop"]}, "active": True, "phone": None}]
    text = tables.csv_text(rows, ["name", "hours", "notes", "prefs", "active", "phone"])
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == ["name", "hours", "notes", "prefs", "active", "phone"]
    assert row[0] == '\'=HYPERLINK("http://evil.example","x")' and row[2] == "'@SUM(1+1)"
    assert row[1] == "-2.5"  # a number, not text: a reversal's hours still add up
    assert json.loads(row[3]) == {"roles": ["shop"]} and row[4] == "true" and row[5] == ""


def test_the_download_has_data_json_and_one_csv_per_table_with_a_header_even_when_empty() -> None:
    document = {"generated_at": datetime(2026, 12, 5, 10, tzinfo=UTC), "person": {"id": 1, "name": "Ann"},
                "leave": [], "assignments": [{"id": 3, "shift_date": date(2026, 12, 1)}]}
    files = dict(tables.files(document, ["person", "leave", "assignments"], {"leave": ["id", "starts_on"]}))
    assert list(files) == ["data.json", "person.csv", "leave.csv", "assignments.csv"]
    data = json.loads(files["data.json"])
    assert data["generated_at"] == "2026-12-05T10:00:00+00:00" and data["assignments"][0]["shift_date"] == "2026-12-01"
    assert files["leave.csv"].splitlines() == ["id,starts_on"]
    assert files["person.csv"].splitlines() == ["id,name", "1,Ann"]
