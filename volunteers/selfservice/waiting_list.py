"""The waiting list: join a full shift's list, and be offered a place when one frees.

A volunteer who may take a full shift (the same eligibility as a sign-up:
``services.ineligibility`` — qualification, availability, leave, no
overlap) joins its list. When a place frees — by whatever path: a
cancellation in time, a coordinator removing someone, an approved late
cancellation, ``needed`` raised — :func:`promote` offers it to the first
eligible person waiting (``domain.waiting_list``), held for them until the
sooner of the organisation's hold (default 2 h) and its stop before the
start (default 2 h before), by their channel: a text with a YES code, or an
e-mail with a link. They take it through :func:`accept`, which takes the
place through ``rota.places.take_place``'s guarded UPDATE (never
overbooked); declining or letting it lapse passes the place to the next.

Promotion runs at the commit of any unit of work that released a place
(``core.signals.place_released`` → :func:`note_released`, connected by
``volunteers.app.register_reactions``) and, as the net under every other
path, in the minute job (``selfservice.jobs``). Each open offer holds a
numbered place (``offer_slot``) under a partial unique index, and moves
from waiting to offered by a guarded UPDATE: however many promotions run at
once, no place is offered to two people. When the list has nobody eligible
left and the shift starts within the notice period, the cover requests take
over (``cover_handoff`` → ``cover_waves.start_cover``). Services flush, never commit.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from volunteers.core import audit, timeutil
from volunteers.core.dml import rows_matched
from volunteers.core.models import Organisation
from volunteers.core.signals import place_released
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import format_span, zone
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError, take_place
from volunteers.selfservice import cover_waves, waiting_list_messages
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.domain.notice import may_self_cancel
from volunteers.selfservice.messages import link
from volunteers.selfservice.services import (
    SelfServiceError,
    _visible_shift,
    ineligibility,
    may_take,
    notice_hours,
    on_the_shift,
    warning_dicts,
)
from volunteers.selfservice.waiting_list_models import WaitingListEntry

log = logging.getLogger(__name__)

#: session.info key: (organisation id, shift id) of places released in this unit of work
RELEASED = "volunteers.waiting_list.released"
#: session.info key: the unit of work's ``now`` when it released them (the offers are made at it)
RELEASED_AT = "volunteers.waiting_list.released_at"


@dataclass
class AcceptOutcome:
    """``status``: ``taken`` (the place is theirs) or ``confirm`` (load warnings to accept first)."""

    status: str
    entry: WaitingListEntry
    assignment: Assignment | None = None
    warnings: list[Any] = field(default_factory=list)


def hold_hours(org: Organisation) -> int:
    return rules.hours_setting(org.setting(rules.HOLD_SETTING), rules.DEFAULT_HOLD_HOURS, rules.HOLD_BOUNDS)


def stop_hours(org: Organisation) -> int:
    return rules.hours_setting(org.setting(rules.STOP_SETTING), rules.DEFAULT_STOP_HOURS, rules.STOP_BOUNDS)


def _queue(org: Organisation, shift_id: int) -> list[WaitingListEntry]:
    return list(db.session.scalars(
        scoped(WaitingListEntry, org).where(WaitingListEntry.shift_id == shift_id,
                                            WaitingListEntry.status.in_(rules.ON_LIST))
        .order_by(WaitingListEntry.joined_at, WaitingListEntry.id)))


def _values(entries: list[WaitingListEntry]) -> list[rules.QueuedPerson]:
    return [rules.QueuedPerson(e.id, e.membership_id, e.joined_at, e.status, e.offer_slot) for e in entries]


def places_free(org: Organisation, shift: Shift) -> int:
    """Return the places a newcomer could sign up for now: free, and not held by a waiting-list offer."""
    held = db.session.scalar(scoped(WaitingListEntry, org, func.count()).where(
        WaitingListEntry.shift_id == shift.id, WaitingListEntry.status == rules.OFFERED,
        WaitingListEntry.membership_id.not_in(on_the_shift(org, shift.id)))) or 0
    return max(0, shift.needed - shift.filled - int(held))


# --- the volunteer's actions -------------------------------------------------------------------------------


def join(org: Organisation, membership: Membership, shift_id: int, now: datetime) -> WaitingListEntry:
    """Put a member on a full shift's waiting list (again: their existing entry), if they may take the shift.

    :raises SelfServiceError: not_found, cancelled, started, already_on, not_full, not_eligible.
    """
    shift = _visible_shift(org, shift_id, now)
    if db.session.scalar(scoped(Assignment, org, Assignment.id).where(
            Assignment.shift_id == shift.id, Assignment.membership_id == membership.id,
            Assignment.status.in_(("assigned", "confirmed")))):
        raise SelfServiceError("already_on", "You are already on this shift.")
    existing = _entry_on_list(org, membership, shift.id)
    if existing is not None:
        return existing
    if places_free(org, shift) > 0:
        raise SelfServiceError("not_full", "There is a place free on this shift: sign up for it instead.")
    reasons = ineligibility(org, membership, shift)
    if reasons:
        raise SelfServiceError("not_eligible", "You can't take this shift: " + "; ".join(reasons) + ".")
    entry = WaitingListEntry(organisation_id=org.id, shift_id=shift.id, membership_id=membership.id,
                             status=rules.WAITING, joined_at=now)
    db.session.add(entry)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # joined twice at once (a double click): the first entry stands
        found = _entry_on_list(org, membership, shift.id)
        assert found is not None
        return found
    return entry


def _entry_on_list(org: Organisation, membership: Membership, shift_id: int) -> WaitingListEntry | None:
    return db.session.scalar(scoped(WaitingListEntry, org).where(
        WaitingListEntry.shift_id == shift_id, WaitingListEntry.membership_id == membership.id,
        WaitingListEntry.status.in_(rules.ON_LIST)))


def own_entry(org: Organisation, membership: Membership, entry_id: int) -> WaitingListEntry:
    """Return the member's own entry, or raise not_found (someone else's is not found either)."""
    entry = get_scoped(WaitingListEntry, org, entry_id)
    if entry is None or entry.membership_id != membership.id:
        raise SelfServiceError("not_found", "That waiting list entry is not yours.")
    return entry


def _end(org: Organisation, entry: WaitingListEntry, statuses: tuple[str, ...], new_status: str,
         now: datetime) -> bool:
    """Move ``entry`` from one of ``statuses`` to ``new_status`` by a guarded UPDATE; return whether it did."""
    ended = db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.id == entry.id,
               WaitingListEntry.status.in_(statuses))
        .values(status=new_status, decided_at=now, offer_slot=None)
        .execution_options(synchronize_session=False))
    db.session.refresh(entry)
    return rows_matched(ended) == 1


def leave(org: Organisation, membership: Membership, entry_id: int, now: datetime) -> WaitingListEntry:
    """Take oneself off the list; a place held for them goes to the next person (at the commit)."""
    entry = own_entry(org, membership, entry_id)
    was_offered = entry.status == rules.OFFERED
    if not _end(org, entry, rules.ON_LIST, rules.LEFT, now):
        raise SelfServiceError("decided", "You are no longer on that waiting list.")
    if was_offered:
        note_released(db.session(), organisation_id=org.id, shift_id=entry.shift_id, now=now)
    return entry


def decline(org: Organisation, membership: Membership, entry_id: int, now: datetime) -> WaitingListEntry:
    """Say no to an offered place: it goes to the next person on the list (at the commit)."""
    entry = own_entry(org, membership, entry_id)
    if not _end(org, entry, (rules.OFFERED,), rules.DECLINED, now):
        raise SelfServiceError("decided", "That offer has already ended.")
    note_released(db.session(), organisation_id=org.id, shift_id=entry.shift_id, now=now)
    return entry


def accept(org: Organisation, membership: Membership, entry_id: int, now: datetime,
           *, confirmed: bool = False) -> AcceptOutcome:
    """Take the place offered, through ``take_place`` (never overbooked), or ask to confirm load warnings.

    :raises SelfServiceError: not_found, expired, started, not_eligible, too_much, full, already_on.
    """
    entry = own_entry(org, membership, entry_id)
    if entry.status != rules.OFFERED or entry.offer_expires_at is None or entry.offer_expires_at <= now:
        raise SelfServiceError("expired", "Sorry — that offer has ended.")
    shift = entry.shift
    if shift.status != "planned" or shift.starts_at <= now:
        raise SelfServiceError("started", "That shift has started or been cancelled.")
    warnings = may_take(org, membership, shift, now)
    if warnings and not confirmed:
        return AcceptOutcome("confirm", entry, warnings=warnings)
    won = db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.id == entry.id,
               WaitingListEntry.status == rules.OFFERED, WaitingListEntry.offer_expires_at > now)
        .values(status=rules.ACCEPTED, decided_at=now, offer_slot=None)
        .execution_options(synchronize_session=False))
    if rows_matched(won) != 1:
        raise SelfServiceError("expired", "Sorry — that offer has ended.")
    accepted = "Load warning accepted by the volunteer: " + ", ".join(f"{w.rule} ({w.severity})" for w in warnings)
    try:
        assignment = take_place(org, shift.id, membership.id, source="self", now=now,
                                override_reason=accepted if warnings else None)
    except PlaceError as error:
        # filled meanwhile by someone else (a coordinator, a sign-up): back in the queue, in their place
        db.session.execute(
            update(WaitingListEntry)
            .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.id == entry.id)
            .values(status=rules.WAITING if error.code == "full" else rules.CLOSED, decided_at=now,
                    offer_expires_at=None, offered_at=None)
            .execution_options(synchronize_session=False))
        db.session.refresh(entry)
        message = ("Sorry — that place has just been filled. You stay on the waiting list."
                   if error.code == "full" else str(error))
        raise SelfServiceError(error.code, message) from None
    db.session.refresh(entry)
    if warnings:
        audit.record(org, membership.person_id, "rota.self_sign_up_warning", "assignment", assignment.id,
                     accepted, warnings=warning_dicts(warnings), now=now)
    return AcceptOutcome("taken", entry, assignment, warnings)


# --- promotion ---------------------------------------------------------------------------------------------


def _eligible(org: Organisation, shift: Shift, membership_ids: list[int]) -> set[int]:
    """Return which of these members may take ``shift`` now (the sign-up's own eligibility check)."""
    if not membership_ids:
        return set()
    value = open_shift_for(org, shift)
    tz = zone(org.timezone)
    return {member_id for member_id, candidate in load_candidates(
        org, membership_ids, shift.starts_at, shift.ends_at).items()
        if candidate.id not in value.assigned and not check(candidate, value, tz)}


def close_list(org: Organisation, shift_id: int, now: datetime) -> int:
    """End every entry of a shift that has started or been cancelled; return how many.

    Offers' unsent texts and e-mails are stopped too: a text held by quiet
    hours would otherwise still say "Reply YES" for a cancelled shift.
    """
    offered = _offered_ids(org, shift_id)
    closed = db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.shift_id == shift_id,
               WaitingListEntry.status.in_(rules.ON_LIST))
        .values(status=rules.CLOSED, decided_at=now, offer_slot=None)
        .execution_options(synchronize_session=False))
    waiting_list_messages.cancel_unsent([(org.id, entry_id) for entry_id in offered])
    return rows_matched(closed)


