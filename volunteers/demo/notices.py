"""A current announcement in the demo: Tackley's coordinator told everyone yesterday about the hall's heating.

It goes through the real service (audience, channels, recipients, outbox
keys); its e-mails are marked sent a day ago, as they would have been, so
the coordinator's list shows its reach and each volunteer's "My shifts" shows it.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
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
