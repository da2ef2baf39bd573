"""Volunteer self-service: open shifts they may take, signing up, cancelling with notice.

Sign-up asks the same questions as the coordinator's board — eligibility
(``rota.domain.eligibility``: qualification valid on the date, stated
availability, leave, no overlap) and load (``wellbeing.services.
prospective_warnings`` once it exists) — and takes the place through
``places.take_place``'s guarded UPDATE, so a full shift is refused cleanly
and never overbooked. A load warning of severity ``warning`` asks the
volunteer to confirm; a ``critical`` one turns the sign-up into a request
the coordinator decides (a ShiftOffer of kind ``signup_request``).

Cancelling follows the organisation's notice rule (``rota.domain.
self_service``): in time, the place is released and the coordinators are
told; inside the notice period it becomes a ``cancel_request`` for the
coordinator and a "cover needed" call to the right few, in waves
(``selfservice.cover_waves``). Swaps and the
coordinator's decisions are in ``rota.swaps``. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, select, update
from sqlalchemy.orm import joinedload

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, ShiftOffer
from volunteers.rota.places import PlaceError, release_place, take_place
from volunteers.selfservice import cover_waves
from volunteers.selfservice import messages as mail
from volunteers.selfservice.domain.notice import (
    DEFAULT_NOTICE_HOURS,
    hours_setting,
    may_self_cancel,
)
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.wellbeing import services as wellbeing

#: how far ahead the open-shifts page looks
OPEN_SHIFT_DAYS = 42
#: assignment statuses a volunteer may still cancel or offer
LIVE = ("assigned", "confirmed")
PENDING = ("open", "taken")


class SelfServiceError(ValueError):
    """A self-service action was refused; ``code`` is stable, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class SignUpOutcome:
    """``status``: ``signed_up``, ``confirm`` (warnings to accept first) or ``requested`` (critical)."""

    status: str
    shift: Shift
    assignment: Assignment | None = None
    offer: ShiftOffer | None = None
    warnings: list[Any] = field(default_factory=list)


@dataclass
class CancelOutcome:
    """``status``: ``cancelled`` (in time) or ``requested`` (inside the notice period)."""

    status: str
    assignment: Assignment
    offer: ShiftOffer | None = None
    asked_to_cover: int = 0


def notice_hours(org: Organisation) -> float:
    return hours_setting(org.setting("self_cancel_notice_hours", DEFAULT_NOTICE_HOURS), DEFAULT_NOTICE_HOURS)


def load_warnings(org: Organisation, membership: Membership, shifts: list[Shift], now: datetime) -> list[Any]:
    """Return the load warnings taking ``shifts`` would raise for ``membership``.

    Each warning has ``rule``, ``severity`` and ``message``; notices are left out.
    """
    return [w for w in wellbeing.prospective_warnings(org, membership, shifts, now)
            if w.severity in ("warning", "critical")]


def warning_dicts(warnings: list[Any]) -> list[dict[str, str]]:
    return [{"rule": w.rule, "severity": w.severity, "message": w.message} for w in warnings]


@dataclass(frozen=True)
class OpenShiftItem:
    """An open shift a member may take, for the open-shifts page."""

    shift: Shift
    membership: Membership
    places_left: int


def open_shifts(memberships: list[Membership], now: datetime, days: int = OPEN_SHIFT_DAYS) -> list[OpenShiftItem]:
    """Return the published shifts with free places each active membership is eligible for, by start.

    A constant number of queries per organisation (shifts, their people, and
    the member's qualifications, availability, leave and duties in bulk).
    """
    items: list[OpenShiftItem] = []
    end = now + timedelta(days=days)
    for membership in memberships:
        if membership.status != "active":
            continue
        org = membership.organisation
        shifts = list(db.session.scalars(
            scoped(Shift, org)
            .where(Shift.status == "planned", Shift.published_at.is_not(None), Shift.published_at <= now,
                   Shift.starts_at > now, Shift.starts_at < end, Shift.filled < Shift.needed)
            # role, its qualifications and site joined: one statement (unique(): a role may need several)
            .options(joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site))
            .order_by(Shift.starts_at, Shift.id)
        ).unique())
        if not shifts:
            continue
        candidate = load_candidates(org, [membership.id], now, end).get(membership.id)
        if candidate is None:
            continue
        tz = zone(org.timezone)
        by_id = {shift.id: shift for shift in shifts}
        for shift_id, value in open_shifts_for(org, shifts).items():
            if value.open_places and candidate.id not in value.assigned and not check(candidate, value, tz):
                items.append(OpenShiftItem(by_id[shift_id], membership, value.open_places))
    return sorted(items, key=lambda item: (item.shift.starts_at, item.shift.id))


