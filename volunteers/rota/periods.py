"""Whole periods of the rota: copy a week or month forward, and publish a period.

Copy forward puts the people of one period on the matching shifts of the
next: a week maps each date to the same weekday a week later; a month maps
the n-th Tuesday to the n-th Tuesday of the next month (a fifth Tuesday
with no counterpart takes the last one). Shifts match by series, or for
one-off shifts by role, site and local start time. Nobody is placed who is
no longer eligible on the new date (the domain's reasons are listed), and
places are taken through the guarded UPDATE, so a full shift stays full.

Publishing stamps the period's shifts and sends each volunteer ONE message
listing what is new, changed or removed for them since they were last
told (``Assignment.notified_at`` / ``notified_sequence``).
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import selectinload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import (
    Month,
    day_bounds,
    format_day,
    format_span,
    to_local,
    zone,
)
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota import notify
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import Reason, check, overlap_reason
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError, take_place
from volunteers.rota.series import active_series, materialise
from volunteers.rota.services import live_assignments


@dataclass(frozen=True)
class Period:
    """Inclusive local dates; ``kind`` is week or month."""

    kind: str
    first: date
    last: date

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        if kind == "month":
            first = day.replace(day=1)
            return cls("month", first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))
        monday = day - timedelta(days=day.weekday())
        return cls("week", monday, monday + timedelta(days=6))

    def next(self) -> Period:
        return Period.of(self.kind, self.last + timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return Month.of(self.first).name
        return f"the week of {format_day(self.first)} {self.first.year}"


@dataclass(frozen=True)
class Skipped:
    name: str
    when: str
    reasons: tuple[str, ...]


@dataclass
class CopyResult:
    source: Period
    target: Period
    copied: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def source_date(source: Period, day: date) -> date | None:
    """Return the date of ``source`` whose people go to ``day`` of the next period."""
    if source.kind == "week":
        return day - timedelta(days=7)
    nth = (day.day - 1) // 7
    same_weekday = [d for d in (source.first + timedelta(days=i) for i in range((source.last - source.first).days + 1))
                    if d.weekday() == day.weekday()]
    return same_weekday[min(nth, len(same_weekday) - 1)] if same_weekday else None


def _shifts(org: Organisation, period: Period, after: datetime | None = None) -> list[Shift]:
    stmt = scoped(Shift, org).where(
        Shift.local_date >= period.first, Shift.local_date <= period.last, Shift.status == "planned"
    ).options(selectinload(Shift.role), selectinload(Shift.site)).order_by(Shift.starts_at, Shift.id)
    if after is not None:
        stmt = stmt.where(Shift.starts_at > after)
    return list(db.session.scalars(stmt))


def _keys(org: Organisation, shift: Shift) -> list[tuple]:
    start = to_local(shift.starts_at, org.timezone).time()
    keys: list[tuple] = [("slot", shift.role_id, shift.site_id, start)]
    if shift.series_id is not None:
        keys.insert(0, ("series", shift.series_id))
    return keys


def copy_forward(org: Organisation, kind: str, day: date, now: datetime) -> CopyResult:
    """Copy the people of the ``kind`` period holding ``day`` onto the next period's shifts."""
    source = Period.of(kind, day)
    result = CopyResult(source, source.next())
    for series in active_series(org):
        materialise(org, series, result.target.last, now)
    index: dict[tuple, Shift] = {}
    for shift in _shifts(org, source):
        for key in _keys(org, shift):
            index.setdefault((shift.local_date, key), shift)
    targets = _shifts(org, result.target, after=now)
    pairs = []
    for target in targets:
        from_day = source_date(source, target.local_date)
        match = next((index[(from_day, k)] for k in _keys(org, target) if (from_day, k) in index), None)
        if match is not None:
            pairs.append((match, target))
    people: dict[int, list[Assignment]] = defaultdict(list)
    for a in live_assignments(org, [s.id for s, _ in pairs]):
        people[a.shift_id].append(a)
    member_ids = {a.membership_id for group in people.values() for a in group}
    tz = zone(org.timezone)
    span = (result.target.first, result.target.last)
    candidates = load_candidates(org, member_ids, *_utc_span(org, span)) if member_ids else {}
    open_shifts = open_shifts_for(org, [t for _, t in pairs])
    placed: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for src, target in pairs:
        for a in people.get(src.id, []):
            when = f"{format_span(target.starts_at, target.ends_at, tz)} ({target.role.name})"
            candidate = candidates.get(a.membership_id)
            if candidate is None:
                result.skipped.append(Skipped(a.membership.person.name, when, ("no longer active",)))
                continue
            if str(a.membership_id) in open_shifts[target.id].assigned:
                continue
            reasons: list[Reason] = check(candidate, open_shifts[target.id], tz)
            clash = overlap_reason(placed[a.membership_id], open_shifts[target.id], tz)
            if clash is not None and clash not in reasons:
                reasons.append(clash)
            if not reasons:
                try:
                    take_place(org, target.id, a.membership_id, source="coordinator", now=now)
                except PlaceError as error:
                    reasons = [Reason(error.code, str(error))]
            if reasons:
                result.skipped.append(Skipped(candidate.name, when, tuple(r.message for r in reasons)))
                continue
            placed[a.membership_id].append((target.starts_at, target.ends_at))
            open_shifts[target.id] = replace(
                open_shifts[target.id], assigned=(*open_shifts[target.id].assigned, str(a.membership_id)))
            result.copied += 1
    return result


