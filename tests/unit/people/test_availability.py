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


UTC = ZoneInfo("UTC")


def _london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """The London local time of an instant given in UTC (fold set as a converted time has it)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).astimezone(LONDON)


#: 01:30 BST to 01:10 GMT on 25 Oct 2026: forty real minutes ending at a wall-clock time before the start
FOLD_START, FOLD_END = _london(2026, 10, 25, 0, 30), _london(2026, 10, 25, 1, 10)


@pytest.mark.parametrize(("text", "covered"), [
    ("Sun 01:00-02:00", True),  # the repeated hour: both stretches the shift passes through
    ("Sun 00:00-06:00", True),
    ("Sat 22:00-03:00", True),  # an overnight window
    ("Sun 01:30-02:00", False),  # misses 01:00-01:10 GMT
    ("Sun 01:00-01:10", False),  # misses 01:30-02:00 BST
    ("Sun 01:00-01:40", False),  # the shift's wall-clock hull minus the end of the BST hour
    ("Sun 01:00-01:10;Sun 01:30-02:00", True),  # exactly what it passes through
    ("Sat 09:00-17:00", False),
])
def test_short_shift_across_the_clocks_going_back(text: str, covered: bool) -> None:
    assert FOLD_END.replace(tzinfo=None) < FOLD_START.replace(tzinfo=None)
    assert covers(parse_availability(text), FOLD_START, FOLD_END) is covered


def test_clocks_going_back_needs_no_windows_to_be_always_available() -> None:
    assert covers((), FOLD_START, FOLD_END)


def test_clocks_going_forward_compares_the_wall_clock_span() -> None:
    """00:30 GMT to 02:30 BST on 29 Mar 2026 lasts one real hour; the skipped hour is asked for too."""
    start, end = _london(2026, 3, 29, 0, 30), _london(2026, 3, 29, 1, 30)
    assert (start.hour, end.hour) == (0, 2)
    assert covers(parse_availability("Sun 00:00-03:00"), start, end)
    assert not covers(parse_availability("Sun 01:00-03:00"), start, end)
    assert not covers(parse_availability("Sun 00:00-01:00;Sun 02:00-03:00"), start, end)  # conservative


def test_a_span_really_ending_before_it_starts_is_refused() -> None:
    windows = parse_availability("Sun 00:00-06:00")
    with pytest.raises(ValueError, match="before it starts"):
        covers(windows, FOLD_END, _london(2026, 10, 25, 0, 5))  # 01:10 GMT to 01:05 BST: an hour back
    with pytest.raises(ValueError, match="before it starts"):
        covers(windows, datetime(2026, 11, 2, 10, tzinfo=LONDON), datetime(2026, 11, 2, 9, tzinfo=LONDON))


def test_naive_times_ending_before_the_start_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        covers(parse_availability("Sun 00:00-06:00"), FOLD_START.replace(tzinfo=None),
               FOLD_END.replace(tzinfo=None))


#: 00:00 to 01:20 UTC on 25 Oct 2026: 01:00 BST to 01:20 GMT, eighty real minutes whose wall-clock end is after
#: its start, yet which run 01:00-02:00 BST and then 01:00-01:20 GMT
LONG_START, LONG_END = _london(2026, 10, 25, 0, 0), _london(2026, 10, 25, 1, 20)


@pytest.mark.parametrize(("end", "text", "covered"), [
    (LONG_END, "Sun 00:00-01:30", False),  # leaves out 01:30-02:00 BST (review: it was offered)
    (LONG_END, "Sun 00:00-02:00", True),
    (LONG_END, "Sun 01:00-02:00", True),
    (_london(2026, 10, 25, 1, 0), "Sun 00:00-01:00", False),  # the whole repeated hour, 01:00 BST to 01:00 GMT
    (_london(2026, 10, 25, 1, 0), "Sun 01:00-01:01", False),
    (_london(2026, 10, 25, 1, 0), "Sun 01:00-02:00", True),
])
def test_a_shift_through_the_repeated_hour_is_asked_for_all_of_it(end: datetime, text: str, covered: bool) -> None:
    assert end.replace(tzinfo=None) >= LONG_START.replace(tzinfo=None)  # not the wall-clock-inverted case
    assert covers(parse_availability(text), LONG_START, end) is covered