def _offered_ids(org: Organisation, shift_id: int) -> list[int]:
    return list(db.session.scalars(scoped(WaitingListEntry, org, WaitingListEntry.id).where(
        WaitingListEntry.shift_id == shift_id, WaitingListEntry.status == rules.OFFERED)))


def end_for_those_on_the_shift(org: Organisation, shift_id: int, now: datetime) -> int:
    """End the entries of people who got a place on the shift another way; return how many.

    A person signed up, or was put on by the coordinator, while waiting or
    holding an offer: their entry is done (accepted), their offer's place goes
    back to the list, and an unsent offer message is stopped.
    """
    on_shift = on_the_shift(org, shift_id)
    offered = list(db.session.scalars(scoped(WaitingListEntry, org, WaitingListEntry.id).where(
        WaitingListEntry.shift_id == shift_id, WaitingListEntry.status == rules.OFFERED,
        WaitingListEntry.membership_id.in_(on_shift))))
    ended = db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.shift_id == shift_id,
               WaitingListEntry.status.in_(rules.ON_LIST), WaitingListEntry.membership_id.in_(on_shift))
        .values(status=rules.ACCEPTED, decided_at=now, offer_slot=None)
        .execution_options(synchronize_session=False))
    waiting_list_messages.cancel_unsent([(org.id, entry_id) for entry_id in offered])
    return rows_matched(ended)


