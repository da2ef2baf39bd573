"""Rota use cases: one-off shifts, cancelling, assigning by hand (with overrides) and removing.

Assigning asks two questions before taking the place: may this person take
the shift (``rota.domain.eligibility`` — qualifications on that date,
availability, leave, overlaps) and would it raise a load warning
(``wellbeing.services.prospective_warnings_for``). Either can
be overridden by the coordinator: ineligibility and critical warnings need
a typed reason, a warning-level result a click. Overrides are kept in
``Assignment.override_reason`` and in the audit log. The place itself is
taken by ``places.take_place``'s guarded UPDATE, so nothing here can
overbook. Services flush and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import selectinload

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import shift_bounds, zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.people.services import ServiceError
from volunteers.rota import notify
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import Reason, check
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, Site
from volunteers.rota.places import PlaceError, release_place, take_place

#: load-warning severities that stop an assignment until the coordinator accepts them
BLOCKING = ("warning", "critical")
INACTIVE = "inactive"


@dataclass(frozen=True)
class ShiftSpec:
    """A one-off shift in local wall-clock terms."""

    day: date
    start: time
    end: time
    role_id: int
    site_id: int
    needed: int = 1
    notes: str | None = None


@dataclass
class AssignOutcome:
    """What happened when a coordinator asked to put someone on a shift.

    ``needs`` is None when the person is on the shift; otherwise it says
    what the coordinator must give to go ahead: ``"override"`` (ineligible:
    a typed reason), ``"reason"`` (a critical load warning: a typed reason)
    or ``"accept"`` (a warning-level load warning: one click).
    """

    shift: Shift
    membership: Membership
    assignment: Assignment | None = None
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    needs: str | None = None


def would_be_warnings(org: Organisation, membership: Membership, shifts: list[Shift], now: datetime) -> list[Any]:
    """Return the load warnings ``membership`` would newly have (or have worse) with ``shifts`` added.

    Each is a ``volunteers.wellbeing.LoadWarning`` (``rule``, ``severity``,
    ``message`` …), worst first; notices included.
    """
    return would_be_warnings_for(org, [membership], shifts, now)[membership.id]


def would_be_warnings_for(
    org: Organisation, memberships: list[Membership], shifts: list[Shift], now: datetime
) -> dict[int, list[Any]]:
    """Return membership id → :func:`would_be_warnings`, in a constant number of queries (the candidate list)."""
    # imported here: wellbeing reads rota's models, so importing it at module level would be circular
    from volunteers.wellbeing.services import prospective_warnings_for

    return prospective_warnings_for(org, memberships, shifts, now)


def create_shift(org: Organisation, spec: ShiftSpec) -> Shift:
    """Create a one-off shift (not part of a series)."""
    role, site = _role_and_site(org, spec.role_id, spec.site_id)
    if not 1 <= spec.needed <= 100:
        raise ServiceError("Between 1 and 100 people.", "needed")
    try:
        starts_at, ends_at = shift_bounds(spec.day, spec.start, spec.end, zone(org.timezone))
    except ValueError as error:
        raise ServiceError(str(error), "end") from None
    shift = Shift(
        organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=starts_at, ends_at=ends_at,
        local_date=spec.day, needed=spec.needed, filled=0, status="planned", notes=spec.notes or None,
    )
    db.session.add(shift)
    db.session.flush()
    return shift


def _role_and_site(org: Organisation, role_id: int, site_id: int) -> tuple[Role, Site]:
    role = get_scoped(Role, org, role_id)
    if role is None or role.archived_at is not None:
        raise ServiceError("Choose one of the organisation's roles.", "role_id")
    site = get_scoped(Site, org, site_id)
    if site is None or site.archived_at is not None:
        raise ServiceError("Choose one of the organisation's sites.", "site_id")
    return role, site


def set_needed(org: Organisation, shift: Shift, needed: int) -> None:
    """Change how many people a shift needs; never below the people already on it.

    A guarded UPDATE, so a sign-up racing with the change cannot leave the
    shift overbooked.
    """
    if not 1 <= needed <= 100:
        raise ServiceError("Between 1 and 100 people.", "needed")
    changed = db.session.execute(
        update(Shift)
        .where(Shift.organisation_id == org.id, Shift.id == shift.id, Shift.filled <= needed)
        .values(needed=needed)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["needed", "filled"])
    if changed.rowcount != 1:
        raise ServiceError(f"{shift.filled} people are on this shift: remove someone first.", "needed")


def live_assignments(org: Organisation, shift_ids: list[int]) -> list[Assignment]:
    """Return the assignments holding places on these shifts (people loaded alongside)."""
    if not shift_ids:
        return []
    return list(db.session.scalars(
        scoped(Assignment, org)
        .where(Assignment.shift_id.in_(shift_ids), Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .options(selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Assignment.id)
    ))


def cancel_shift(
    org: Organisation, shift: Shift, now: datetime, actor_person_id: int | None, reason: str | None = None
) -> int:
    """Cancel a future shift, free its places and tell everyone on it; return how many were told."""
    if shift.status == "cancelled":
        return 0
    if shift.ends_at <= now:
        raise ServiceError("That shift is over; record attendance instead.", "shift")
    people = live_assignments(org, [shift.id])
    db.session.execute(
        update(Shift).where(Shift.organisation_id == org.id, Shift.id == shift.id)
        .values(status="cancelled").execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["status"])
    for assignment in people:
        release_place(org, assignment, now)
        notify.shift_cancelled(org, shift, assignment, reason, now)
        # told now: the next publish has nothing more to say about it
        assignment.notified_at, assignment.notified_sequence = now, assignment.sequence
    audit.record(org, actor_person_id, "rota.cancel_shift", "shift", shift.id, reason, people=len(people))
    db.session.flush()
    return len(people)


def assign(
    org: Organisation,
    shift_id: int,
    membership_id: int,
    *,
    actor_person_id: int | None,
    now: datetime,
    override_reason: str | None = None,
    accept_warnings: bool = False,
) -> AssignOutcome:
    """Put a member on a shift by hand, or say what override it needs.

    :raises PlaceError: not_found, cancelled, past, already_on or full.
    """
    shift = get_scoped(Shift, org, shift_id)
    membership = get_scoped(Membership, org, membership_id)
    if shift is None or membership is None or membership.status == "left":
        raise PlaceError("not_found", "That shift or person does not exist.")
    open_shift = open_shift_for(org, shift)
    if str(membership.id) in open_shift.assigned:
        raise PlaceError("already_on", f"{membership.person.name} is already on this shift.")
    outcome = AssignOutcome(shift, membership)
    candidate = load_candidates(org, [membership.id], shift.starts_at, shift.ends_at, active_only=False)[membership.id]
    outcome.reasons = check(candidate, open_shift, zone(org.timezone))
    if membership.status != "active":
        outcome.reasons.append(Reason(INACTIVE, f"membership is {membership.status}"))
    reason = (override_reason or "").strip() or None
    outcome.warnings = would_be_warnings(org, membership, [shift], now)
    blocking = [w for w in outcome.warnings if w.severity in BLOCKING]
    if outcome.reasons and reason is None:
        outcome.needs = "override"
    elif any(w.severity == "critical" for w in blocking) and reason is None:
        outcome.needs = "reason"
    elif blocking and not accept_warnings and reason is None:
        outcome.needs = "accept"
    if outcome.needs:
        return outcome
    if reason is None and blocking:
        reason = "Load warning accepted: " + ", ".join(f"{w.rule} ({w.severity})" for w in blocking)
    outcome.assignment = take_place(
        org, shift.id, membership.id, source="coordinator", now=now,
        override_reason=reason if (outcome.reasons or blocking) else None,
    )
    if outcome.reasons or blocking:
        audit.record(
            org, actor_person_id, "rota.assign_override", "assignment", outcome.assignment.id, reason,
            shift_id=shift.id, membership_id=membership.id,
            ineligible=[r.message for r in outcome.reasons],
            warnings=[{"rule": w.rule, "severity": w.severity, "message": w.message} for w in blocking],
        )
    return outcome


def remove_assignment(org: Organisation, assignment_id: int, now: datetime, actor_person_id: int | None) -> Assignment:
    """Take someone off a shift (their place opens again); published changes are told at the next publish."""
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None:
        raise PlaceError("not_found", "That assignment does not exist.")
    if assignment.shift.ends_at <= now:
        raise PlaceError("past", "That shift is over.")
    release_place(org, assignment, now)
    audit.record(org, actor_person_id, "rota.remove", "assignment", assignment.id, None,
                 shift_id=assignment.shift_id, membership_id=assignment.membership_id)
    return assignment
