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
from typing import NamedTuple
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
_new = object.__new__


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
            raise ValueError(f"shift end {self.end.isoformat()} is not after its start "
                             f"{self.start.isoformat()}")
        if self.intensity < 0:
            raise ValueError(f"shift intensity must not be negative, got {self.intensity}")

    @classmethod
    def trusted(cls, start: datetime, end: datetime, role: str, intensity: float, on_call: bool,
                ref: str | None) -> ShiftSpan:
        """Return the span without the checks of ``__post_init__``, for values already held to them.

        For a place read from the database, whose constraints keep every one
        (aware instants, ``ends_at > starts_at``, ``intensity > 0``): the
        checks were most of building the spans of a shift panel's candidates.
        The value is the one the constructor makes, field for field.
        """
        span = _new(cls)
        span.__dict__.update(start=start, end=end, role=role, intensity=intensity, on_call=on_call, ref=ref)
        return span

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


class ShiftLoad(NamedTuple):
    """The load facts of one shift in one time zone (a tuple: built for every shift, so cheap)."""

    span: ShiftSpan
    start_ts: float
    end_ts: float
    local_start: datetime
    day: int  #: proleptic ordinal of the local start date: the shift's hours count on it
    hours: float  #: real hours
    night_hours: float  #: real hours between 23:00 and 06:00 local
    weighted: float  #: weighted load hours (WLH)
    intense_hours: float  #: ``hours`` if the shift is intense, else 0


class Duty(NamedTuple):
    """Shifts of one person whose gaps are under an hour, merged, with the facts the rules ask.

    Stand-by (on-call) shifts are duties too (DESIGN.md); ``stand_by`` says
    whether every shift of the duty is on call, which ``long_duty`` skips.
    """

    shifts: tuple[int, ...]  #: indices into the person's sorted shift loads
    start_ts: float
    end_ts: float
    local_start: datetime
    local_end: datetime
    day: int  #: proleptic ordinal of the local date on which the duty starts
    hours: float  #: real length from first start to last end (gaps under an hour included)
    intensity: float  #: the highest intensity of its worked shifts (of its stand-by shifts if it has none)
    night_hours: float  #: real hours of shift time between 23:00 and 06:00 local
    is_night: bool  #: at least 3 h between 23:00 and 06:00 local
    needs_rest: bool  #: the rest after it is judged: ends ≥ 19:00, crosses midnight, or a night duty
    is_early: bool  #: starts before 07:00 local
    roles: frozenset[str]
    stand_by: bool = False  #: every shift of the duty is on call: long_duty does not judge it


@lru_cache(maxsize=65536)
def _night(tz: ZoneInfo, ordinal: int) -> tuple[float, float]:
    """Return the timestamps of 23:00 on local date ``ordinal`` and 06:00 the next day."""
    day = date.fromordinal(ordinal)
    return (datetime.combine(day, NIGHT_START, tzinfo=tz).timestamp(),
            datetime.combine(date.fromordinal(ordinal + 1), NIGHT_END, tzinfo=tz).timestamp())


def night_seconds(start_ts: float, end_ts: float, first_day: int, tz: ZoneInfo) -> float:
    """Return the real seconds of ``[start_ts, end_ts)`` between 23:00 and 06:00 local.

    ``first_day`` is the local date ordinal of the start; the night that
    began the evening before it counts too.
    """
    total = 0.0
    ordinal = first_day - 1
    while True:
        night_from, night_to = _night(tz, ordinal)
        if night_from >= end_ts:
            return total
        overlap = min(end_ts, night_to) - max(start_ts, night_from)
        if overlap > 0:
            total += overlap
        ordinal += 1


#: a worker keeps this many instants' conversions (~0.2 KB each with the cache's own links: ~2 MB; a panel view
#: asks a few hundred, the nightly scan all of an organisation's, which may cycle through them)
KEPT_INSTANTS = 8192


@lru_cache(maxsize=KEPT_INSTANTS)
def local_time(tz: ZoneInfo, timestamp: float) -> datetime:
    """Return ``datetime.fromtimestamp(timestamp, tz)``, kept: duty ends and warning windows ask it again and again."""
    return datetime.fromtimestamp(timestamp, tz)


