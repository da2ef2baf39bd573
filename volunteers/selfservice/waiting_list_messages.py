"""The waiting list's message to the person offered a place: a text with a YES code, or an e-mail with a link.

A text goes to those who take cover requests by text (``channel_delivery``,
quiet hours kept except close to the shift; a text they would hold past the
offer's end goes as the e-mail at once, and a lapsed offer's unsent message
is not sent: :func:`cancel_unsent`); its outbox key names the entry,
so ``waiting_list.texted_offers`` matches a reply only against offers that
were texted to that number. The code is ``reply_code`` with its own purpose:
a waiting-list entry's id may equal a cover request's.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update

from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_time
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue
from volunteers.rota.models import Shift
from volunteers.selfservice import channel_delivery
from volunteers.selfservice.messages import link, shift_text
from volunteers.selfservice.reply_codes import reply_code
from volunteers.selfservice.waiting_list_models import WaitingListEntry

#: ``reply_code``'s purpose for a waiting-list offer (a cover request's codes use another)
REPLY_PURPOSE = "waitlist-reply"
#: why a lapsed offer's message was not sent (the outbox's last_error)
LAPSED = "The offer ended before it was sent"


def offer_key(org: Organisation, entry: WaitingListEntry) -> str:
    """The outbox key of one offer (an entry may be offered again after a withdrawal: the offer's time is in it)."""
    assert entry.offered_at is not None
    return f"waitlist:{org.id}:{entry.id}:{int(entry.offered_at.timestamp())}:to:{entry.membership_id}"


def entry_reply_code(entry_id: int, membership_id: int) -> str:
    return reply_code(entry_id, membership_id, purpose=REPLY_PURPOSE)


def send_offer(org: Organisation, shift: Shift, entry: WaitingListEntry, now: datetime) -> None:
    """Tell the person offered the place: a text with a YES code if they take cover requests by text, else e-mail."""
    membership = entry.membership
    person = membership.person
    if not person.active:
        return
    assert entry.offer_expires_at is not None
    text = shift_text(org, shift)
    until = format_time(entry.offer_expires_at, org.timezone)
    key = offer_key(org, entry)
    if channel_delivery.text_instead(
            org, membership, "cover", now=now, key=key, shift_starts_at=shift.starts_at,
            expires_at=entry.offer_expires_at,
            text=f"A place is free: {text.role}, {text.when} at {text.site}. Reply YES "
                 f"{entry_reply_code(entry.id, membership.id)} by {until} to take it, "
                 f"or see {link('/me/shifts#waiting')}").by_text:
        return
    enqueue(dedupe_key=key, now=now, to=person.email, subject=f"A place is free for you: {text.role}, {text.when}",
            template="waiting_list_offer", organisation_id=org.id, org=org, person=person, shift=text,
            until=until, link=link("/me/shifts#waiting"))


def cancel_unsent(entries: list[tuple[int, int]]) -> int:
    """Stop the unsent messages of these lapsed offers ((organisation, entry) pairs); return how many.

    A text held by quiet hours (or waiting to retry) would otherwise arrive after
    the place went to the next person, still saying "Reply YES … by" a time past.
    """
    if not entries:
        return 0
    stopped = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "pending",
               or_(*(OutboxMessage.dedupe_key.like(f"waitlist:{org_id}:{entry_id}:%") for org_id, entry_id in entries)))
        .values(status="failed", last_error=LAPSED)
        .execution_options(synchronize_session=False))
    return int(getattr(stopped, "rowcount", 0) or 0)
