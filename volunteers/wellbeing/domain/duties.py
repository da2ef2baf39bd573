"""Shifts, duties, night time and weighted load hours (DESIGN.md, "Load policy and warnings").

All instants are compared as POSIX timestamps, so a shift across a
daylight-saving change lasts its real length (00:00–06:00 local on
25 Oct 2026 in London is 7 hours); all calendar questions (which date,
is it night, is it after 19:00) are asked in the organisation's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

NIGHT_START = time(23)  #: night (weighted ×1.5, counts toward a night duty) from here …
NIGHT_END = time(6)  #: … to here, local time
NIGHT_WEIGHT = 1.5  #: multiplier of a worked minute at night
ON_CALL_WEIGHT = 0.25  #: weighted hours per hour of stand-by, whatever the intensity
MERGE_GAP_SECONDS = 3600  #: shifts whose gap is under this are one duty
NIGHT_DUTY_SECONDS = 3 * 3600  #: a night duty has at least this much night time
LATE_END = time(19)  #: a duty ending at or after this needs a long rest
EARLY_BEFORE = time(7)  #: a duty starting before this is an early start
_EPSILON = 1e-6


@dataclass(frozen=True)
class ShiftSpan:
    """One person's shift: an aware time span with the role's weight.

    ``ref`` is the caller's identifier for the shift (a database id, or the
    ``id`` of a shift in the JSON input); warnings quote it as evidence.
    """

    start: datetime  #: aware
    end: datetime  #: aware, after ``start``
    role: str
    intensity: float = 1.0  #: emotional or physical demand; intense when above 1.0
    on_call: bool = False  #: stand-by: counts 0.25 weighted hours per hour
    ref: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("shift start and end must be aware datetimes (with a UTC offset)")
        if self.end <= self.start:
            raise ValueError(f"shift end {self.end.isoformat()} is not after its start {self.start.isoformat()}")
        if self.intensity < 0:
            raise ValueError(f"shift intensity must not be negative, got {self.intensity}")

    @property
    def hours(self) -> float:
        """Return the real length in hours."""
        return (self.end - self.start).total_seconds() / 3600

    @property
    def is_intense(self) -> bool:
        """Return whether the shift's hours are intense hours (intensity > 1.0, not on call)."""
        return self.intensity > 1.0 and not self.on_call

    @property
    def label(self) -> str:
        """Return ``ref``, or the start instant when the shift has no ref."""
        return self.ref if self.ref is not None else self.start.isoformat()


@dataclass(frozen=True, slots=True)
class ShiftLoad:
    """The load facts of one shift in one time zone."""

    span: ShiftSpan
    start_ts: float
    end_ts: float
    local_start: datetime
    day: int  #: proleptic ordinal of the local start date: the shift's hours count on it
    hours: float  #: real hours
    night_hours: float  #: real hours between 23:00 and 06:00 local
    weighted: float  #: weighted load hours (WLH)
    intense_hours: float  #: ``hours`` if the shift is intense, else 0


@dataclass(frozen=True, slots=True)
class Duty:
    """Shifts of one person whose gaps are under an hour, merged."""

    shifts: tuple[int, ...]  #: indices into the person's sorted shift loads
    start_ts: float
    end_ts: float
    local_start: datetime
    local_end: datetime
    standby: bool  #: every shift is on call (not judged by ``long_duty``)
    intensity: float  #: the highest intensity of its worked (not on-call) shifts, 0 when stand-by
    night_hours: float  #: real hours of shift time between 23:00 and 06:00 local
    roles: frozenset[str]

    @property
    def day(self) -> int:
        """Return the ordinal of the local date on which the duty starts."""
        return self.local_start.toordinal()

    @property
    def hours(self) -> float:
        """Return the real length from first start to last end (gaps under an hour included)."""
        return (self.end_ts - self.start_ts) / 3600

    @property
    def is_night(self) -> bool:
        """Return whether at least 3 h of the duty fall between 23:00 and 06:00 local."""
        return self.night_hours * 3600 >= NIGHT_DUTY_SECONDS - _EPSILON

    @property
    def needs_rest(self) -> bool:
        """Return whether the rest after it is judged: ends ≥ 19:00, crosses midnight, or a night duty."""
        return (self.local_end.time() >= LATE_END or self.local_end.date() > self.local_start.date()
                or self.is_night)

    @property
    def is_early(self) -> bool:
        """Return whether the duty starts before 07:00 local."""
        return self.local_start.time() < EARLY_BEFORE