def _visible_shift(org: Organisation, shift_id: int, now: datetime) -> Shift:
    shift = get_scoped(Shift, org, shift_id)
    if shift is None or shift.published_at is None or shift.published_at > now:
        raise SelfServiceError("not_found", "That shift does not exist.")
    if shift.status != "planned":
        raise SelfServiceError("cancelled", "That shift has been cancelled.")
    if shift.starts_at <= now:
        raise SelfServiceError("started", "That shift has already started.")
    return shift


def ineligibility(org: Organisation, membership: Membership, shift: Shift) -> list[str]:
    """Return why ``membership`` may not take ``shift`` (empty: they may), in plain words."""
    candidate = load_candidates(org, [membership.id], shift.starts_at, shift.ends_at).get(membership.id)
    if candidate is None:
        return [f"your membership is {membership.status}"]
    return [reason.message for reason in check(candidate, open_shift_for(org, shift), zone(org.timezone))]


def may_take(org: Organisation, membership: Membership, shift: Shift, now: datetime) -> list[Any]:
    """Check that ``membership`` may take a place on ``shift`` offered to them; return the load warnings.

    The gate every "take this offered place" path shares (a swap or cover,
    a waiting-list offer): not eligible or a critical load warning refuses;
    lesser warnings come back for the person to confirm (and for the record
    once they have).

    :raises SelfServiceError: not_eligible, too_much.
    """
    reasons = ineligibility(org, membership, shift)
    if reasons:
        raise SelfServiceError("not_eligible", "You can't take this shift: " + "; ".join(reasons) + ".")
    warnings = load_warnings(org, membership, [shift], now)
    if any(w.severity == "critical" for w in warnings):
        raise SelfServiceError("too_much", "Taking this shift would put too much on you: "
                               + "; ".join(w.message for w in warnings) + " Please talk to your coordinator.")
    return warnings


def held_for_others(org: Organisation, shift_id: int, membership_id: int) -> ScalarSelect[int]:
    """The places of ``shift_id`` a waiting list holds for someone other than ``membership_id`` (open offers).

    A scalar subquery for ``take_place``'s guarded UPDATE: a sign-up or a
    cover take counts these places as taken, in the same statement, so a
    place held for the first person waiting cannot be taken from under them.
    """
    return (select(func.count()).select_from(WaitingListEntry)
            .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.shift_id == shift_id,
                   WaitingListEntry.status == "offered", WaitingListEntry.membership_id != membership_id,
                   WaitingListEntry.membership_id.not_in(on_the_shift(org, shift_id)))
            .scalar_subquery())


def on_the_shift(org: Organisation, shift_id: int) -> Select[int]:
    """The members holding a place on ``shift_id`` — an offer made to one of them holds no place.

    They got on another way (signed up, or put on by the coordinator) while
    their offer was open: until the waiting list's job ends that offer, it
    must not keep a place from everyone else.
    """
    return select(Assignment.membership_id).where(
        Assignment.organisation_id == org.id, Assignment.shift_id == shift_id,
        Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))


def sign_up(
    org: Organisation, membership: Membership, shift_id: int, now: datetime, *, confirmed: bool = False,
) -> SignUpOutcome:
    """Put a volunteer on an open shift they are eligible for, or say what stands in the way.

    :raises SelfServiceError: not_found, cancelled, started, already_on, full, not_eligible.
    """
    shift = _visible_shift(org, shift_id, now)
    value = open_shift_for(org, shift)
    if str(membership.id) in value.assigned:
        raise SelfServiceError("already_on", "You are already on this shift.")
    if not value.open_places:
        raise SelfServiceError("full", "Sorry — that shift is already full.")
    held = held_for_others(org, shift.id, membership.id)
    if shift.needed - shift.filled - (db.session.scalar(select(held)) or 0) <= 0:
        raise SelfServiceError("full", "Sorry — the free places on this shift are held for people on its waiting list.")
    reasons = ineligibility(org, membership, shift)
    if reasons:
        raise SelfServiceError("not_eligible", "You can't take this shift: " + "; ".join(reasons) + ".")
    warnings = load_warnings(org, membership, [shift], now)
    if any(w.severity == "critical" for w in warnings):
        return SignUpOutcome("requested", shift, offer=_request_sign_up(org, membership, shift, warnings, now),
                             warnings=warnings)
    if warnings and not confirmed:
        return SignUpOutcome("confirm", shift, warnings=warnings)
    accepted = "Load warning accepted by the volunteer: " + ", ".join(f"{w.rule} ({w.severity})" for w in warnings)
    try:
        assignment = take_place(org, shift.id, membership.id, source="self", now=now,
                                override_reason=accepted if warnings else None, held=held)
    except PlaceError as error:
        raise SelfServiceError(error.code, str(error)) from None
    if warnings:
        audit.record(org, membership.person_id, "rota.self_sign_up_warning", "assignment", assignment.id,
                     accepted, warnings=warning_dicts(warnings), now=now)
    return SignUpOutcome("signed_up", shift, assignment=assignment, warnings=warnings)


