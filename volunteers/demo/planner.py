"""Put demo people on demo shifts: fixed duties first, then open places within pledges.

Pure code (stdlib, dateutil via recurrence): the same spec, ``now`` and seed
always give the same rota. The filler is a simple greedy pass in time order,
not the auto-rota: it keeps ordinary volunteers healthy (about their pledge,
one shift a day, a night's rest, few nights) so that the load warnings the
demo shows come from the people meant to show them — the key drivers and
the night-heavy counsellor, whose duties are fixed regardless of pledge.
"""
from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.demo.spec import OrgSpec, PatternSpec, PersonSpec, RoleSpec
from volunteers.people.domain.availability import covers
from volunteers.rota.domain.recurrence import Occurrence, occurrences

#: share of places the filler tries to fill: history, the rest of this month, next month
FILL_RATE = {"history": 0.97, "current": 0.95, "next": 0.78}
#: share of future places whose volunteer has since cancelled (a gap to fill)
CANCEL_RATE = 0.03
#: ordinary volunteers stay at or under this multiple of their pledge over 28 days
PLEDGE_HEADROOM = 1.2
#: and take no more than this many intense hours in 7 days
MAX_INTENSE_7 = 8.0
REST = timedelta(hours=12)
DAY = timedelta(days=1)


@dataclass
class Placement:
    """One person on one shift, with the status the demo gives it."""

    email: str
    fixed: bool
    status: str = "assigned"
    source: str = "coordinator"


@dataclass
class PlannedShift:
    """One occurrence of a series, with the people placed on it."""

    pattern: PatternSpec
    role: RoleSpec
    occurrence: Occurrence
    local_start: datetime
    local_end: datetime
    placements: list[Placement] = field(default_factory=list)

    def __post_init__(self) -> None:
        # asked thousands of times by the filler, so worked out once
        self.hours = float(self.occurrence.hours)
        #: over midnight or starting before 06:00: a night duty for the demo's purposes
        self.night = self.local_end.date() > self.local_start.date() or self.local_start.hour < 6
        intense = self.role.intensity > 1 and not self.role.on_call
        self.intense_hours = self.hours if intense else 0.0
        #: weighted load hours, roughly (stand-by 0.25 an hour; the night uplift is left out)
        self.load = self.hours * (0.25 if self.role.on_call else float(self.role.intensity))

    @property
    def active(self) -> int:
        return sum(1 for p in self.placements if p.status != "cancelled")


@dataclass
class _Booking:
    start: datetime
    end: datetime
    hours: float
    intense: float
    load: float
    night: bool
    local_date: date


class _Diary:
    """One person's bookings, sorted by start, with the windowed sums the filler needs."""

    def __init__(self) -> None:
        self.starts: list[datetime] = []
        self.items: list[_Booking] = []
        self.dates: set[date] = set()
        self.habits: set[tuple[str, int]] = set()

    def add(self, shift: PlannedShift) -> None:
        o = shift.occurrence
        booking = _Booking(o.start_utc, o.end_utc, shift.hours, shift.intense_hours, shift.load, shift.night,
                           o.local_date)
        i = bisect.bisect(self.starts, o.start_utc)
        self.starts.insert(i, o.start_utc)
        self.items.insert(i, booking)
        self.dates.add(o.local_date)
        self.habits.add((shift.pattern.key, o.local_date.weekday()))

    def between(self, lo: datetime, hi: datetime) -> list[_Booking]:
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]

    def overlaps(self, start: datetime, end: datetime, margin: timedelta) -> bool:
        return any(b.start < end + margin and b.end + margin > start
                   for b in self.between(start - margin - 2 * DAY, end + margin))


def _valid(person: PersonSpec, qualification: str | None, day: date) -> bool:
    if qualification is None:
        return True
    if qualification not in person.quals:
        return False
    obtained, expires = person.quals[qualification]
    return (obtained is None or obtained <= day) and (expires is None or expires >= day)


