"""The auto-rota against the database: load a period, ask the solver, save what is accepted.

Services flush, never commit (the CLI command or the request commits once).
``propose_fill`` loads the period's planned shifts (the open places and the
places already held, which stay locked), the members who could take them
(volunteers, and coordinators or admins who pledge hours),
their live places around the period (the load rules look 63 days back and
35 forward) and the organisation's load policy with each person's limits,
and calls the CP-SAT model's :func:`~.domain.fill`. ``apply_fill`` saves accepted places through
the guarded UPDATE of ``rota.places`` with source ``auto``, after checking
each person's schedule again with the canonical load rules — the rota may
have changed since the proposal was made. ``propose_replacement`` asks
:func:`~.domain.repair` who should take a cancelled place.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, tuple_

from volunteers.autofill.domain import Proposal, fill, repair
from volunteers.core import audit
from volunteers.core.maintenance import analyze_if_grown
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import day_bounds
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota import site_scope
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import Candidate, OpenShift, check
from volunteers.rota.models import Assignment, Role, Shift
from volunteers.rota.places import PlaceError, take_place
from volunteers.wellbeing import (
    ShiftSpan,
    evaluate_volunteer,
    is_at_least,
    severity_rank,
)
from volunteers.wellbeing.services import policy_for, schedules_for

HISTORY = timedelta(days=63)  #: the load rules look this far back (28 + 35 days of load_spike)
FOLLOWING = timedelta(days=35)  #: … and planned places this far after the period still count
Pair = tuple[str, str]  #: (shift id, membership id) as strings, as the solver names them


@dataclass(frozen=True)
class FillInputs:
    """A period's shifts, candidates and everyone's history, as the solver wants them."""

    tz: ZoneInfo
    shifts: dict[int, Shift]  #: the period's planned shifts that have not started
    open_shifts: list[OpenShift]
    candidates: dict[int, Candidate]
    members: dict[int, Membership]
    history: dict[str, list[ShiftSpan]]
    person_limits: dict[str, dict[str, Any]]


class Applied(list[Assignment]):
    """The assignments saved (a list), and the accepted places that could not be saved."""

    def __init__(self, saved: Iterable[Assignment], skipped: list[tuple[Pair, str]]) -> None:
        super().__init__(saved)
        #: (shift id, membership id) → why it was not saved (the place is gone, a new warning, …)
        self.skipped = skipped


def period_bounds(org: Organisation, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Return the UTC half-open interval of local dates ``first_day..last_day`` (inclusive)."""
    if last_day < first_day:
        raise ValueError(f"the period ends ({last_day}) before it starts ({first_day})")
    return day_bounds(first_day, org.timezone)[0], day_bounds(last_day, org.timezone)[1]


def load_inputs(org: Organisation, start: datetime, end: datetime, now: datetime,
                viewer: Membership | None = None) -> FillInputs:
    """Return what the solver needs for the planned shifts starting in ``[start, end)`` after ``now``
    (only those at a site coordinator's sites, for ``viewer`` limited to some: ``rota.site_scope``)."""
    tz = ZoneInfo(org.timezone or "Europe/London")
    shifts = {s.id: s for s in db.session.scalars(site_scope.within_sites(
        scoped(Shift, org).where(Shift.status == "planned", Shift.starts_at >= max(start, now),
                                 Shift.starts_at < end), Shift.site_id, viewer).order_by(Shift.starts_at, Shift.id))}
    open_shifts = open_shifts_for(org, shifts.values())
    candidates = load_candidates(org, None, start, end)
    members = {m.id: m for m in db.session.scalars(
        scoped(Membership, org).where(Membership.id.in_(list(candidates))))} if candidates else {}
    # Volunteers, and coordinators or admins who pledge hours: the others run the rota, not its shifts.
    members = {mid: m for mid, m in members.items()
               if m.role == "volunteer" or (m.pledged_hours_per_week or 0) > 0}
    candidates = {mid: c for mid, c in candidates.items() if mid in members}
    on_period = set(db.session.scalars(
        scoped(Assignment, org, Assignment.id).where(Assignment.shift_id.in_(list(shifts))))) if shifts else set()
    history: dict[str, list[ShiftSpan]] = defaultdict(list)
    if candidates:
        schedules = schedules_for(org, list(candidates), start - HISTORY, end + FOLLOWING)
        for mid, schedule in schedules.items():
            history[str(mid)] = [replace(span, ref=f"a{span.ref}") for span in schedule.shifts
                                 if span.ref is None or int(span.ref) not in on_period]
        for mid, span in _first_places(org, list(candidates), start - HISTORY).items():
            history[str(mid)].insert(0, span)
    return FillInputs(
        tz=tz, shifts=shifts, open_shifts=[open_shifts[sid] for sid in shifts],
        candidates=candidates, members=members, history=dict(history),
        person_limits={str(mid): dict(m.limits) for mid, m in members.items() if m.limits})