@lru_cache(maxsize=65536)
def _night(tz: ZoneInfo, ordinal: int) -> tuple[float, float]:
    """Return the timestamps of 23:00 on local date ``ordinal`` and 06:00 the next day."""
    day = date.fromordinal(ordinal)
    return (datetime.combine(day, NIGHT_START, tzinfo=tz).timestamp(),
            datetime.combine(date.fromordinal(ordinal + 1), NIGHT_END, tzinfo=tz).timestamp())


def night_seconds(start_ts: float, end_ts: float, first_day: int, last_day: int, tz: ZoneInfo) -> float:
    """Return the real seconds of ``[start_ts, end_ts)`` between 23:00 and 06:00 local.

    ``first_day`` and ``last_day`` are the local date ordinals of the start
    and end; the night that began the evening before ``first_day`` counts too.
    """
    total = 0.0
    for ordinal in range(first_day - 1, last_day + 1):
        night_from, night_to = _night(tz, ordinal)
        overlap = min(end_ts, night_to) - max(start_ts, night_from)
        if overlap > 0:
            total += overlap
    return total


def shift_load(span: ShiftSpan, tz: ZoneInfo) -> ShiftLoad:
    """Return the load facts of ``span`` in ``tz``.

    WLH: each worked minute counts ``intensity`` (× 1.5 between 23:00 and
    06:00 local); an on-call shift counts 0.25 per hour whatever its
    intensity or time of day.
    """
    start_ts, end_ts = span.start.timestamp(), span.end.timestamp()
    local_start = span.start.astimezone(tz)
    day = local_start.toordinal()
    night = night_seconds(start_ts, end_ts, day, span.end.astimezone(tz).toordinal(), tz) / 3600
    hours = (end_ts - start_ts) / 3600
    if span.on_call:
        weighted = hours * ON_CALL_WEIGHT
    else:
        weighted = span.intensity * (hours + (NIGHT_WEIGHT - 1) * night)
    return ShiftLoad(span=span, start_ts=start_ts, end_ts=end_ts, local_start=local_start, day=day,
                     hours=hours, night_hours=night, weighted=weighted,
                     intense_hours=hours if span.is_intense else 0.0)


def _duty(loads: Sequence[ShiftLoad], members: list[int], end_ts: float, overlapping: bool,
          tz: ZoneInfo) -> Duty:
    first = loads[members[0]]
    worked = [loads[i].span.intensity for i in members if not loads[i].span.on_call]
    if overlapping:
        # Shifts overlap: count night time over their union, not twice.
        night = 0.0
        cover_start, cover_end = first.start_ts, first.end_ts
        for i in members[1:] + [-1]:
            if i >= 0 and loads[i].start_ts <= cover_end:
                cover_end = max(cover_end, loads[i].end_ts)
                continue
            local_first = datetime.fromtimestamp(cover_start, tz).toordinal()
            local_last = datetime.fromtimestamp(cover_end, tz).toordinal()
            night += night_seconds(cover_start, cover_end, local_first, local_last, tz) / 3600
            if i >= 0:
                cover_start, cover_end = loads[i].start_ts, loads[i].end_ts
    else:
        night = sum(loads[i].night_hours for i in members)
    return Duty(shifts=tuple(members), start_ts=first.start_ts, end_ts=end_ts,
                local_start=first.local_start, local_end=datetime.fromtimestamp(end_ts, tz),
                standby=not worked, intensity=max(worked, default=0.0), night_hours=night,
                roles=frozenset(loads[i].span.role for i in members))


def merge_duties(loads: Sequence[ShiftLoad], tz: ZoneInfo) -> list[Duty]:
    """Return the duties of one person, given their shift loads sorted by start.

    Shifts merge when the next starts less than an hour after the latest end
    so far (overlapping shifts merge too); a gap of exactly 60 minutes keeps
    them apart.
    """
    duties: list[Duty] = []
    if not loads:
        return duties
    members = [0]
    end_ts = loads[0].end_ts
    overlapping = False
    for index in range(1, len(loads)):
        load = loads[index]
        if load.start_ts - end_ts < MERGE_GAP_SECONDS:
            overlapping = overlapping or load.start_ts < end_ts
            members.append(index)
            end_ts = max(end_ts, load.end_ts)
        else:
            duties.append(_duty(loads, members, end_ts, overlapping, tz))
            members, end_ts, overlapping = [index], load.end_ts, False
    duties.append(_duty(loads, members, end_ts, overlapping, tz))
    return duties
