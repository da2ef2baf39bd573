"""Monthly series ("the first Tuesday", "the last Friday") and the bank holidays of the four nations."""
from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from volunteers.rota.domain.bank_holidays import bank_holidays, nation_of
from volunteers.rota.domain.recurrence import SeriesRule, build_rrule, describe, occurrences, parse_rrule

LONDON = ZoneInfo("Europe/London")
TUE, FRI, SUN = 1, 4, 6


def dates(rule: str, first: date, last: date, start: time = time(10), end: time = time(12), **kw) -> list[date]:
    return [o.local_date for o in occurrences(rule, first, start, end, LONDON, first, last, **kw)]


def test_monthly_rules_round_trip_and_read_like_a_rota() -> None:
    first_tuesday = build_rrule({TUE}, month_position=1)
    assert first_tuesday == "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1"
    assert parse_rrule(first_tuesday) == SeriesRule(frozenset({TUE}), 1, None, 1)
    assert describe(first_tuesday) == "The first Tuesday of each month"
    last_friday = build_rrule({FRI}, 2, date(2027, 6, 30), month_position=-1)
    assert parse_rrule(last_friday) == SeriesRule(frozenset({FRI}), 2, date(2027, 6, 30), -1)
    assert describe(last_friday) == "The last Friday of every 2 months, until Wed 30 Jun 2027"


@pytest.mark.parametrize("text, message", [
    ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=5", "BYSETPOS"),
    ("FREQ=MONTHLY;BYDAY=TU,TH;BYSETPOS=1", "one weekday"),
    ("FREQ=MONTHLY;BYDAY=1TU", "BYDAY value"),
    ("FREQ=WEEKLY;BYDAY=TU;BYSETPOS=1", "unsupported RRULE part"),
])
def test_monthly_rules_outside_the_subset_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rrule(text)


def test_a_monthly_series_needs_one_weekday_and_a_known_position() -> None:
    with pytest.raises(ValueError, match="one weekday"):
        build_rrule({TUE, FRI}, month_position=1)
    with pytest.raises(ValueError, match="month_position"):
        build_rrule({TUE}, month_position=0)


def test_first_tuesday_runs_across_the_year_end() -> None:
    rule = build_rrule({TUE}, month_position=1)
    assert dates(rule, date(2026, 11, 15), date(2027, 2, 28)) == [date(2026, 12, 1), date(2027, 1, 5),
                                                                  date(2027, 2, 2)]


def test_last_sunday_night_keeps_local_midnight_and_its_real_length_across_both_clock_changes() -> None:
    rule = build_rrule({SUN}, month_position=-1)
    found = occurrences(rule, date(2026, 1, 1), time(0), time(6), LONDON, date(2026, 3, 1), date(2026, 10, 31))
    by_day = {o.local_date: o for o in found}
    assert by_day[date(2026, 3, 29)].hours == 5  # clocks go forward that night
    assert by_day[date(2026, 10, 25)].hours == 7  # and back
    assert by_day[date(2026, 6, 28)].hours == 6
    assert all(o.start_utc.astimezone(LONDON).time() == time(0) for o in found)


def test_the_last_friday_of_2026_is_christmas_day_and_a_skipping_series_leaves_it_out() -> None:
    rule = build_rrule({FRI}, month_position=-1)
    holidays = bank_holidays("ENG", date(2026, 11, 1), date(2027, 1, 31))
    assert holidays[date(2026, 12, 25)] == "Christmas Day"
    assert dates(rule, date(2026, 11, 1), date(2027, 1, 31)) == [date(2026, 11, 27), date(2026, 12, 25),
                                                                 date(2027, 1, 29)]
    assert dates(rule, date(2026, 11, 1), date(2027, 1, 31), exdates=holidays) == [date(2026, 11, 27),
                                                                                    date(2027, 1, 29)]


def test_each_nation_keeps_its_own_bank_holidays() -> None:
    def names(nation: str, first: date, last: date) -> set[str]:
        return set(bank_holidays(nation, first, last).values())

    assert "Saint Andrew's Day" in names("SCT", date(2026, 11, 30), date(2026, 11, 30))
    assert names("ENG", date(2026, 11, 30), date(2026, 11, 30)) == set()
    assert "Saint Patrick's Day" in names("NIR", date(2026, 3, 17), date(2026, 3, 17))
    assert date(2026, 1, 2) in bank_holidays("SCT", date(2025, 12, 20), date(2026, 1, 10))  # 2 January
    assert date(2026, 1, 2) not in bank_holidays("WLS", date(2025, 12, 20), date(2026, 1, 10))
    # the year end: Boxing Day falls on a Saturday in 2026, so the Monday after is the substitute day
    assert date(2026, 12, 28) in bank_holidays("ENG", date(2026, 12, 20), date(2027, 1, 5))
    with pytest.raises(ValueError, match="unknown nation"):
        bank_holidays("XYZ", date(2026, 1, 1), date(2026, 1, 2))


def test_an_organisation_without_a_nation_keeps_englands_calendar() -> None:
    assert nation_of({}) == nation_of(None) == nation_of({"bank_holiday_nation": "Narnia"}) == "ENG"
    assert nation_of({"bank_holiday_nation": "sct"}) == "SCT"