@lru_cache(maxsize=KEPT_INSTANTS)  # ~0.35 KB each: ~3 MB
def _local_facts(tz: ZoneInfo, start_ts: float, end_ts: float) -> tuple[datetime, int, float]:
    """Return the local start, its date ordinal and the night hours of ``[start_ts, end_ts)`` in ``tz``.

    Kept between calls: every view of the shift panel judges the same
    places of the same people again, and these conversions were a tenth
    of judging them. A function of its arguments alone (instants and zone).
    """
    local_start = local_time(tz, start_ts)
    day = local_start.toordinal()
    return local_start, day, night_seconds(start_ts, end_ts, day, tz) / 3600


def shift_load(span: ShiftSpan, tz: ZoneInfo) -> ShiftLoad:
    """Return the load facts of ``span`` in ``tz``.

    WLH: each worked minute counts ``intensity`` (× 1.5 between 23:00 and
    06:00 local); an on-call shift counts 0.25 per hour whatever its
    intensity or time of day.
    """
    start_ts, end_ts = span.start.timestamp(), span.end.timestamp()
    local_start, day, night = _local_facts(tz, start_ts, end_ts)
    hours = (end_ts - start_ts) / 3600
    weighted = hours * ON_CALL_WEIGHT if span.on_call else span.intensity * (hours + (NIGHT_WEIGHT - 1) * night)
    return ShiftLoad(span, start_ts, end_ts, local_start, day, hours, night, weighted,
                     hours if span.is_intense else 0.0)


@lru_cache(maxsize=4096)
def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def _union_night(loads: Sequence[ShiftLoad], members: list[int], tz: ZoneInfo) -> float:
    """Return the night hours of the union of overlapping shifts, so that no minute counts twice."""
    night = 0.0
    first = loads[members[0]]
    cover_start, cover_end, cover_day = first.start_ts, first.end_ts, first.day
    for i in members[1:]:
        if loads[i].start_ts <= cover_end:
            cover_end = max(cover_end, loads[i].end_ts)
            continue
        night += night_seconds(cover_start, cover_end, cover_day, tz)
        cover_start, cover_end, cover_day = loads[i].start_ts, loads[i].end_ts, loads[i].day
    return (night + night_seconds(cover_start, cover_end, cover_day, tz)) / 3600


def _duty(loads: Sequence[ShiftLoad], members: list[int], end_ts: float, overlapping: bool,
          tz: ZoneInfo) -> Duty:
    first = loads[members[0]]
    if len(members) == 1:
        intensity = first.span.intensity
        night = first.night_hours
        roles = _roles(first.span.role)
        stand_by = first.span.on_call
    else:
        spans = [loads[i].span for i in members]
        worked = [s.intensity for s in spans if not s.on_call]
        stand_by = not worked
        intensity = max(worked or [s.intensity for s in spans])
        # shifts that overlap share their night minutes: count each minute once
        night = _union_night(loads, members, tz) if overlapping else sum(loads[i].night_hours for i in members)
        roles = _roles(*sorted({s.role for s in spans}))
    local_end = local_time(tz, end_ts)
    is_night = night * 3600 >= NIGHT_DUTY_SECONDS - _EPSILON
    return Duty(tuple(members), first.start_ts, end_ts, first.local_start, local_end, first.day,
                (end_ts - first.start_ts) / 3600, intensity, night, is_night,
                is_night or local_end.time() >= LATE_END or local_end.toordinal() > first.day,
                first.local_start.time() < EARLY_BEFORE, roles, stand_by)


def merge_duties(loads: Sequence[ShiftLoad], tz: ZoneInfo) -> list[Duty]:
    """Return the duties of one person, given their shift loads sorted by start.

    Shifts merge when the next starts less than an hour after the latest
    end so far (overlapping shifts merge too); a gap of exactly 60 minutes
    keeps them apart. Stand-by (on-call) shifts are shifts like any other
    here (DESIGN.md: a duty is "shifts of one person whose gap is under
    1 h, merged"): a night on call is a night duty, and counts for rest,
    consecutive days and nights and early starts. Only ``long_duty`` leaves
    out a duty made entirely of stand-by shifts (:attr:`Duty.stand_by`);
    a stand-by shift still weighs only 0.25 WLH an hour.
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
