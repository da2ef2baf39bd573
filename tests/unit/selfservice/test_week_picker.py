"""The availability picker's rows mean what the CSV text means."""
from __future__ import annotations

from datetime import time

from volunteers.people.domain.availability import WeeklyWindow, format_availability, parse_availability
from volunteers.selfservice.domain.week_picker import read_rows, rows_for


def test_rows_round_trip_through_the_text_contract() -> None:
    windows = parse_availability("Tue 09:00-12:30;Sat 23:00-01:00;Sun 00:00-24:00")
    rows = rows_for(windows, blank=2)
    assert len(rows) == 5 and rows[-1].blank
    form = {f"{k}-{i}": getattr(r, k) for i, r in enumerate(rows) for k in ("day", "start", "end")}
    picked = read_rows(form)
    assert picked.errors == [] and picked.windows == windows
    assert format_availability(picked.windows) == "Tue 09:00-12:30;Sat 23:00-01:00;Sun 00:00-24:00"


def test_bad_rows_are_named_and_give_no_windows() -> None:
    picked = read_rows({"day-0": "0", "start-0": "9", "end-0": "10:00", "day-1": "8", "start-1": "09:00",
                        "end-1": "10:00", "day-2": "2", "start-2": "25:00", "end-2": "26:00",
                        "day-3": "3", "start-3": "08:00", "end-3": "09:00"})
    assert picked.errors == ["Row 1: give both times as HH:MM.", "Row 2: choose a day.",
                             "Row 3: 25:00 to 26:00 is not a time of day (00:00 to 23:59)."]
    assert picked.windows == ()


def test_rows_are_read_in_order_and_odd_keys_ignored() -> None:
    picked = read_rows({"day-10": "0", "start-10": "09:00", "end-10": "10:00", "day-2": "1", "start-2": "07:00",
                        "end-2": "08:00", "day-x": "3", "csrf_token": "t"})
    assert picked.windows == (WeeklyWindow(1, time(7), time(8)), WeeklyWindow(0, time(9), time(10)))
