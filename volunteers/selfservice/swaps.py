"""Swaps and offers, and the coordinator's decisions on self-service requests.

A volunteer offers their place to a named colleague or to anyone eligible;
a colleague accepts (their eligibility and load are checked as for a
sign-up). The place then *moves*: the giver's assignment is cancelled and
the taker's created in one unit of work, and ``Shift.filled`` never
changes, so there is no moment at which the place is free for a third
person and the shift can never be overbooked. When the organisation sets
``swap_needs_approval`` the accepted offer waits (status ``taken``) for a
coordinator. A late cancellation (``cancel_request``) may be taken the
same way as cover, or approved (the place is released) or declined by a
coordinator; a ``signup_request`` (a critical load warning) is approved
(the place is taken, audited) or declined. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.signals import schedule_changed
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    Shift,
    ShiftOffer,
)
from volunteers.rota.places import PlaceError, release_place, take_place
from volunteers.selfservice import cover_waves
from volunteers.selfservice import messages as mail
from volunteers.selfservice.services import (
    LIVE,
    PENDING,
    SelfServiceError,
    close_offers,
    held_for_others,
    mark_told,
    may_take,
    own_assignment,
)


@dataclass
class AcceptOutcome:
    """``status``: ``moved`` (the place is theirs), ``waiting`` (for a coordinator) or ``confirm``."""

    status: str
    offer: ShiftOffer
    assignment: Assignment | None = None
    warnings: list[Any] = field(default_factory=list)


def offer_place(org: Organisation, membership: Membership, assignment_id: int, now: datetime,
                to_membership_id: int | None = None, note: str | None = None) -> ShiftOffer:
    """Offer one's place to a named colleague (or anyone eligible when None) and tell them.

    :raises SelfServiceError: not_found, not_live, started, colleague, already_offered.
    """
    assignment = own_assignment(org, membership, assignment_id)
    if assignment.status not in LIVE:
        raise SelfServiceError("not_live", "That place is already cancelled or recorded.")
    shift = assignment.shift
    if shift.starts_at <= now:
        raise SelfServiceError("started", "That shift has started.")
    colleague = None
    if to_membership_id is not None:
        colleague = get_scoped(Membership, org, to_membership_id)
        if colleague is None or colleague.status != "active" or colleague.id == membership.id:
            raise SelfServiceError("colleague", "Choose an active colleague from the list.")
    if db.session.scalar(scoped(ShiftOffer, org, ShiftOffer.id).where(
            ShiftOffer.kind == "swap", ShiftOffer.assignment_id == assignment.id, ShiftOffer.status.in_(PENDING))):
        raise SelfServiceError("already_offered", "You have already offered this shift; withdraw that offer first.")
    offer = ShiftOffer(organisation_id=org.id, kind="swap", assignment_id=assignment.id, shift_id=shift.id,
                       offered_to_membership_id=colleague.id if colleague else None, status="open",
                       note=(note or "").strip()[:1000] or None, created_at=now)
    db.session.add(offer)
    db.session.flush()
    mail.swap_offered(org, shift, offer.id, membership, colleague, now)
    return offer


def offers_open_to(memberships: list[Membership], now: datetime) -> list[tuple[ShiftOffer, Membership]]:
    """Return the swaps and cover calls each active membership could take, with that membership.

    Open offers to them by name or to anyone, in the future, not their own,
    for shifts they are not on and are eligible for. A constant number of
    queries per organisation, however many offers are open.
    """
    found: list[tuple[ShiftOffer, Membership]] = []
    for membership in memberships:
        if membership.status != "active":
            continue
        org = membership.organisation
        # first whether there is any, as a plain column: most views find none, and the five-way ORM load
        # below costs about a fifth of /me/shifts even when it returns nothing (issue 13)
        open_to_them = (
            scoped(ShiftOffer, org, ShiftOffer.id)
            .join(Shift, (Shift.id == ShiftOffer.shift_id) & (Shift.organisation_id == ShiftOffer.organisation_id))
            .join(Assignment, (Assignment.id == ShiftOffer.assignment_id)
                  & (Assignment.organisation_id == ShiftOffer.organisation_id))
            .where(ShiftOffer.kind.in_(("swap", "cancel_request")), ShiftOffer.status == "open",
                   Shift.starts_at > now, Shift.status == "planned", Assignment.status.in_(LIVE),
                   Assignment.membership_id != membership.id,
                   (ShiftOffer.offered_to_membership_id.is_(None))
                   | (ShiftOffer.offered_to_membership_id == membership.id))
        )
        if db.session.scalar(open_to_them.limit(1)) is None:
            continue
        offers = db.session.scalars(
            scoped(ShiftOffer, org).where(ShiftOffer.id.in_(open_to_them))
            .join(Shift, (Shift.id == ShiftOffer.shift_id) & (Shift.organisation_id == ShiftOffer.organisation_id))
            .options(joinedload(ShiftOffer.shift).joinedload(Shift.role).joinedload(Role.required_qualifications),
                     joinedload(ShiftOffer.shift).joinedload(Shift.site),
                     joinedload(ShiftOffer.assignment).joinedload(Assignment.membership)
                     .joinedload(Membership.person))  # one statement (unique(): a role may need several qualifications)
            .order_by(Shift.starts_at, ShiftOffer.id)
        ).unique().all()
        if not offers:
            continue
        shifts = {offer.shift.id: offer.shift for offer in offers if offer.shift is not None}
        last_end = max(s.ends_at for s in shifts.values())
        candidate = load_candidates(org, [membership.id], now, last_end).get(membership.id)
        if candidate is None:
            continue
        values, tz = open_shifts_for(org, shifts.values()), zone(org.timezone)
        for offer in offers:
            value = values[offer.shift_id]
            if candidate.id not in value.assigned and not check(candidate, value, tz):
                found.append((offer, membership))
    return found


def _pending_offer(org: Organisation, offer_id: int, kinds: tuple[str, ...]) -> ShiftOffer:
    offer = get_scoped(ShiftOffer, org, offer_id)
    if offer is None or offer.kind not in kinds:
        raise SelfServiceError("not_found", "That request does not exist.")
    if offer.status not in PENDING:
        raise SelfServiceError("decided", f"That request is already {offer.status}.")
    return offer


def accept_offer(org: Organisation, membership: Membership, offer_id: int, now: datetime,
                 *, confirmed: bool = False) -> AcceptOutcome:
    """Take a place offered (or a late cancellation as cover), or wait for the coordinator.

    :raises SelfServiceError: not_found, decided, started, gone, not_eligible, too_much, already_on.
    """
    offer = _pending_offer(org, offer_id, ("swap", "cancel_request"))
    giver = offer.assignment
    assert giver is not None
    if offer.status != "open" or giver.membership_id == membership.id or offer.offered_to_membership_id not in (
            None, membership.id):
        raise SelfServiceError("not_found", "That offer is not open to you.")
    shift = giver.shift
    if shift.starts_at <= now or shift.status != "planned":
        raise SelfServiceError("started", "That shift has started or been cancelled.")
    if giver.status not in LIVE:
        raise SelfServiceError("gone", "That place has already gone.")
    warnings = may_take(org, membership, shift, now)
    if warnings and not confirmed:
        return AcceptOutcome("confirm", offer, warnings=warnings)
    offer.taken_by_membership_id = membership.id
    if org.setting("swap_needs_approval", False):
        offer.status = "taken"
        db.session.flush()
        cover_waves.stop_cover(org, offer, now, "taken")
        mail.tell_coordinators(
            org, shift, now=now, key=f"swap_taken:{org.id}:{offer.id}", subject="Swap to approve",
            headline=f"{membership.person.name} would take {giver.membership.person.name}'s place.",
            lines=["Approve or decline it on the requests page."])
        return AcceptOutcome("waiting", offer, warnings=warnings)
    assignment = move_place(org, offer, membership, now)
    mail.tell(org, giver.membership, shift, now=now, key=f"swap_done:{org.id}:{offer.id}",
              subject="Your place is taken",
              headline=f"{membership.person.name} has taken your place — you are off this shift.")
    return AcceptOutcome("moved", offer, assignment, warnings)


def move_place(org: Organisation, offer: ShiftOffer, taker: Membership, now: datetime) -> Assignment:
    """Move the offered place from the giver to ``taker`` in one unit of work; mark the offer approved.

    ``filled`` is untouched: the giver's assignment is cancelled by a guarded
    UPDATE (it must still be live) and the taker's inserted in the same
    transaction, so no one else can take the place in between.
    """
    giver = offer.assignment
    assert giver is not None
    if db.session.scalar(scoped(Assignment, org, Assignment.id).where(
            Assignment.shift_id == giver.shift_id, Assignment.membership_id == taker.id,
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))):
        raise SelfServiceError("already_on", f"{taker.person.name} is already on this shift.")
    # an UPDATE without RETURNING gives a CursorResult (rowcount); Session.execute is typed as plain Result
    moved = cast(CursorResult[Any], db.session.execute(
        update(Assignment)
        .where(Assignment.organisation_id == org.id, Assignment.id == giver.id, Assignment.status.in_(LIVE))
        .values(status="cancelled", cancelled_at=now, updated_at=now, sequence=Assignment.sequence + 1)
        .execution_options(synchronize_session=False)
    ))
    if moved.rowcount != 1:
        raise SelfServiceError("gone", "That place has already gone.")
    assignment = Assignment(organisation_id=org.id, shift_id=giver.shift_id, membership_id=taker.id,
                            status="assigned", source="self", created_at=now, updated_at=now)
    db.session.add(assignment)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise SelfServiceError("already_on", f"{taker.person.name} is already on this shift.") from None
    db.session.refresh(giver)
    mark_told(giver, now)
    schedule_changed.send(db.session, organisation_id=org.id, membership_ids=[giver.membership_id, taker.id])
    offer.taken_by_membership_id = taker.id
    offer.status = "approved"
    offer.decided_at = now
    close_offers(org, giver.id, now, keep=offer.id)
    cover_waves.stop_cover(org, offer, now, "taken")  # the next wave is never sent
    db.session.flush()
    return assignment


def withdraw(org: Organisation, membership: Membership, offer_id: int, now: datetime) -> ShiftOffer:
    """Withdraw one's own pending offer or request (a swap, a late cancellation, a sign-up request)."""
    offer = _pending_offer(org, offer_id, ("swap", "cancel_request", "signup_request"))
    if _asker_id(offer) != membership.id:
        raise SelfServiceError("not_found", "That request is not yours.")
    offer.status, offer.decided_at = "withdrawn", now
    cover_waves.stop_cover(org, offer, now, "withdrawn")
    db.session.flush()
    return offer