def _request_sign_up(
    org: Organisation, membership: Membership, shift: Shift, warnings: list[Any], now: datetime
) -> ShiftOffer:
    existing = db.session.scalar(scoped(ShiftOffer, org).where(
        ShiftOffer.kind == "signup_request", ShiftOffer.shift_id == shift.id,
        ShiftOffer.taken_by_membership_id == membership.id, ShiftOffer.status.in_(PENDING)))
    if existing is not None:
        return existing
    offer = ShiftOffer(organisation_id=org.id, kind="signup_request", shift_id=shift.id,
                       taken_by_membership_id=membership.id, status="open", warnings=warning_dicts(warnings),
                       created_at=now)
    db.session.add(offer)
    db.session.flush()
    mail.tell_coordinators(
        org, shift, now=now, key=f"signup_request:{org.id}:{offer.id}", subject="Sign-up to approve",
        headline=f"{membership.person.name} would like to take this shift, but it would put a lot on them:",
        lines=[w.message for w in warnings] + ["Approve or decline it on the requests page."])
    return offer


def own_assignment(org: Organisation, membership: Membership, assignment_id: int) -> Assignment:
    """Return the member's own assignment, or raise not_found (someone else's is not found either)."""
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None or assignment.membership_id != membership.id:
        raise SelfServiceError("not_found", "That shift is not one of yours.")
    return assignment


def cancel(org: Organisation, membership: Membership, assignment_id: int, now: datetime,
           note: str | None = None) -> CancelOutcome:
    """Cancel a place in time, or ask the coordinator (and call for cover, in waves) inside the notice period.

    :raises SelfServiceError: not_found, not_live, started.
    """
    assignment = own_assignment(org, membership, assignment_id)
    if assignment.status not in LIVE:
        raise SelfServiceError("not_live", "That place is already cancelled or recorded.")
    shift = assignment.shift
    if shift.starts_at <= now:
        raise SelfServiceError("started", "That shift has started: please call your coordinator.")
    hours = notice_hours(org)
    if may_self_cancel(shift.starts_at, now, hours):
        close_offers(org, assignment.id, now)
        release_place(org, assignment, now)
        mark_told(assignment, now)
        mail.tell_coordinators(
            org, shift, now=now, key=f"self_cancel:{org.id}:{assignment.id}", subject="Cancelled",
            headline=f"{membership.person.name} has cancelled their place; it is open again.",
            lines=[note] if note else [])
        return CancelOutcome("cancelled", assignment)
    existing = db.session.scalar(scoped(ShiftOffer, org).where(
        ShiftOffer.kind == "cancel_request", ShiftOffer.assignment_id == assignment.id,
        ShiftOffer.status.in_(PENDING)))
    if existing is not None:
        return CancelOutcome("requested", assignment, existing)
    offer = ShiftOffer(organisation_id=org.id, kind="cancel_request", assignment_id=assignment.id,
                       shift_id=shift.id, status="open", note=(note or "").strip()[:1000] or None, created_at=now)
    db.session.add(offer)
    db.session.flush()
    asked = cover_waves.start_cover(org, shift, offer, now)
    size, minutes = cover_waves.settings_of(org)
    mail.tell_coordinators(
        org, shift, now=now, key=f"cancel_request:{org.id}:{offer.id}", subject="Late cancellation to decide",
        headline=(f"{membership.person.name} asks to cancel inside the {hours:g}-hour notice period. "
                  f"{asked} eligible {'person was' if asked == 1 else 'people were'} asked to cover; "
                  f"up to {size} more every {minutes} minutes until the place is taken."),
        lines=([f"Their note: {offer.note}"] if offer.note else []) + ["Approve or decline it on the requests page."])
    return CancelOutcome("requested", assignment, offer, asked)


def close_offers(org: Organisation, assignment_id: int, now: datetime, keep: int | None = None) -> None:
    """Withdraw the pending offers and requests on a place that has gone (but ``keep``)."""
    stmt = (update(ShiftOffer)
            .where(ShiftOffer.organisation_id == org.id, ShiftOffer.assignment_id == assignment_id,
                   ShiftOffer.status.in_(PENDING))
            .values(status="withdrawn", decided_at=now)
            .execution_options(synchronize_session="fetch"))
    if keep is not None:
        stmt = stmt.where(ShiftOffer.id != keep)
    db.session.execute(stmt)


def mark_told(assignment: Assignment, now: datetime) -> None:
    """Record that the person knows of this change already (they made it, or were e-mailed just now).

    The rota's publish tells people of changes they were not told of
    (``notified_sequence`` below ``sequence``); this keeps it from repeating ours.
    """
    assignment.notified_at, assignment.notified_sequence = now, assignment.sequence