def promote(org: Organisation, shift: Shift, now: datetime) -> int:
    """Offer this shift's free places to the first eligible people waiting; return how many offers were made.

    Offers on places filled since by someone else are withdrawn first (their
    people wait again, in their place). Each offer moves one entry from
    waiting to offered by a guarded UPDATE and takes a free slot under a
    unique index, in a savepoint: a promotion running at the same time that
    took the slot first wins, and this one stops (the job comes back).
    """
    db.session.refresh(shift, ["filled", "needed", "status", "starts_at"])
    if shift.status != "planned" or shift.starts_at <= now:
        close_list(org, shift.id, now)
        return 0
    end_for_those_on_the_shift(org, shift.id, now)
    entries = _queue(org, shift.id)
    if not entries:
        return 0
    queue = _values(entries)
    for surplus in rules.surplus_offers(shift.needed, shift.filled, queue):
        db.session.execute(
            update(WaitingListEntry)
            .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.id == surplus.entry_id,
                   WaitingListEntry.status == rules.OFFERED)
            .values(status=rules.WAITING, offer_slot=None, offer_expires_at=None, offered_at=None)
            .execution_options(synchronize_session=False))
        waiting_list_messages.cancel_unsent([(org.id, surplus.entry_id)])  # "Reply YES" for a place gone
        queue = [p if p.entry_id != surplus.entry_id else rules.QueuedPerson(
            p.entry_id, p.membership_id, p.joined_at, rules.WAITING) for p in queue]
    slots = rules.free_slots(shift.needed, shift.filled, [p.slot for p in queue if p.slot is not None])
    deadline = rules.offer_deadline(now, shift.starts_at, hold_hours=hold_hours(org), stop_hours=stop_hours(org))
    if not slots or deadline is None:
        return 0
    waiting = [p.membership_id for p in queue if p.status == rules.WAITING]
    chosen = rules.next_in_line(queue, _eligible(org, shift, waiting), len(slots))
    by_id = {e.id: e for e in entries}
    offered = 0
    for person, slot in zip(chosen, slots, strict=False):
        won = hold_place(org, person.entry_id, slot, now, deadline)
        if won is None:
            log.info("waiting list of shift %s: place %s was offered by another run first", shift.id, slot)
            break
        if not won:
            continue
        entry = by_id[person.entry_id]
        db.session.refresh(entry)
        waiting_list_messages.send_offer(org, shift, entry, now)
        offered += 1
    return offered