def _asker_id(offer: ShiftOffer) -> int | None:
    """Return who made the request: the member asking for a shift, else the holder of the place on offer."""
    if offer.kind == "signup_request":
        return offer.taken_by_membership_id
    assert offer.assignment is not None  # the has_assignment constraint: every other kind names a place
    return offer.assignment.membership_id


def members_by_id(org: Organisation, ids: set[int]) -> dict[int, Membership]:
    """Return members (people loaded) by id, in one query: names for the requests page."""
    if not ids:
        return {}
    rows = db.session.scalars(scoped(Membership, org).where(Membership.id.in_(ids))
                              .options(selectinload(Membership.person)))
    return {m.id: m for m in rows}


def approve(org: Organisation, offer_id: int, actor_person_id: int, now: datetime) -> ShiftOffer:
    """Carry out a pending request as the coordinator, and tell the people concerned.

    :raises SelfServiceError: not_found, decided, waiting (a swap nobody has taken), full, gone, already_on.
    """
    offer = _pending_offer(org, offer_id, ("swap", "cancel_request", "signup_request"))
    shift = offer.shift
    assert shift is not None
    if offer.kind == "signup_request":
        taker = get_scoped(Membership, org, offer.taken_by_membership_id or 0)
        assert taker is not None
        reason = "Coordinator accepted load warning: " + ", ".join(
            f"{w['rule']} ({w['severity']})" for w in offer.warnings or [])
        try:
            assignment = take_place(org, shift.id, taker.id, source="self", now=now, override_reason=reason,
                                    held=held_for_others(org, shift.id, taker.id))
        except PlaceError as error:
            raise SelfServiceError(error.code, str(error)) from None
        offer.status, offer.decided_at = "approved", now
        audit.record(org, actor_person_id, "rota.approve_sign_up", "assignment", assignment.id, reason,
                     offer_id=offer.id, warnings=offer.warnings, now=now)
        mail.tell(org, taker, shift, now=now, key=f"decided:{org.id}:{offer.id}", subject="You're on",
                  headline="Your coordinator has approved your sign-up. Thank you — and look after yourself.")
        return offer
    giver = offer.assignment
    assert giver is not None
    if offer.taken_by_membership_id is not None:
        taker = get_scoped(Membership, org, offer.taken_by_membership_id)
        assert taker is not None
        move_place(org, offer, taker, now)
        for who, headline in ((giver.membership, f"{taker.person.name} takes your place — you are off this shift."),
                              (taker, "The place is yours: thank you for stepping in.")):
            mail.tell(org, who, shift, now=now, key=f"decided:{org.id}:{offer.id}", subject="Swap approved",
                      headline=headline)
    elif offer.kind == "cancel_request":
        close_offers(org, giver.id, now, keep=offer.id)
        release_place(org, giver, now)
        mark_told(giver, now)
        offer.status, offer.decided_at = "approved", now
        cover_waves.stop_cover(org, offer, now, "decided")
        mail.tell(org, giver.membership, shift, now=now, key=f"decided:{org.id}:{offer.id}",
                  subject="Cancellation approved",
                  headline="Your coordinator has approved your cancellation: you are off this shift.")
    else:
        raise SelfServiceError("waiting", "Nobody has taken this offer yet.")
    audit.record(org, actor_person_id, f"rota.approve_{offer.kind}", "shift_offer", offer.id, None,
                 assignment_id=giver.id, taken_by=offer.taken_by_membership_id, now=now)
    db.session.flush()
    return offer


def decline(org: Organisation, offer_id: int, actor_person_id: int, now: datetime,
            reason: str | None = None) -> ShiftOffer:
    """Decline a pending request; the asker keeps their place (or does not get one) and is told."""
    offer = _pending_offer(org, offer_id, ("swap", "cancel_request", "signup_request"))
    offer.status, offer.decided_at = "declined", now
    cover_waves.stop_cover(org, offer, now, "decided")
    reason = (reason or "").strip()[:500] or None
    asker_id = _asker_id(offer)
    asker = get_scoped(Membership, org, asker_id) if asker_id is not None else None
    assert asker is not None and offer.shift is not None
    headline = {
        "signup_request": "Your coordinator has not added you to this shift.",
        "cancel_request": "Your coordinator could not release you from this shift: you are still on it.",
        "swap": "Your coordinator has declined this swap: you are still on the shift.",
    }[offer.kind]
    mail.tell(org, asker, offer.shift, now=now, key=f"decided:{org.id}:{offer.id}", subject="Request declined",
              headline=headline, lines=[f"Reason: {reason}"] if reason else [])
    audit.record(org, actor_person_id, f"rota.decline_{offer.kind}", "shift_offer", offer.id, reason, now=now)
    db.session.flush()
    return offer