def _utc_span(org: Organisation, span: tuple[date, date]) -> tuple[datetime, datetime]:
    return day_bounds(span[0], org.timezone)[0], day_bounds(span[1], org.timezone)[1]


@dataclass
class PublishResult:
    period: Period
    shifts: int = 0
    messages: int = 0


@dataclass
class PublishPlan:
    """What publishing a period would do, worked out without writing anything.

    ``publish`` applies exactly this plan, so the confirmation page's counts
    are the counts the service uses.
    """

    period: Period
    shifts: list[Shift] = field(default_factory=list)  #: planned shifts to stamp
    drafts: int = 0  #: of those, shifts never published
    last_published: datetime | None = None  #: the latest stamp already on the period's shifts
    notified: list[Assignment] = field(default_factory=list)  #: assignments marked as told
    lines: dict[int, list[notify.ShiftLine]] = field(default_factory=dict)  #: membership id → what to tell
    members: dict[int, Membership] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        return len(self.lines)

    @property
    def republish(self) -> bool:
        """True when some of the period's shifts were published before: only changes are told."""
        return self.last_published is not None


def plan_publish(org: Organisation, period: Period, now: datetime) -> PublishPlan:
    """Return what :func:`publish` would stamp and whom it would tell (reads only)."""
    plan = PublishPlan(period)
    shifts = list(db.session.scalars(
        scoped(Shift, org).where(Shift.local_date >= period.first, Shift.local_date <= period.last)
        .options(selectinload(Shift.role), selectinload(Shift.site))
    ))
    plan.shifts = [s for s in shifts if s.status == "planned"]
    plan.drafts = sum(1 for s in plan.shifts if s.published_at is None)
    stamps = [s.published_at for s in shifts if s.published_at is not None]
    plan.last_published = max(stamps) if stamps else None
    by_id = {s.id: s for s in shifts if s.starts_at > now}
    assignments = list(db.session.scalars(
        scoped(Assignment, org).where(Assignment.shift_id.in_(list(by_id)))
        .options(selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Assignment.id)
    )) if by_id else []
    lines: dict[int, list[notify.ShiftLine]] = defaultdict(list)
    live = {(a.shift_id, a.membership_id) for a in assignments if a.is_active}
    for a in sorted(assignments, key=lambda a: by_id[a.shift_id].starts_at):
        change = _change(a, by_id[a.shift_id])
        if change is None or (change == "removed" and (a.shift_id, a.membership_id) in live):
            continue
        plan.notified.append(a)
        if change == "new" and a.source == "self":
            continue  # they signed up themselves: nothing to tell
        lines[a.membership_id].append(notify.shift_line(org, by_id[a.shift_id], change))
        plan.members[a.membership_id] = a.membership
    plan.lines = dict(lines)
    return plan


def publish(org: Organisation, period: Period, now: datetime) -> PublishResult:
    """Publish a period: stamp its shifts and send each volunteer one message of their changes."""
    plan = plan_publish(org, period, now)
    result = PublishResult(period, shifts=len(plan.shifts))
    for shift in plan.shifts:
        shift.published_at = now
    for a in plan.notified:
        a.notified_at, a.notified_sequence = now, a.sequence
    for member_id, member_lines in plan.lines.items():
        notify.rota_published(org, plan.members[member_id], member_lines, period.label, now)
        result.messages += 1
    db.session.flush()
    return result


def _change(a: Assignment, shift: Shift) -> str | None:
    """Return what to tell about an assignment: new, changed, removed — or None."""
    told = a.notified_at is not None
    if a.status == "cancelled" or shift.status == "cancelled":
        return "removed" if told and (a.notified_sequence or 0) < a.sequence else None
    if not told:
        return "new"
    return "changed" if (a.notified_sequence or 0) < a.sequence else None
