"""Weekly availability windows: the CSV ``availability`` contract and coverage.

The CSV column holds ``;``-separated entries such as ``Mon 09:00-13:00``, in
the organisation's local time. An end at or before the start runs past
midnight (``Fri 22:00-02:00``; ``Sun 00:00-00:00`` is the whole Sunday), and
``24:00`` may be written for the midnight that ends a day. An empty column
means the person stated no limits: they are always available.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_NAMES = {
    name.lower(): index
    for index, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
         ("thu", "thur", "thurs", "thursday"), ("fri", "friday"),
         ("sat", "saturday"), ("sun", "sunday")])
    for name in names
}
_ENTRY = re.compile(
    r"^(?P<day>[A-Za-z]+)\s+(?P<start>\d{1,2}:\d{2})\s*[-\u2013]\s*(?P<end>\d{1,2}:\d{2})$")


@dataclass(frozen=True, order=True)
class WeeklyWindow:
    """A weekly stretch of local wall-clock time in which someone can volunteer."""

    weekday: int  #: 0 = Monday … 6 = Sunday, the day the window starts
    start: time
    end: time  #: at or before ``start`` means the window ends the next day

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Mon) to 6 (Sun), not {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("availability times are local wall-clock times, without a zone")

    @property
    def overnight(self) -> bool:
        """Return whether the window runs past midnight."""
        return self.end <= self.start

    def on(self, day: date) -> tuple[datetime, datetime]:
        """Return the window's naive local span starting on ``day`` (any weekday)."""
        start = datetime.combine(day, self.start)
        end = datetime.combine(day + timedelta(days=1) if self.overnight else day, self.end)
        return start, end

    def __str__(self) -> str:
        end = "24:00" if self.end == time(0) else f"{self.end:%H:%M}"
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M}-{end}"


def _parse_time(text: str, entry: str, *, allow_24: bool) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if allow_24 and hours == 24 and minutes == 0:
        return time(0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValueError(f"availability entry {entry!r}: {text} is not a time of day (HH:MM)")
    return time(hours, minutes)


def parse_availability(text: str | None) -> tuple[WeeklyWindow, ...]:
    """Parse the CSV ``availability`` column into weekly windows, in the given order.

    Empty or blank text gives ``()`` (no stated limits); blank entries between
    separators are ignored. Weekdays are English names or three-letter
    abbreviations in any case.

    :raises ValueError: naming the first bad entry.
    """
    windows: list[WeeklyWindow] = []
    for raw in (text or "").split(";"):
        entry = raw.strip()
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None:
            raise ValueError(
                f"availability entry {entry!r} is not like 'Mon 09:00-13:00'")
        weekday = _WEEKDAY_NAMES.get(match["day"].lower())
        if weekday is None:
            raise ValueError(
                f"availability entry {entry!r}: {match['day']!r} is not a weekday (Mon … Sun)")
        start = _parse_time(match["start"], entry, allow_24=False)
        end = _parse_time(match["end"], entry, allow_24=True)
        windows.append(WeeklyWindow(weekday, start, end))
    return tuple(windows)


def format_availability(windows: Iterable[WeeklyWindow]) -> str:
    """Return the CSV form of ``windows`` (the inverse of :func:`parse_availability`)."""
    return ";".join(str(window) for window in windows)


def covers(windows: Sequence[WeeklyWindow], start_local: datetime, end_local: datetime) -> bool:
    """Return whether a shift lies inside stated availability.

    ``start_local``/``end_local`` are the shift's local times (aware or naive);
    they are compared as wall-clock times, so a window of ``Sun 00:00-06:00``
    covers the night the clocks go back although it lasts seven real hours.
    Windows that touch or overlap join up (``Mon 09:00-13:00;Mon 13:00-17:00``
    covers 12:00-14:00), which includes the plain case of one window. No
    windows means no stated limits: always available.

    A shift across the hour the clocks go back passes through part of the
    wall clock twice, and can end at a wall-clock time before its start
    (01:30 BST to 01:10 GMT): given aware times, it is covered when the
    wall-clock times it really passes through are (01:30 to 02:00, then
    01:00 to 01:10), so a volunteer is never offered a shift her windows
    leave out. Naive times are taken as they read.

    :raises ValueError: for a span that really ends before it starts, and for
        naive times whose end is before their start (without a zone, a
        repeated hour cannot be told from an inverted span).
    """
    if not windows:
        return True
    start = start_local.replace(tzinfo=None)
    end = end_local.replace(tzinfo=None)
    if end < start or _clocks_go_back_within(start_local, end_local):
        return all(_covered(windows, piece_start, piece_end)
                   for piece_start, piece_end in _wall_pieces(start_local, end_local))
    return _covered(windows, start, end)


def _clocks_go_back_within(start_local: datetime, end_local: datetime) -> bool:
    """Return whether the clocks go back between two aware instants (the end's offset is the smaller).

    Then part of the wall-clock hour before the change is passed through twice, and the span from the
    wall-clock start to the wall-clock end leaves part of it out (01:00 BST to 01:20 GMT also runs
    01:20 to 02:00 BST): the pieces are checked instead.
    """
    zone = start_local.tzinfo
    if zone is None or end_local.tzinfo is None:
        return False
    before, after = start_local.utcoffset(), end_local.astimezone(zone).utcoffset()
    return before is not None and after is not None and after < before


def _covered(windows: Sequence[WeeklyWindow], start: datetime, end: datetime) -> bool:
    """Return whether the naive wall-clock span ``[start, end]`` (``start <= end``) lies inside ``windows``."""
    # Windows that could touch [start, end]: those starting from the day before
    # the shift (an overnight window) up to the shift's last day.
    spans: list[tuple[datetime, datetime]] = []
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        spans.extend(w.on(day) for w in windows if w.weekday == day.weekday())
        day += timedelta(days=1)
    reached = start  # everything in [start, reached) is covered
    for span_start, span_end in sorted(spans):
        if span_start > reached:
            break
        reached = max(reached, span_end)
        if reached >= end:
            return True
    return False


def _wall_pieces(start_local: datetime, end_local: datetime) -> tuple[tuple[datetime, datetime], ...]:
    """Return the naive wall-clock spans a span ending on the wall clock before its start passes through.

    Such a span is real only when the clocks went back inside it: from the
    start to the moment they went back (in the earlier offset), then from
    that moment (in the later offset) to the end. The moment is found in
    ``start_local``'s zone by halving the span to the second.
    """
    zone = start_local.tzinfo
    if zone is None or end_local.tzinfo is None:
        raise ValueError(
            f"shift ends ({end_local}) before it starts ({start_local}): give aware times "
            "for a shift across a clock change")
    first, last = start_local.astimezone(UTC), end_local.astimezone(UTC)
    before, after = first.astimezone(zone).utcoffset(), last.astimezone(zone).utcoffset()
    if last < first or before is None or after is None or after >= before:
        raise ValueError(f"shift ends ({end_local}) before it starts ({start_local})")
    low, high = 0, math.ceil((last - first).total_seconds())  # offset ``before`` at low, ``after`` at high
    while high - low > 1:
        middle = (low + high) // 2
        if (first + timedelta(seconds=middle)).astimezone(zone).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = (first + timedelta(seconds=high)).replace(tzinfo=None)
    start = first.astimezone(zone).replace(tzinfo=None)
    end = last.astimezone(zone).replace(tzinfo=None, fold=0)
    return (start, change + before), (change + after, end)
