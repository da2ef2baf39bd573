"""Two things the demo's coordinators should see: a current announcement, and leave declared after rostering.

Tackley's coordinator told everyone yesterday about the hall's heating: it goes
through the real service (audience, channels, recipients, outbox keys); its
e-mails are marked sent a day ago, as they would have been, so the list shows
its reach and each volunteer's "My shifts" shows it.

Sure Start's Kelly Robson declared a week's leave after she was put on the
rota: the board and the shift panel say "Kelly Robson is away …" on her two
ward rounds in it (adding leave takes nobody off a shift).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Leave, Membership
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from volunteers.selfservice.announcements import announce
from volunteers.selfservice.domain.announcements import Audience, Draft

TITLE = "Hall heating repairs next week"
BODY = ("The village hall's heating is being repaired from Monday to Wednesday. The café moves to the small "
        "meeting room; the shop and Post Office counter stay where they are. Please wrap up warm on early shifts!")


def add_announcement(org: Organisation, members: dict[str, Membership], now: datetime, *,
                     author_email: str) -> dict[str, int]:
    """Send the demo's announcement to everyone a day before ``now``, showing for ten days."""
    sent_at = now - timedelta(days=1)
    sent = announce(org, members[author_email], Draft(TITLE, BODY, Audience("everyone"), now + timedelta(days=9)),
                    sent_at)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key.startswith(f"announcement:{org.id}:{sent.announcement.id}:"))
        .values(status="sent", sent_at=sent_at, attempts=1).execution_options(synchronize_session=False))
    return {"announcements": 1}


def add_leave_after_rostering(org: Organisation, members: dict[str, Membership], now: datetime, *,
                              email: str) -> dict[str, int]:
    """Give ``email`` a week's leave from their first shift a week or more ahead (their places kept)."""
    member = members[email]
    first = db.session.scalar(
        select(Shift.local_date)
        .join(Assignment, (Assignment.shift_id == Shift.id) & (Assignment.organisation_id == Shift.organisation_id))
        .where(Assignment.organisation_id == org.id, Assignment.membership_id == member.id,
               Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES), Shift.starts_at >= now + timedelta(days=7))
        .order_by(Shift.starts_at).limit(1))
    if first is None:
        return {}
    db.session.add(Leave(organisation_id=org.id, membership_id=member.id, starts_on=first,
                         ends_on=first + timedelta(days=7), reason="Family holiday"))
    db.session.flush()
    return {"leave_after_rostering": 1}
