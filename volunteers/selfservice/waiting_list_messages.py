"""The waiting list's message to the person offered a place: a text with a YES code, or an e-mail with a link.

A text goes to those who take cover requests by text (``channel_delivery``,
quiet hours kept except close to the shift); its outbox key names the entry,
so ``waiting_list.texted_offers`` matches a reply only against offers that
were texted to that number. The code is ``reply_code`` with its own purpose:
a waiting-list entry's id may equal a cover request's.
"""
from __future__ import annotations

from datetime import datetime

from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_time
from volunteers.mail.outbox import enqueue
from volunteers.rota.models import Shift
from volunteers.selfservice import channel_delivery
from volunteers.selfservice.messages import link, shift_text
from volunteers.selfservice.reply_codes import reply_code
from volunteers.selfservice.waiting_list_models import WaitingListEntry

#: ``reply_code``'s purpose for a waiting-list offer (a cover request's codes use another)
REPLY_PURPOSE = "waitlist-reply"


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
            text=f"A place is free: {text.role}, {text.when} at {text.site}. Reply YES "
                 f"{entry_reply_code(entry.id, membership.id)} by {until} to take it, "
                 f"or see {link('/me/shifts#waiting')}").by_text:
        return
    enqueue(dedupe_key=key, now=now, to=person.email, subject=f"A place is free for you: {text.role}, {text.when}",
            template="waiting_list_offer", organisation_id=org.id, org=org, person=person, shift=text,
            until=until, link=link("/me/shifts#waiting"))