def _first_places(org: Organisation, member_ids: list[int], before: datetime) -> dict[int, ShiftSpan]:
    """Return each member's first live place before ``before`` (when their history begins).

    load_spike judges only from 35 days after a person's first shift; the
    history window alone could make someone look newer than they are. Two queries.
    """
    if not member_ids:
        return {}
    live = (Assignment.status.not_in(("cancelled", "no_show")), Shift.status != "cancelled")
    joined = (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id)
    firsts = db.session.execute(
        scoped(Assignment, org, Assignment.membership_id, func.min(Shift.starts_at)).join(Shift, joined)
        .where(Assignment.membership_id.in_(member_ids), Shift.starts_at < before, *live)
        .group_by(Assignment.membership_id)).all()
    if not firsts:
        return {}
    rows = db.session.execute(
        scoped(Assignment, org, Assignment.id, Assignment.membership_id, Shift.starts_at, Shift.ends_at,
               Role.name, Role.intensity, Role.on_call)
        .join(Shift, joined)
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .where(tuple_(Assignment.membership_id, Shift.starts_at).in_([tuple(row) for row in firsts]), *live)
        .order_by(Assignment.id))
    out: dict[int, ShiftSpan] = {}
    for a_id, mid, starts_at, ends_at, role, intensity, on_call in rows:
        out.setdefault(mid, ShiftSpan(starts_at, ends_at, role, float(intensity), bool(on_call), ref=f"a{a_id}"))
    return out


def propose_fill(org: Organisation, first_day: date, last_day: date, now: datetime,
                 time_limit_s: float = 10.0, seed: int = 0, viewer: Membership | None = None) -> Proposal:
    """Propose who takes the open places of local dates ``first_day..last_day`` (inclusive).

    Shifts that have started by ``now`` are left alone. The proposal never
    raises a new load warning of severity "warning" or above. A coordinator
    limited to some sites (``viewer``) fills only their shifts.

    :raises ValueError: for a period that ends before it starts, or a load policy the rules refuse.
    """
    start, end = period_bounds(org, first_day, last_day)
    inputs = load_inputs(org, start, end, now, viewer)
    return fill(inputs.open_shifts, list(inputs.candidates.values()), tz=inputs.tz,
                history=inputs.history, policy=policy_for(org), as_of=now,
                time_limit_s=time_limit_s, seed=seed, person_limits=inputs.person_limits)


def apply_fill(org: Organisation, proposal: Proposal, accepted_pairs: Iterable[Pair], now: datetime,
               actor_person_id: int | None) -> Applied:
    """Save the accepted places of ``proposal`` with source ``auto``; flushes, never commits.

    Places not in the proposal are refused. Each person's schedule is judged
    again with the canonical load rules before saving (the rota may have
    changed since the proposal); a place that would now raise a new warning,
    overlap a duty taken meanwhile, or whose place has gone, is skipped and
    reported in ``Applied.skipped``.
    """
    offered = {(p.shift_id, p.candidate_id) for p in proposal.assignments}
    accepted = sorted({(str(s), str(c)) for s, c in accepted_pairs})
    skipped = [(pair, "not in the proposal") for pair in accepted if pair not in offered]
    return save_places(org, [pair for pair in accepted if pair in offered], now, actor_person_id,
                       skipped=skipped)


def save_places(org: Organisation, pairs: Iterable[Pair], now: datetime, actor_person_id: int | None,
                *, skipped: list[tuple[Pair, str]] | None = None,
                within: tuple[datetime, datetime] | None = None, viewer: Membership | None = None) -> Applied:
    """Put each (shift, member) pair on the rota with source ``auto`` if it is still allowed and free.

    Each pair is checked again as a coordinator's own choice would be: the
    member is active and eligible (qualified on the day, available, not on
    leave, not on another duty then) and the place raises no new load
    warning of severity "warning" or above; then the guarded UPDATE takes
    the place, or reports that it has gone. ``within`` limits the shifts to
    a period (UTC half-open, by start); ``viewer`` (a site coordinator) to their sites.
    """
    skipped = list(skipped or ())
    wanted: dict[int, list[int]] = defaultdict(list)
    for shift_key, member_key in pairs:
        wanted[int(member_key)].append(int(shift_key))
    query = site_scope.within_sites(scoped(Shift, org).where(
        Shift.id.in_([sid for sids in wanted.values() for sid in sids])), Shift.site_id, viewer)
    if within is not None:  # only the period the coordinator was shown
        query = query.where(Shift.starts_at >= within[0], Shift.starts_at < within[1])
    shifts = {s.id: s for s in db.session.scalars(query)}
    members = {m.id: m for m in db.session.scalars(
        scoped(Membership, org).where(Membership.id.in_(list(wanted)), Membership.status == "active"))}
    tz = ZoneInfo(org.timezone or "Europe/London")
    people = load_candidates(org, list(members), min((s.starts_at for s in shifts.values()), default=now),
                             max((s.ends_at for s in shifts.values()), default=now)) if members else {}
    open_shifts = open_shifts_for(org, shifts.values())
    saved = []
    for mid in sorted(wanted):
        sids = [sid for sid in sorted(set(wanted[mid])) if sid in shifts]
        for sid in sorted(set(wanted[mid]) - set(sids)):
            skipped.append(((str(sid), str(mid)), "that shift no longer exists in this period"))
        if mid not in members or mid not in people:
            skipped.extend(((str(sid), str(mid)), "not an active member") for sid in sids)
            continue
        eligible = []
        for sid in sids:
            reasons = check(people[mid], open_shifts[sid], tz)
            if reasons:
                skipped.append(((str(sid), str(mid)), "; ".join(r.message for r in reasons)))
            else:
                eligible.append(sid)
        sids = eligible
        safe, refused = _still_safe(org, members[mid], [shifts[sid] for sid in sids], tz, now)
        skipped.extend(((str(sid), str(mid)), why) for sid, why in refused)
        for sid in safe:
            try:
                saved.append(take_place(org, sid, mid, source="auto", now=now))
            except PlaceError as error:
                skipped.append(((str(sid), str(mid)), str(error)))
    if saved:
        audit.record(org, actor_person_id, "rota.auto_fill", "shift", None,
                     places=len(saved), skipped=len(skipped),
                     assignments=[a.id for a in saved], now=now)
    analyze_if_grown(db.session, {Assignment: len(saved)})  # a month of places at once: true planner statistics
    return Applied(saved, skipped)