def hold_place(org: Organisation, entry_id: int, slot: int, now: datetime, deadline: datetime) -> bool | None:
    """Offer place ``slot`` to a waiting entry until ``deadline``: True if done, False if the entry no longer
    waits, None if another offer holds that place (the partial unique index refused it, in a savepoint)."""
    try:
        with db.session.begin_nested():
            moved = db.session.execute(
                update(WaitingListEntry)
                .where(WaitingListEntry.organisation_id == org.id, WaitingListEntry.id == entry_id,
                       WaitingListEntry.status == rules.WAITING)
                .values(status=rules.OFFERED, offer_slot=slot, offered_at=now, offer_expires_at=deadline)
                .execution_options(synchronize_session=False))
    except IntegrityError:
        return None
    return rows_matched(moved) == 1


def expire_offers(now: datetime) -> list[tuple[int, int]]:
    """End every offer that lapsed by ``now`` (all organisations); return their (organisation, shift) pairs."""
    lapsed = db.session.execute(
        select(WaitingListEntry.id, WaitingListEntry.organisation_id, WaitingListEntry.shift_id)
        .where(WaitingListEntry.status == rules.OFFERED, WaitingListEntry.offer_expires_at <= now)).all()
    if not lapsed:
        return []
    db.session.execute(
        update(WaitingListEntry)
        .where(WaitingListEntry.id.in_([row.id for row in lapsed]), WaitingListEntry.status == rules.OFFERED,
               WaitingListEntry.offer_expires_at <= now)
        .values(status=rules.EXPIRED, decided_at=now, offer_slot=None)
        .execution_options(synchronize_session=False))
    waiting_list_messages.cancel_unsent([(row.organisation_id, row.id) for row in lapsed])  # held texts too
    return sorted({(row.organisation_id, row.shift_id) for row in lapsed})


