"""The bounded parsers every edge uses: ids the database holds, counts, dates with neighbours, finite numbers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from volunteers.core import params
from volunteers.core.timeutil import Month


@pytest.mark.parametrize("text", ["1", "42", " 7 ", str(2**31 - 1)])
def test_ids_the_database_holds_are_read(text: str) -> None:
    assert params.parse_id(text) == int(text)


@pytest.mark.parametrize("text", ["", "0", "-1", "+1", "1.0", "1e3", str(2**31), "99999999999999999999",
                                  "٣", "9" * 5000, None, "abc"])
def test_anything_else_is_not_an_id(text: str | None) -> None:
    with pytest.raises(ValueError, match="record number"):
        params.parse_id(text)


def test_counts_are_bounded() -> None:
    assert params.parse_count("100") == 100
    for bad in ("0", "101", "99999999999999999999", "-3", "two", ""):
        with pytest.raises(ValueError, match="from 1 to 100"):
            params.parse_count(bad)


@pytest.mark.parametrize("text", ["1e300", "NaN", "Infinity", "-1", "1001", "9" * 400, "", "abc"])
def test_decimals_are_finite_and_bounded(text: str) -> None:
    with pytest.raises(ValueError, match="from 0 to 1000"):
        params.parse_decimal(text, high=1000)


def test_decimals_in_range_are_rounded() -> None:
    assert params.parse_decimal(" 2.345 ", high=1000) == Decimal("2.35")


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01", "2026-02-30", "2026-1-1",
                                  "20261101", ""])
def test_dates_outside_the_calendar_or_malformed_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        params.parse_date(text)


def test_dates_inside_the_calendar_are_read() -> None:
    assert params.parse_date("1900-01-01") == date(1900, 1, 1)
    assert params.parse_date("2999-12-31") == date(2999, 12, 31)


@pytest.mark.parametrize("text", ["9999-12", "0001-01", "1899-12", "3000-01"])
def test_months_outside_the_calendar_are_refused_naming_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected a month as YYYY-MM, got .*1900 to 2999"):
        Month.parse(text)


def test_every_month_in_the_calendar_has_bounds() -> None:
    for text in ("1900-01", "2999-12"):
        start, end = Month.parse(text).bounds("Pacific/Kiritimati")
        assert start < end


@pytest.mark.parametrize("text", ["0001", "9999", "99999999999999999999", "20", "year"])
def test_years_are_bounded(text: str) -> None:
    with pytest.raises(ValueError, match="year"):
        params.parse_year(text)


def test_lengths_are_checked_against_the_column() -> None:
    assert params.check_length("Ann", 200) == "Ann"
    with pytest.raises(ValueError, match="at most 200 characters, got 100000"):
        params.check_length("A" * 100_000, 200)