def _still_safe(org: Organisation, member: Membership, shifts: list[Shift], tz: ZoneInfo,
                now: datetime) -> tuple[list[int], list[tuple[int, str]]]:
    """Return the shifts ``member`` may still take, and (shift id, why not) for the rest.

    Judged on the member's live places now: an overlap with a duty taken
    meanwhile, or a new warning of severity "warning" or above, refuses the
    place (the latest first, one at a time).
    """
    if not shifts:
        return [], []
    first = min(s.starts_at for s in shifts)
    last = max(s.starts_at for s in shifts)
    schedule = schedules_for(org, [member.id], first - HISTORY, last + FOLLOWING)[member.id]
    earlier = _first_places(org, [member.id], first - HISTORY).get(member.id)
    base = list(schedule.shifts) + ([earlier] if earlier else [])
    refused: list[tuple[int, str]] = []
    kept: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: s.starts_at):
        clash = next((span for span in base + [_span(s) for s in kept]
                      if span.start < shift.ends_at and shift.starts_at < span.end), None)
        if clash is not None:
            refused.append((shift.id, "already on duty then"))
        else:
            kept.append(shift)
    policy = policy_for(org, member)

    def serious(spans: list[ShiftSpan]) -> dict[tuple[str, str], tuple[int, float]]:
        # the schedule as read, load from outside the rota included (logged contact time, open cases)
        found = replace(schedule, shifts=tuple(sorted(spans, key=lambda s: s.start)))
        return {(w.rule, w.episode_key): (severity_rank(w.severity), w.value)
                for w in evaluate_volunteer(found, now, tz, policy) if is_at_least(w.severity, "warning")}

    before = serious(base)
    while kept:
        after = serious(base + [_span(s) for s in kept])
        new = [key for key, grade in after.items() if key not in before or grade > before[key]]
        if not new:
            break
        dropped = kept.pop()
        refused.append((dropped.id, f"would now raise a {new[0][0].replace('_', ' ')} warning"))
    return [s.id for s in kept], refused


def _span(shift: Shift) -> ShiftSpan:
    role = shift.role
    return ShiftSpan(shift.starts_at, shift.ends_at, role.name, float(role.intensity), role.on_call,
                     ref=f"s{shift.id}")


def propose_replacement(org: Organisation, assignment: Assignment, now: datetime,
                        time_limit_s: float = 5.0, seed: int = 0) -> Proposal:
    """Propose who should take ``assignment``'s place, changing as little else as possible.

    The place may still be held (someone says they will cancel) or already
    cancelled. The rota of the fortnight either side is the context: others'
    places there may move only when that is the only way to cover the gap.
    """
    shift = db.session.get(Shift, assignment.shift_id)
    if shift is None or assignment.organisation_id != org.id or shift.organisation_id != org.id:
        raise ValueError("that assignment does not belong to this organisation")
    start, end = shift.starts_at - timedelta(days=14), shift.starts_at + timedelta(days=14)
    inputs = load_inputs(org, start, end, now)
    sid, mid = str(shift.id), str(assignment.membership_id)
    shifts = []
    for s in inputs.open_shifts:
        if s.id == sid and mid not in s.assigned and s.open_places == 0:
            raise ValueError("that place has been taken again")
        shifts.append(s)
    if sid not in {s.id for s in shifts}:
        raise ValueError("that shift has started, is over or was cancelled")
    return repair(shifts, list(inputs.candidates.values()), tz=inputs.tz, history=inputs.history,
                  cancelled=(sid, mid), policy=policy_for(org), as_of=now,
                  time_limit_s=time_limit_s, seed=seed, person_limits=inputs.person_limits)