def shifts_to_promote(now: datetime) -> list[tuple[int, int]]:
    """Return (organisation, shift) of every list with an open offer, or someone waiting and a place free or ended.

    One statement, whatever the number of organisations: the minute job's net
    under every way a place can free (``needed`` raised included).
    """
    rows = db.session.execute(
        select(WaitingListEntry.organisation_id, WaitingListEntry.shift_id)
        .join(Shift, (Shift.id == WaitingListEntry.shift_id)
              & (Shift.organisation_id == WaitingListEntry.organisation_id))
        .where((WaitingListEntry.status == rules.OFFERED)  # an offer's place may have been filled by hand since
               | ((WaitingListEntry.status == rules.WAITING)
                  & ((Shift.filled < Shift.needed) | (Shift.starts_at <= now) | (Shift.status != "planned"))))
        .distinct())
    return sorted((row.organisation_id, row.shift_id) for row in rows)


def run(now: datetime) -> int:
    """Expire lapsed offers and offer free places to the next people waiting, everywhere; return offers made."""
    lapsed = expire_offers(now)
    pairs = sorted(set(lapsed) | set(shifts_to_promote(now)))
    made = 0
    for org_id, shift_id in pairs:
        org = db.session.get(Organisation, org_id)
        shift = get_scoped(Shift, org_id, shift_id)
        if org is None or shift is None:
            continue
        offered = promote(org, shift, now)
        made += offered
        if not offered and (org_id, shift_id) in lapsed:
            cover_handoff(org, shift, now)
    return made


def cover_handoff(org: Organisation, shift: Shift, now: datetime) -> int:
    """The list has nobody eligible left for a free place inside the notice period: cover requests take over.

    Called when the people waiting are none of them eligible now, or the last
    offer lapsed; a shift with no waiting list at all is left to the paths
    that ask for cover without one (a late cancellation's own request).

    Starts ``cover_waves.start_cover`` for the open place (the first wave is
    asked now; it asks nobody twice, so calling again is harmless) when a
    place is free and held by no offer and the shift starts within the
    organisation's notice period. Returns how many people were asked.
    """
    if shift.status != "planned" or shift.starts_at <= now or may_self_cancel(shift.starts_at, now, notice_hours(org)):
        return 0
    if places_free(org, shift) <= 0 or _queue_has_offers(org, shift.id):
        return 0
    return cover_waves.start_cover(org, shift, None, now)


def _queue_has_offers(org: Organisation, shift_id: int) -> bool:
    return bool(db.session.scalar(scoped(WaitingListEntry, org, WaitingListEntry.id).where(
        WaitingListEntry.shift_id == shift_id, WaitingListEntry.status == rules.OFFERED).limit(1)))


# --- replies by text ------------------------------------------------------------------------------------


#: a texted offer older than this is not matched (an offer lasts hours)
RECENT = timedelta(days=30)


