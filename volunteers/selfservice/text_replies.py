"""Replies by text: "YES 4821" takes the place a cover request by text offered.

The number must be a confirmed one (``Person.phone_confirmed_at``); the code
is matched (``reply_code``, nothing stored) only against the recent offers
whose cover request actually went by text to that number — the outbox row
``cover:<org>:<offer>:to:<membership>`` that ``messages._ask`` queues. A
four-digit code matched against every offer would collide with some other
offer about once in 10,000 per offer and could move someone onto a shift they
were never asked about. If the code still matches two requests, nothing is
taken: the person is sent to the website. The place is taken through the same
``swaps.accept_offer`` the web's "Take it" button uses — it moves the
giver's place by guarded UPDATEs (``rota.places`` for the count), so the
place can never be taken twice: a late YES finds the offer decided and is
thanked ("it's already covered"). A place held for someone from a waiting
list (``waiting_list``) is matched the same way, against the offers texted to
that number, and taken through ``waiting_list.accept``. A reply that would raise a load warning
is not taken by text: the person is sent to the page, where the warning is
shown and confirmed. An unknown number gets no answer (it is logged, with
only its last digits). The views queue the reply in the outbox as a text.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import selectinload

from volunteers.core.timeutil import format_span
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.domain.phones import PhoneError, to_e164
from volunteers.people.models import Membership, Person
from volunteers.rota.models import ShiftOffer
from volunteers.selfservice import swaps, waiting_list, waiting_list_messages
from volunteers.selfservice.messages import link
from volunteers.selfservice.reply_codes import reply_code
from volunteers.selfservice.services import SelfServiceError

log = logging.getLogger(__name__)

YES = re.compile(r"^\W*yes\W*(\d{4})\b", re.IGNORECASE)
#: offers older than this are not matched (a cover request is about a shift within days)
RECENT = timedelta(days=30)
COVERED = "Thanks — it's already covered. No need to do anything."
UNKNOWN_CODE = "Sorry, that code doesn't match a request we sent you. Check the code and try again."
TAKEABLE = ("swap", "cancel_request")


@dataclass(frozen=True)
class Reply:
    """The text to send back, to which number, for which organisation (None: send nothing)."""

    to: str
    text: str
    organisation_id: int | None


def _number(raw: str) -> str | None:
    """The sender's number in E.164 (Notify sends ``447911123456``, Twilio ``+447911123456``)."""
    digits = raw.strip()
    try:
        return to_e164(digits if digits.startswith("+") else f"+{digits}")
    except PhoneError:
        return None


def handle(raw_from: str, body: str, now: datetime) -> Reply | None:
    """Act on one inbound text; return the reply to queue, or None for no answer."""
    number = _number(raw_from)
    people = [] if number is None else list(db.session.scalars(
        select(Person).where(Person.phone == number, Person.phone_confirmed_at.is_not(None), Person.active)))
    if number is None or not people:
        log.warning("inbound text from an unknown number ending %s: not answered", raw_from[-3:])
        return None
    memberships = list(db.session.scalars(
        select(Membership).where(Membership.person_id.in_([p.id for p in people]), Membership.status == "active")
        .options(selectinload(Membership.organisation), selectinload(Membership.person)).order_by(Membership.id)))
    found = YES.match(body or "")
    if not found:
        return Reply(number, "Sorry, we didn't understand. To take a shift, reply YES and the code from our text.",
                     memberships[0].organisation_id if memberships else None)
    by_id = {m.id: m for m in memberships}
    matches = [(offer, by_id[membership_id]) for offer, membership_id in _texted(number, memberships, now)
               if reply_code(offer.id, membership_id) == found.group(1)]
    held = [(entry, by_id[entry.membership_id]) for entry in waiting_list.texted_offers(number, memberships, now)
            if waiting_list_messages.entry_reply_code(entry.id, entry.membership_id) == found.group(1)]
    if len(matches) + len(held) > 1:
        return Reply(number, "Sorry, that code matches more than one request we sent you, so we can't tell which "
                     "shift you mean. Please take it on the website: " + link("/me/shifts#offers"),
                     (matches or held)[0][1].organisation_id)
    if held:
        entry, membership = held[0]
        return Reply(number, waiting_list.take_by_text(membership, entry, now), membership.organisation_id)
    if matches:
        offer, membership = matches[0]
        return Reply(number, _take(membership, offer, now), membership.organisation_id)
    return Reply(number, UNKNOWN_CODE, memberships[0].organisation_id if memberships else None)


def _texted(number: str, memberships: list[Membership], now: datetime) -> list[tuple[ShiftOffer, int]]:
    """The recent offers (any status) whose cover request went by text to ``number``, with the membership asked.

    One query: an offer counts for a membership only if the outbox holds the text
    ``messages._ask`` queued for exactly that pair (its dedupe key), so a code can
    match only what this person was sent.
    """
    key = (literal("cover:") + cast(ShiftOffer.organisation_id, String) + ":" + cast(ShiftOffer.id, String)
           + ":to:" + cast(Membership.id, String))
    rows = db.session.execute(
        select(ShiftOffer, Membership.id)
        .join(Membership, Membership.organisation_id == ShiftOffer.organisation_id)
        .join(OutboxMessage, OutboxMessage.dedupe_key == key)
        .where(Membership.id.in_([m.id for m in memberships]), ShiftOffer.kind.in_(TAKEABLE),
               ShiftOffer.created_at >= now - RECENT, OutboxMessage.channel == "sms",
               OutboxMessage.to_address == number)
        .order_by(ShiftOffer.id.desc(), Membership.id))
    return [(offer, membership_id) for offer, membership_id in rows]


def _take(membership: Membership, offer: ShiftOffer, now: datetime) -> str:
    """Take the offered place for ``membership``; return the words to text back."""
    org = membership.organisation
    try:
        outcome = swaps.accept_offer(org, membership, offer.id, now)
    except SelfServiceError as error:
        if error.code in ("decided", "gone", "not_found", "already_on"):
            return COVERED
        if error.code == "started":
            return "Thanks — that shift has started or been cancelled, so there is nothing to take."
        return f"Sorry, we couldn't give you that shift: {error}"
    if outcome.status == "confirm":
        return ("Taking it would raise a load warning for you. If you still want it, take it on the website: "
                + link("/me/shifts#offers"))
    if outcome.status == "waiting":
        return "Thank you! Your coordinator approves swaps: we'll tell you when they have."
    shift = offer.shift
    assert shift is not None
    return f"Thank you — it's yours: {shift.role.name}, {format_span(shift.starts_at, shift.ends_at, org.timezone)}."
