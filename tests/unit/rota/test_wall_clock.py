"""The board's wall-clock times (``rota.board_reads.wall_clock``) are what ``astimezone`` and ``%H:%M`` write.

It works each zone's offset out once per UTC day and goes the long way on a
day the offset changes: checked every 37 minutes over two years, and a minute
either side of every change, in zones with half-hour and 45-minute offsets and
changes (Lord Howe, Chatham, St John's, Kathmandu) and Casablanca's Ramadan ones.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from volunteers.rota.board_reads import wall_clock

ZONES = ("Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu",
         "Africa/Casablanca", "America/New_York", "UTC")


@pytest.mark.parametrize("name", ZONES)
def test_wall_clock_is_astimezone_and_strftime(name: str) -> None:
    tz = ZoneInfo(name)
    t, end = datetime(2025, 12, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)
    previous = t.astimezone(tz).utcoffset()
    while t < end:
        assert wall_clock(t, tz) == t.astimezone(tz).strftime("%H:%M"), t
        offset = t.astimezone(tz).utcoffset()
        if offset != previous:  # a change since the last step: every minute around it
            for k in range(-40, 40):
                near = t + timedelta(minutes=k)
                assert wall_clock(near, tz) == near.astimezone(tz).strftime("%H:%M"), near
            previous = offset
        t += timedelta(minutes=37)


def test_an_instant_in_another_zone_reads_as_its_utc_instant() -> None:
    london = ZoneInfo("Europe/London")
    paris = datetime(2026, 7, 1, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert wall_clock(paris, london) == "09:30"