def _on_leave(person: PersonSpec, day: date) -> bool:
    return any(first <= day <= last for first, last, _ in person.leave)


def expand(spec: OrgSpec, first: date, last: date) -> list[PlannedShift]:
    """Return every occurrence of the organisation's series in ``[first, last]``, in time order."""
    tz = ZoneInfo(spec.timezone)
    roles = {r.name: r for r in spec.roles}
    shifts = []
    for pattern in spec.patterns:
        for occ in occurrences(pattern.rrule, first, pattern.start, pattern.end, tz, first, last,
                               exdates=pattern.skipped(first, last)):
            shifts.append(PlannedShift(
                pattern, roles[pattern.role], occ,
                occ.start_utc.astimezone(tz).replace(tzinfo=None),
                occ.end_utc.astimezone(tz).replace(tzinfo=None),
            ))
    shifts.sort(key=lambda s: (s.occurrence.start_utc, s.pattern.key))
    return shifts


class Planner:
    """Place people on the expanded shifts of one organisation."""

    def __init__(self, spec: OrgSpec, shifts: list[PlannedShift], now: datetime,
                 current_month_end: date, rng: random.Random) -> None:
        self.spec = spec
        self.shifts = shifts
        self.now = now
        self.current_month_end = current_month_end
        self.rng = rng
        self.diaries = {p.email: _Diary() for p in spec.people}

    def phase(self, shift: PlannedShift) -> str:
        if shift.occurrence.end_utc <= self.now:
            return "history"
        return "current" if shift.occurrence.local_date <= self.current_month_end else "next"

    def run(self) -> list[PlannedShift]:
        self.place_fixed()
        self.fill_open_places()
        self.set_statuses()
        return self.shifts

    def _book(self, shift: PlannedShift, email: str, fixed: bool) -> None:
        shift.placements.append(Placement(email, fixed))
        self.diaries[email].add(shift)

    def place_fixed(self) -> None:
        """Put everyone with regular duties on them (in people order), where there is room."""
        for person in self.spec.people:
            diary = self.diaries[person.email]
            for duty in person.fixed:
                for shift in self.shifts:
                    day = shift.occurrence.local_date
                    if (shift.pattern.key != duty.pattern or day.weekday() not in duty.days
                            or (duty.first and day < duty.first) or (duty.last and day > duty.last)):
                        continue
                    if shift.active >= shift.pattern.needed or _on_leave(person, day):
                        continue
                    if diary.overlaps(shift.occurrence.start_utc, shift.occurrence.end_utc, timedelta(0)):
                        continue
                    self._book(shift, person.email, fixed=True)

    def fill_open_places(self) -> None:
        pool = [p for p in self.spec.people if p.in_pool and p.status == "active" and p.pledge]
        for shift in self.shifts:
            phase = self.phase(shift)
            for _ in range(shift.pattern.needed - shift.active):
                if self.rng.random() > FILL_RATE[phase]:
                    continue
                person = self._best(shift, pool)
                if person is None:
                    break
                if phase != "history" and self.rng.random() < CANCEL_RATE:
                    shift.placements.append(Placement(person.email, False, "cancelled", "self"))
                    continue
                self._book(shift, person.email, fixed=False)

    def _best(self, shift: PlannedShift, pool: list[PersonSpec]) -> PersonSpec | None:
        best, best_score = None, -1.0
        taken = {p.email for p in shift.placements}
        for person in pool:
            if person.email in taken:
                continue
            score = self._score(shift, person)
            if score is not None and score > best_score:
                best, best_score = person, score
        return best

    def _score(self, shift: PlannedShift, person: PersonSpec) -> float | None:
        """Return how well the person suits the place, or None when they must not take it."""
        o = shift.occurrence
        day = o.local_date
        diary = self.diaries[person.email]
        if day in diary.dates or _on_leave(person, day) or not _valid(person, shift.role.requires, day):
            return None
        if not covers(person.availability, shift.local_start, shift.local_end):
            return None
        if diary.overlaps(o.start_utc, o.end_utc, REST):
            return None
        pledge = float(person.pledge or 0)
        cap = 4 * pledge * PLEDGE_HEADROOM
        before = diary.between(o.start_utc - 28 * DAY, o.start_utc)
        after = diary.between(o.start_utc, o.start_utc + 28 * DAY)
        hours28 = sum(b.hours for b in before)
        if hours28 + shift.hours > cap or sum(b.hours for b in after) + shift.hours > cap:
            return None
        week = [b for b in before if b.start > o.start_utc - 7 * DAY]
        hours7 = sum(b.hours for b in week)
        if hours7 and hours7 + shift.hours > pledge * 1.5:
            return None
        if sum(b.intense for b in week) + shift.intense_hours > MAX_INTENSE_7:
            return None
        if self._spikes(diary, shift):
            return None
        if shift.night:
            nights = [b for b in before if b.night]
            if len(nights) >= 2 or any(abs((b.local_date - day).days) <= 1 for b in diary.items if b.night):
                return None
        regular = 0.35 if (shift.pattern.key, day.weekday()) in diary.habits else 0.0
        return 1 - hours28 / cap + regular + self.rng.random() * 0.5

    @staticmethod
    def _spikes(diary: _Diary, shift: PlannedShift) -> bool:
        """Whether the place could make a week stand out from the month before (``load_spike``).

        Judged conservatively for every 7-day window that holds the shift:
        the most load such a week can carry against the least chronic load
        behind it. People with almost no load in the five weeks before are
        never judged (the rule needs a chronic load of 1 h a week).
        """
        start = shift.occurrence.start_utc
        if sum(b.load for b in diary.between(start - 35 * DAY, start - DAY)) < 4:
            return False
        acute = shift.load + sum(b.load for b in diary.between(start - 7 * DAY, start + 7 * DAY))
        chronic = sum(b.load for b in diary.between(start - 29 * DAY, start - 7 * DAY)) / 4
        return acute > 1.5 * chronic and acute - chronic >= 3.5

    def set_statuses(self) -> None:
        """Attended or no-show for worked shifts; confirmed or assigned for the rest."""
        people = {p.email: p for p in self.spec.people}
        for shift in self.shifts:
            phase = self.phase(shift)
            soon = shift.occurrence.start_utc < self.now + 7 * DAY
            for placement in shift.placements:
                roll = self.rng.random()
                placement.source = "coordinator" if roll < 0.7 else ("self" if roll < 0.9 else "auto")
                if placement.status == "cancelled":
                    continue
                if phase == "history":
                    rate = 0.0 if placement.fixed else people[placement.email].no_show_rate
                    placement.status = "no_show" if self.rng.random() < rate else "attended"
                elif soon or shift.occurrence.start_utc <= self.now:
                    placement.status = "confirmed" if self.rng.random() < 0.7 else "assigned"
                else:
                    placement.status = "assigned"


def first_slot(spec: OrgSpec, keys: tuple[str, ...], now: datetime, lead: timedelta) -> tuple[str, date]:
    """Return the series key and local date of the first shift of ``keys`` starting ``lead`` after ``now``.

    The demo logins' regular duties are anchored on it, so they always have
    a shift coming up within a day or two of loading.
    """
    tz = ZoneInfo(spec.timezone)
    today = now.astimezone(tz).date()
    found = []
    for pattern in spec.patterns:
        if pattern.key in keys:
            for occ in occurrences(pattern.rrule, today, pattern.start, pattern.end, tz, today, today + 8 * DAY,
                                   exdates=pattern.skipped(today, today + 8 * DAY)):
                if occ.start_utc >= now + lead:
                    found.append((occ.start_utc, pattern.key, occ.local_date))
                    break
    start, key, day = min(found)
    return key, day
