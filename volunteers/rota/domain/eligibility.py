"""Who may take an open shift, and in plain words why not.

Pure values and functions (stdlib only): the auto-rota, the coordinator's
candidate list and volunteer sign-up all ask the same question here.
Eligibility is about the person and the shift alone — qualifications,
stated availability, leave and clashes with duties they already have. Load
limits (burn-out rules) are judged by ``volunteers.wellbeing``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from volunteers.people.domain.availability import (
    WeeklyWindow,
    covers,
    format_availability,
)

NOT_QUALIFIED = "not_qualified"
UNAVAILABLE = "unavailable"
ON_LEAVE = "on_leave"
OVERLAP = "overlap"


@dataclass(frozen=True)
class Reason:
    """Why a person cannot take a shift: a machine code and a sentence for people."""

    code: str  #: one of NOT_QUALIFIED, UNAVAILABLE, ON_LEAVE, OVERLAP
    message: str


@dataclass(frozen=True)
class UsualSlot:
    """A regular duty: the same weekday, local start time and role each week."""

    weekday: int
    start: time
    role: str


@dataclass(frozen=True)
class Preference:
    """A stated wish: shifts matching every given field score ``weight``.

    Positive weights are wishes ("Saturdays at the shop, please"), negative
    ones dislikes. Fields left as ``None`` match anything.
    """

    weight: int
    role: str | None = None
    site: str | None = None
    weekday: int | None = None  #: 0 = Monday, of the local start
    start: time | None = None  #: local start time

    def matches(self, shift: OpenShift, tz: tzinfo) -> bool:
        """Return whether ``shift`` is one this preference is about."""
        local = shift.start.astimezone(tz)
        return ((self.role is None or self.role == shift.role)
                and (self.site is None or self.site == shift.site)
                and (self.weekday is None or self.weekday == local.weekday())
                and (self.start is None or self.start == local.time().replace(tzinfo=None)))


@dataclass(frozen=True)
class Candidate:
    """A person who might take open shifts, as plain values."""

    id: str
    name: str
    pledged_hours_per_week: float | None = None
    #: qualification name → expiry date (``None``: never expires)
    qualifications: Mapping[str, date | None] = field(default_factory=dict, hash=False)
    #: stated weekly availability; empty means no stated limits
    availability: tuple[WeeklyWindow, ...] = ()
    #: leave and unavailable dates, inclusive local ``(first, last)`` pairs
    leave: tuple[tuple[date, date], ...] = ()
    #: duties they already have (elsewhere or in this rota), aware ``(start, end)``
    busy: tuple[tuple[datetime, datetime], ...] = ()
    #: regular duties the coordinator knows of (history adds its own)
    usual_slots: frozenset[UsualSlot] = frozenset()
    preferences: tuple[Preference, ...] = ()
    #: for the supervision rule of emotionally demanding roles
    last_supervised_on: date | None = None


@dataclass(frozen=True)
class OpenShift:
    """A shift with places to fill, in UTC."""

    id: str
    start: datetime  #: aware
    end: datetime  #: aware, after ``start``
    role: str
    site: str
    required_qualifications: tuple[str, ...] = ()
    needed: int = 1
    #: ids of people already on it: locked, they count toward ``needed``
    assigned: tuple[str, ...] = ()
    intensity: float = 1.0
    on_call: bool = False
    priority: int = 1

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"shift {self.id}: start and end must be aware datetimes")
        if self.end <= self.start:
            raise ValueError(f"shift {self.id}: ends ({self.end}) at or before it starts")
        if self.needed < 0:
            raise ValueError(f"shift {self.id}: needed must not be negative")
        if len(set(self.assigned)) != len(self.assigned):
            raise ValueError(f"shift {self.id}: someone is assigned twice")

    @property
    def hours(self) -> float:
        """Return the real length in hours (a night across a clock change included)."""
        return (self.end - self.start).total_seconds() / 3600

    @property
    def open_places(self) -> int:
        """Return how many more people the shift needs."""
        return max(0, self.needed - len(self.assigned))


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _when(start: datetime, end: datetime, tz: tzinfo) -> str:
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{local_start:%a} {_day(local_start.date())} {local_start:%H:%M}–{local_end:%H:%M}"


def qualification_reasons(candidate: Candidate, shift: OpenShift, on: date) -> list[Reason]:
    """Return why ``candidate`` lacks a qualification ``shift`` needs on local date ``on``.

    A qualification counts while its expiry date is on or after ``on``.
    """
    reasons = []
    for name in shift.required_qualifications:
        if name not in candidate.qualifications:
            reasons.append(Reason(NOT_QUALIFIED, f"has no {name}"))
            continue
        expires_on = candidate.qualifications[name]
        if expires_on is not None and expires_on < on:
            reasons.append(Reason(NOT_QUALIFIED, f"{name} expired on {_day(expires_on)}"))
    return reasons


def leave_reason(candidate: Candidate, first: date, last: date) -> Reason | None:
    """Return the leave covering any local date from ``first`` to ``last``, if there is one."""
    for leave_from, leave_to in candidate.leave:
        if leave_from <= last and first <= leave_to:
            span = _day(leave_from) if leave_from == leave_to else (
                f"{_day(leave_from)} – {_day(leave_to)}")
            return Reason(ON_LEAVE, f"on leave {span}")
    return None


def overlap_reason(busy: Iterable[tuple[datetime, datetime]], shift: OpenShift,
                   tz: tzinfo) -> Reason | None:
    """Return the first duty in ``busy`` that overlaps ``shift`` (touching is fine)."""
    for start, end in busy:
        if start < shift.end and shift.start < end:
            return Reason(OVERLAP, f"already on duty {_when(start, end, tz)}")
    return None


def check(candidate: Candidate, shift: OpenShift, tz: tzinfo) -> list[Reason]:
    """Return why ``candidate`` may not take ``shift``; an empty list means eligible.

    Reasons come in a fixed order — qualifications, availability, leave,
    overlap — and every failing check gives one, so a coordinator sees all
    that stands in the way at once. Calendar questions use ``tz``: a
    qualification must be valid on the shift's local start date, leave
    blocks every local date the shift touches, availability compares local
    wall-clock times.
    """
    local_start, local_end = shift.start.astimezone(tz), shift.end.astimezone(tz)
    reasons = qualification_reasons(candidate, shift, local_start.date())
    if not covers(candidate.availability, local_start, local_end):
        reasons.append(Reason(
            UNAVAILABLE, f"{_when(shift.start, shift.end, tz)} is outside stated availability "
                         f"({format_availability(candidate.availability).replace(';', '; ')})"))
    last_day = (local_end - timedelta(microseconds=1)).date()
    on_leave = leave_reason(candidate, local_start.date(), last_day)
    if on_leave is not None:
        reasons.append(on_leave)
    clash = overlap_reason(candidate.busy, shift, tz)
    if clash is not None:
        reasons.append(clash)
    return reasons


@dataclass(frozen=True)
class ShiftCandidates:
    """The people for one shift: who is qualified, and who of them is eligible."""

    shift_id: str
    qualified: tuple[str, ...]  #: candidate ids holding every required qualification
    eligible: tuple[str, ...]  #: of those, available, not on leave, no clash


class EligibilityIndex:
    """Answer :func:`check` for many shifts and people at once, quickly.

    Indexes people by qualification and by the weekdays of their stated
    availability, so a month of thousands of shifts for a thousand people
    only runs the full check on plausible pairs. Gives the same answers as
    :func:`check`; people already on a shift are left out of its lists.
    """

    def __init__(self, candidates: Sequence[Candidate], tz: tzinfo) -> None:
        self.tz = tz
        self.candidates = {c.id: c for c in candidates}
        if len(self.candidates) != len(candidates):
            raise ValueError("candidate ids must be unique")
        self._holders: dict[str, set[str]] = defaultdict(set)
        for c in candidates:
            for name in c.qualifications:
                self._holders[name].add(c.id)
        self._unlimited = {c.id for c in candidates if not c.availability}
        self._by_weekday: dict[int, set[str]] = defaultdict(set)
        for c in candidates:
            for window in c.availability:
                self._by_weekday[window.weekday].add(c.id)

    def assess(self, shift: OpenShift) -> ShiftCandidates:
        """Return who is qualified for and who may take ``shift``."""
        local_start, local_end = shift.start.astimezone(self.tz), shift.end.astimezone(self.tz)
        on = local_start.date()
        pool = set(self.candidates)
        for name in shift.required_qualifications:
            pool &= self._holders.get(name, set())
        pool -= set(shift.assigned)
        qualified = sorted(
            cid for cid in pool
            if not qualification_reasons(self.candidates[cid], shift, on))
        # Availability windows that could cover the shift start on its first
        # local day or the day before (overnight windows).
        weekday = local_start.weekday()
        maybe_free = (self._unlimited | self._by_weekday.get(weekday, set())
                      | self._by_weekday.get((weekday - 1) % 7, set()))
        last_day = (local_end - timedelta(microseconds=1)).date()
        eligible = tuple(
            cid for cid in qualified
            if cid in maybe_free
            and covers(self.candidates[cid].availability, local_start, local_end)
            and leave_reason(self.candidates[cid], on, last_day) is None
            and overlap_reason(self.candidates[cid].busy, shift, self.tz) is None)
        return ShiftCandidates(shift.id, tuple(qualified), eligible)
