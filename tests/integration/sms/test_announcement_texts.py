"""An announcement through the fake Notify and Twilio: one text and one e-mail per person, quiet hours held."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import utc
from tests.integration.selfservice.conftest import make_world
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.selfservice import announcements
from volunteers.selfservice.domain.announcements import Audience, Draft
from volunteers.selfservice.domain.channels import Preferences

LATE = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # Tue 22:30 GMT: inside the default quiet hours
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
TEXT = "Tackley: Closed on Boxing Day. The shop is shut on the 26th."


@pytest.fixture(params=["notify", "twilio"])
def provider(request):
    return request.getfixturevalue(request.param)


def _world_with_a_texter():
    world = make_world()
    person = world.ann.person
    person.phone, person.phone_confirmed_at = "+447911123456", utc(2026, 11, 1, 12, 0)
    world.ann.preferences = {"messages": Preferences({"announcements": "sms"}).to_stored()}
    _db.session.commit()
    return world


def _status() -> dict[str, tuple[str, str]]:
    _db.session.expire_all()
    return {m.to_address: (m.channel, m.status) for m in _db.session.scalars(select(OutboxMessage))}


def test_each_person_is_reached_once_and_the_text_waits_for_the_morning(provider) -> None:
    world = _world_with_a_texter()
    draft = Draft("Closed on Boxing Day", "The shop is shut on the 26th.", Audience("everyone"),
                  LATE + timedelta(days=7))
    announcements.announce(world.org, world.coordinator, draft, LATE)
    _db.session.commit()
    assert sender.send_due(LATE) == 2  # the e-mails; the text is held to 08:00
    assert provider.received == []
    assert _status() == {"+447911123456": ("sms", "pending"), "bob@example.org": ("email", "sent"),
                         "cat@example.org": ("email", "sent")}
    assert sender.send_due(MORNING) == 1
    [sent] = provider.received
    assert TEXT in (sent.get("Body"), (sent.get("personalisation") or {}).get("body"))
    assert _status()["+447911123456"] == ("sms", "sent")
    assert sender.send_due(MORNING + timedelta(minutes=5)) == 0 and len(provider.received) == 1
    [listed] = announcements.listing(world.org, world.coordinator, MORNING)
    assert (listed.reach["sms"].sent, listed.reach["email"].sent, listed.people) == (1, 2, 3)