def texted_offers(number: str, memberships: list[Membership], now: datetime) -> list[WaitingListEntry]:
    """Return the recent offers (any status) whose text went to ``number``, for one of these memberships.

    Two statements: the outbox's texts to that number with a waiting-list key
    (``offer_key``), then those entries — so a code can only match an offer
    this person was actually texted.
    """
    if not memberships:
        return []
    keys = db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.channel == "sms", OutboxMessage.to_address == number,
        OutboxMessage.dedupe_key.like("waitlist:%"))).all()
    ids = {int(key.split(":")[2]) for key in keys if len(key.split(":")) >= 6 and key.split(":")[2].isdigit()}
    if not ids:
        return []
    return list(db.session.scalars(
        select(WaitingListEntry)
        .where(WaitingListEntry.id.in_(ids), WaitingListEntry.membership_id.in_([m.id for m in memberships]),
               WaitingListEntry.organisation_id.in_({m.organisation_id for m in memberships}),
               WaitingListEntry.offered_at >= now - RECENT)
        .order_by(WaitingListEntry.id.desc())))


def take_by_text(membership: Membership, entry: WaitingListEntry, now: datetime) -> str:
    """Take the place held for ``membership`` after a YES by text; return the words to text back."""
    org = membership.organisation
    try:
        outcome = accept(org, membership, entry.id, now)
    except SelfServiceError as error:
        if error.code in ("expired", "not_found"):
            return "Sorry — that offer has ended, so the place went to the next person on the list."
        if error.code == "started":
            return "Thanks — that shift has started or been cancelled, so there is nothing to take."
        return f"Sorry, we couldn't give you that shift: {error}"
    if outcome.status == "confirm":
        return ("Taking it would raise a load warning for you. If you still want it, take it on the website: "
                + link("/me/shifts#waiting"))
    shift = entry.shift
    return f"Thank you — it's yours: {shift.role.name}, {format_span(shift.starts_at, shift.ends_at, org.timezone)}."


# --- reactions ---------------------------------------------------------------------------------------------


def note_released(session: Session, *, organisation_id: int, shift_id: int | None = None,
                  assignment: Assignment | None = None, now: datetime | None = None, **_: object) -> None:
    """Remember a shift whose place was released in this unit of work, and its ``now`` (a ``place_released``
    receiver)."""
    shift = shift_id if shift_id is not None else (assignment.shift_id if assignment is not None else None)
    if shift is not None:
        session.info.setdefault(RELEASED, set()).add((organisation_id, shift))
        if now is not None:
            session.info[RELEASED_AT] = now


def promote_before_commit(session: Session) -> None:
    """Offer the places released in this unit of work before it commits (the job would, within a minute).

    A failure here must not undo the change that freed the place: it is
    logged, its savepoint rolled back, and the minute job tries again.
    """
    released: set[tuple[int, int]] = session.info.pop(RELEASED, None) or set()
    released_at: datetime | None = session.info.pop(RELEASED_AT, None)
    if not released:
        return
    from_now = released_at or _now()  # the unit of work's time; the wall clock only if it named none
    for org_id, shift_id in sorted(released):
        org = session.get(Organisation, org_id)
        shift = get_scoped(Shift, org_id, shift_id)
        if org is None or shift is None:
            continue
        try:
            with session.begin_nested():
                # an empty list is not ours to hand over: the place goes the way it would without one
                if not promote(org, shift, from_now) and _queue(org, shift.id):
                    cover_handoff(org, shift, from_now)
        except Exception:  # noqa: BLE001 - the freeing change commits whatever the list does; the job retries
            log.exception("waiting list of shift %s: promotion at commit failed; the minute job retries", shift_id)


def forget(session: Session, *args: object) -> None:
    """Drop what was noted: the unit of work rolled back, so no place was released."""
    session.info.pop(RELEASED, None)
    session.info.pop(RELEASED_AT, None)


def connect(session_class: type[Session]) -> None:
    """Listen to ``place_released`` and promote at every commit of this session class (once, by create_app)."""
    place_released.connect(note_released)
    if not event.contains(session_class, "before_commit", promote_before_commit):
        event.listen(session_class, "before_commit", promote_before_commit)
        event.listen(session_class, "after_rollback", forget)


def _now() -> datetime:
    return timeutil.utcnow()  # looked up at call time: tests fix the clock on core.timeutil
