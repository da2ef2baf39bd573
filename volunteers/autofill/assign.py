"""Putting a member on a shift by hand, with the checks and overrides the board asks for.

Assigning asks two questions before taking the place: may this person take
the shift (``rota.domain.eligibility`` — qualifications on that date,
availability, leave, overlaps) and would it raise a load warning
(``wellbeing.services.prospective_warnings_for``). Either can be overridden
by the coordinator: ineligibility and critical warnings need a typed
reason, a warning-level result a click. Overrides are kept in
``Assignment.override_reason`` and in the audit log. The place itself is
taken by ``rota.places.take_place``'s guarded UPDATE, so nothing here can
overbook. Services flush and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped
from volunteers.core.timeutil import zone
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import Reason, check
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError, take_place
from volunteers.wellbeing import LoadWarning
from volunteers.wellbeing import services as wellbeing

#: load-warning severities that stop an assignment until the coordinator accepts them
BLOCKING = ("warning", "critical")
INACTIVE = "inactive"


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
    warnings: list[LoadWarning] = field(default_factory=list)
    needs: str | None = None


def would_be_warnings(org: Organisation, membership: Membership, shifts: list[Shift],
                      now: datetime) -> list[LoadWarning]:
    """Return the load warnings ``membership`` would newly have (or have worse) with ``shifts`` added.

    Each is a ``volunteers.wellbeing.LoadWarning`` (``rule``, ``severity``,
    ``message`` …), worst first; notices included.
    """
    return would_be_warnings_for(org, [membership], shifts, now)[membership.id]


def would_be_warnings_for(
    org: Organisation, memberships: list[Membership], shifts: list[Shift], now: datetime,
    steady: list[tuple[float, float] | None] | None = None,
) -> dict[int, list[LoadWarning]]:
    """Return membership id → :func:`would_be_warnings`, in a constant number of queries (the candidate list).

    ``steady``: as :func:`volunteers.wellbeing.prospective_warnings_for`'s (where each answer holds)."""
    return wellbeing.prospective_warnings_for(org, memberships, shifts, now, steady)


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
            now=now,
        )
    else:
        audit.record(org, actor_person_id, "rota.assign", "assignment", outcome.assignment.id, None,
                     shift_id=shift.id, membership_id=membership.id, now=now)
    return outcome
