"""The CSV availability contract: parsing, formatting and coverage of shifts."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.people.domain.availability import WeeklyWindow, covers, format_availability, parse_availability

LONDON = ZoneInfo("Europe/London")


def test_parses_entries_in_order() -> None:
    assert parse_availability("Mon 09:00-13:00; wed 14:30-17:00") == (
        WeeklyWindow(0, time(9), time(13)), WeeklyWindow(2, time(14, 30), time(17)))


def test_empty_means_no_stated_limits() -> None:
    assert parse_availability("") == ()
    assert parse_availability(None) == ()
    assert parse_availability(" ; ") == ()
    assert covers((), datetime(2026, 11, 2, 3), datetime(2026, 11, 2, 4))


@pytest.mark.parametrize(("text", "named"), [
    ("Mon 9-13", "'Mon 9-13'"),
    ("Mon 09:00-13:00;Funday 09:00-10:00", "'Funday 09:00-10:00'"),
    ("Tue 25:00-26:00", "'Tue 25:00-26:00'"),
    ("Tue 09:61-10:00", "'Tue 09:61-10:00'"),
])
def test_bad_entry_is_named(text: str, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        parse_availability(text)


def test_end_at_or_before_start_runs_past_midnight() -> None:
    (window,) = parse_availability("Fri 22:00-02:00")
    assert window.overnight
    assert covers((window,), datetime(2026, 11, 6, 23), datetime(2026, 11, 7, 1, 30))
    assert not covers((window,), datetime(2026, 11, 7, 1), datetime(2026, 11, 7, 3))


def test_24_00_ends_the_day() -> None:
    (window,) = parse_availability("Sat 18:00-24:00")
    assert window == WeeklyWindow(5, time(18), time(0))
    assert format_availability((window,)) == "Sat 18:00-24:00"
    assert covers((window,), datetime(2026, 11, 7, 20), datetime(2026, 11, 8, 0))


def test_shift_must_lie_inside_a_window() -> None:
    windows = parse_availability("Mon 09:00-13:00")
    monday = datetime(2026, 11, 2, 9)
    assert covers(windows, monday, monday.replace(hour=13))
    assert not covers(windows, monday, monday.replace(hour=14))
    assert not covers(windows, monday.replace(day=3), monday.replace(day=3, hour=12))


def test_touching_windows_join() -> None:
    windows = parse_availability("Mon 09:00-13:00;Mon 13:00-17:00")
    assert covers(windows, datetime(2026, 11, 2, 12), datetime(2026, 11, 2, 14))


def test_wall_clock_night_across_clock_change() -> None:
    windows = parse_availability("Sun 00:00-06:00")
    start = datetime(2026, 10, 25, 0, tzinfo=LONDON)
    end = datetime(2026, 10, 25, 6, tzinfo=LONDON)
    real = end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC"))
    assert real.total_seconds() == 7 * 3600
    assert covers(windows, start, end)


windows_strategy = st.builds(
    WeeklyWindow, st.integers(0, 6),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)))


@given(st.lists(windows_strategy, max_size=5))
def test_format_then_parse_round_trips(windows: list[WeeklyWindow]) -> None:
    assert parse_availability(format_availability(windows)) == tuple(windows)
