"""Time rules: UTC storage, local calendars, both 2026 clock changes in London."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from volunteers.core import timeutil as tu

LONDON = ZoneInfo("Europe/London")
SPRING = date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
AUTUMN = date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_utcnow_is_aware_utc() -> None:
    now = tu.utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_zone_accepts_names_and_tzinfos_and_refuses_unknown() -> None:
    assert tu.zone("Europe/London") == LONDON
    assert tu.zone(LONDON) is LONDON
    with pytest.raises(ValueError, match="unknown time zone"):
        tu.zone("Europe/Tackley")


def test_to_local_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        tu.to_local(datetime(2026, 11, 3, 9), LONDON)


def test_to_local_and_local_date_follow_summer_time() -> None:
    # 23:30 UTC on 30 June is already 1 July in London (BST)
    assert tu.local_date(utc(2026, 6, 30, 23, 30), LONDON) == date(2026, 7, 1)
    assert tu.local_date(utc(2026, 12, 31, 23, 30), LONDON) == date(2026, 12, 31)
    assert tu.to_local(utc(2026, 6, 30, 23, 30), "Europe/London").hour == 0


def test_local_to_utc_in_winter_and_summer() -> None:
    assert tu.local_to_utc(date(2026, 11, 3), time(9), LONDON) == utc(2026, 11, 3, 9)
    assert tu.local_to_utc(date(2026, 7, 3), time(9), LONDON) == utc(2026, 7, 3, 8)


def test_nonexistent_spring_forward_time_moves_forward_by_the_gap() -> None:
    # 01:30 does not exist on 29 Mar 2026; it becomes 02:30 BST = 01:30 UTC
    got = tu.local_to_utc(SPRING, time(1, 30), LONDON)
    assert got == utc(2026, 3, 29, 1, 30)
    assert tu.to_local(got, LONDON).time() == time(2, 30)


def test_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    # 01:30 happens twice on 25 Oct 2026; the first is 01:30 BST = 00:30 UTC
    assert tu.local_to_utc(AUTUMN, time(1, 30), LONDON) == utc(2026, 10, 25, 0, 30)


def test_night_shift_across_autumn_clock_change_lasts_seven_hours() -> None:
    start, end = tu.shift_bounds(AUTUMN, time(0), time(6), LONDON)
    assert (start, end) == (utc(2026, 10, 24, 23), utc(2026, 10, 25, 6))
    assert tu.duration_hours(start, end) == 7


def test_night_shift_across_spring_clock_change_lasts_five_hours() -> None:
    start, end = tu.shift_bounds(SPRING, time(0), time(6), LONDON)
    assert (start, end) == (utc(2026, 3, 29, 0), utc(2026, 3, 29, 5))
    assert tu.duration_hours(start, end) == 5


def test_end_at_or_before_start_means_next_day() -> None:
    start, end = tu.shift_bounds(date(2026, 11, 3), time(22), time(6), LONDON)
    assert (start, end) == (utc(2026, 11, 3, 22), utc(2026, 11, 4, 6))
    start, end = tu.shift_bounds(date(2026, 11, 3), time(9), time(9), LONDON)
    assert end - start == timedelta(hours=24)


def test_overnight_shift_into_autumn_change_lasts_an_hour_longer() -> None:
    start, end = tu.shift_bounds(date(2026, 10, 24), time(22), time(6), LONDON)
    assert tu.duration_hours(start, end) == 9


def test_day_bounds_have_23_and_25_hours_on_change_days() -> None:
    for day, hours in ((SPRING, 23), (AUTUMN, 25), (date(2026, 11, 3), 24)):
        a, b = tu.day_bounds(day, LONDON)
        assert tu.duration_hours(a, b) == hours


def test_week_bounds_start_on_monday_local_midnight() -> None:
    # Sunday 25 Oct 2026 belongs to the week Mon 19 Oct (BST) - Mon 26 Oct (GMT)
    assert tu.week_bounds(AUTUMN, LONDON) == (utc(2026, 10, 18, 23), utc(2026, 10, 26, 0))
    # a Monday is the first day of its own week
    assert tu.week_bounds(date(2026, 11, 2), LONDON)[0] == utc(2026, 11, 2, 0)
    a, b = tu.week_bounds(SPRING, LONDON)
    assert tu.duration_hours(a, b) == 7 * 24 - 1


def test_month_bounds_are_half_open_local_months() -> None:
    assert tu.Month(2026, 10).bounds(LONDON) == (utc(2026, 9, 30, 23), utc(2026, 11, 1, 0))
    assert tu.Month(2026, 12).bounds(LONDON) == (utc(2026, 12, 1), utc(2027, 1, 1))
    assert tu.Month(2026, 3).bounds("Europe/London") == (utc(2026, 3, 1), utc(2026, 3, 31, 23))
    with pytest.raises(ValueError):
        tu.Month(2026, 13)


def test_month_parse_accepts_only_yyyy_mm() -> None:
    assert tu.Month.parse("2026-11") == tu.Month(2026, 11)
    for bad in ("2026-13", "2026-1", "26-11", "2026/11", "", "2026-11-01", "0000-01"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            tu.Month.parse(bad)


def test_month_parses_yyyy_mm_once_and_writes_it_back() -> None:
    october = tu.Month.parse("2026-10")
    assert october == tu.Month(2026, 10) and (october.year, october.month) == (2026, 10)
    assert str(october) == "2026-10" and str(tu.Month(987, 3)) == "0987-03"
    assert tu.Month.parse(" 2026-10\n") == october  # as typed into a form
    assert october.name == "October 2026"


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "10/2026", "", "2026-11-01",
                                 "0000-01", "October"])
def test_month_parse_refuses_anything_but_yyyy_mm_naming_the_text(bad: str) -> None:
    with pytest.raises(ValueError, match=r"expected a month as YYYY-MM, got") as raised:
        tu.Month.parse(bad)
    assert repr(bad) in str(raised.value)


def test_month_refuses_a_month_the_calendar_does_not_have() -> None:
    for year, month in ((2026, 0), (2026, 13), (0, 1), (10_000, 1)):
        with pytest.raises(ValueError, match="no such month"):
            tu.Month(year, month)


def test_month_days_steps_and_order() -> None:
    assert tu.Month(2026, 2).first_day == date(2026, 2, 1)
    assert tu.Month(2026, 2).last_day == date(2026, 2, 28)
    assert tu.Month(2028, 2).last_day == date(2028, 2, 29)
    assert tu.Month(2026, 12).last_day == date(2026, 12, 31)
    assert tu.Month(2026, 12).next() == tu.Month(2027, 1)
    assert tu.Month(2026, 1).previous() == tu.Month(2025, 12)
    assert tu.Month(2026, 11).previous(12) == tu.Month(2025, 11)
    assert tu.Month(2026, 11).next(14) == tu.Month(2028, 1)
    assert tu.Month(2026, 11).previous(-1) == tu.Month(2026, 12)
    assert tu.Month(2025, 12) < tu.Month(2026, 1) < tu.Month(2026, 2)
    assert tu.Month.of(date(2026, 10, 31)) == tu.Month(2026, 10)


def test_month_containing_an_instant_is_the_local_month() -> None:
    assert tu.Month.containing(utc(2026, 10, 31, 23, 30), LONDON) == tu.Month(2026, 10)  # GMT again
    assert tu.Month.containing(utc(2026, 9, 30, 23, 30), LONDON) == tu.Month(2026, 10)  # BST: 00:30 on 1 Oct
    assert tu.Month.containing(utc(2026, 9, 30, 22, 59), "Europe/London") == tu.Month(2026, 9)


def test_october_in_london_starts_in_summer_time_and_ends_in_winter_time() -> None:
    # 1 Oct 00:00 BST is 23:00 UTC on 30 Sep; 1 Nov 00:00 GMT is 00:00 UTC: 31 days and the hour given back
    start, end = tu.Month(2026, 10).bounds(LONDON)
    assert (start, end) == (utc(2026, 9, 30, 23), utc(2026, 11, 1))
    assert tu.duration_hours(start, end) == 31 * 24 + 1


def test_march_in_london_starts_in_winter_time_and_ends_in_summer_time() -> None:
    # 1 Mar 00:00 GMT; 1 Apr 00:00 BST is 23:00 UTC on 31 Mar: 31 days less the hour lost on the 29th
    start, end = tu.Month(2026, 3).bounds("Europe/London")
    assert (start, end) == (utc(2026, 3, 1), utc(2026, 3, 31, 23))
    assert tu.duration_hours(start, end) == 31 * 24 - 1


def test_consecutive_months_share_their_bound_so_no_instant_falls_between() -> None:
    months = [tu.Month(2026, 1).next(i) for i in range(13)]
    for earlier, later in zip(months, months[1:], strict=False):
        assert earlier.bounds(LONDON)[1] == later.bounds(LONDON)[0]
    assert tu.Month(2026, 12).bounds(LONDON) == (utc(2026, 12, 1), utc(2027, 1, 1))
    assert tu.Month(2026, 7).bounds(timezone(timedelta(hours=2))) == (utc(2026, 6, 30, 22), utc(2026, 7, 31, 22))


def test_duration_hours_is_decimal_and_accurate() -> None:
    third = tu.duration_hours(utc(2026, 1, 1, 9), utc(2026, 1, 1, 9, 20))
    assert abs(third * 3 - 1) < Decimal("1e-20")
    assert tu.duration_hours(utc(2026, 1, 1, 9), utc(2026, 1, 1, 10, 30)) == Decimal("1.5")
    with pytest.raises(ValueError):
        tu.duration_hours(datetime(2026, 1, 1), utc(2026, 1, 1))


def test_other_zones_work_too() -> None:
    ny = ZoneInfo("America/New_York")
    # US spring forward on 8 Mar 2026
    assert tu.duration_hours(*tu.shift_bounds(date(2026, 3, 8), time(0), time(6), ny)) == 5
    fixed = timezone(timedelta(hours=2))
    assert tu.local_to_utc(date(2026, 1, 1), time(2), fixed) == utc(2026, 1, 1)


def test_format_helpers_read_naturally() -> None:
    start, end = tu.shift_bounds(date(2026, 11, 3), time(9), time(12), LONDON)
    assert tu.format_span(start, end, LONDON) == "Tue 3 Nov, 09:00–12:00"
    start, end = tu.shift_bounds(date(2026, 10, 24), time(22), time(6), LONDON)
    assert tu.format_span(start, end, LONDON) == "Sat 24 Oct, 22:00–06:00 (next day)"
    assert tu.format_span(utc(2026, 11, 7, 9), utc(2026, 11, 9, 9), LONDON) == \
        "Sat 7 Nov, 09:00 – Mon 9 Nov, 09:00"
    assert tu.format_day(date(2026, 3, 29)) == "Sun 29 Mar"
    assert tu.format_time(utc(2026, 7, 1, 8), LONDON) == "09:00"
    assert tu.Month(2026, 11).name == "November 2026"
    assert [tu.format_hours(h) for h in (7, Decimal("2.50"), 1.255, 0, 100)] == \
        ["7 h", "2.5 h", "1.26 h", "0 h", "100 h"]
