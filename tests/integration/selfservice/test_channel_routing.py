"""Reminders and cover requests go by text to those who chose texts (confirmed number), held for quiet hours."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import shift_at
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.selfservice.domain.channels import Preferences
from volunteers.selfservice.jobs import send_reminders
from volunteers.selfservice.messages import cover_needed, eligible_members, tell


def _texts_please(membership: Membership, *kinds: str, confirmed: bool = True) -> None:
    person = membership.person
    person.phone = "+447911123456"
    person.phone_confirmed_at = utc(2026, 11, 1, 12, 0) if confirmed else None
    membership.preferences = {"messages": Preferences({kind: "sms" for kind in kinds}).to_stored()}
    _db.session.commit()


def _outbox() -> dict[str, OutboxMessage]:
    return {m.to_address: m for m in _db.session.scalars(select(OutboxMessage))}


def test_a_reminder_goes_by_text_to_who_chose_it_and_by_e_mail_to_the_rest(world, clock) -> None:
    _texts_please(world.ann, "reminders")
    now = utc(2026, 11, 30, 9, 7)
    clock.now = now
    shift = shift_at(world.org, world.shop, world.hall, now + timedelta(hours=23, minutes=55))
    put_on(shift, world.ann)
    put_on(shift, world.bob)
    _db.session.commit()
    assert send_reminders(now) == 2
    sent = _outbox()
    text = sent["+447911123456"]
    assert text.channel == "sms" and text.next_attempt_at == now
    assert text.body_text.startswith("Reminder: Shop counter,") and "With Bob." in text.body_text
    assert sent["bob@example.org"].channel == "email" and "ann@example.org" not in sent
    assert send_reminders(now + timedelta(minutes=15)) == 0  # once, whichever channel


def test_an_unconfirmed_number_gets_the_e_mail(world, clock) -> None:
    _texts_please(world.ann, "reminders", confirmed=False)
    now = utc(2026, 11, 30, 9, 7)
    clock.now = now
    put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=23, minutes=55)), world.ann)
    _db.session.commit()
    send_reminders(now)
    assert set(_outbox()) == {"ann@example.org"}


def test_a_reminder_queued_late_at_night_waits_for_the_morning(world, clock) -> None:
    _texts_please(world.ann, "reminders")
    now = utc(2026, 11, 30, 22, 7)  # 22:07 GMT: quiet hours
    clock.now = now
    put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=23, minutes=55)), world.ann)
    _db.session.commit()
    send_reminders(now)
    assert _outbox()["+447911123456"].next_attempt_at == utc(2026, 12, 1, 8, 0)


def test_a_reminder_the_quiet_hours_would_hold_past_its_shift_goes_by_e_mail_now(world, clock) -> None:
    """Quiet until 08:00, shift at 06:00: a text at 08:00 would be too late, a text now would wake her."""
    _texts_please(world.ann, "reminders")
    now = utc(2026, 11, 30, 5, 0)  # 05:00 GMT: quiet hours
    clock.now = now
    put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=1)), world.ann)
    _db.session.commit()
    send_reminders(now)
    sent = _outbox()
    assert "+447911123456" not in sent and sent["ann@example.org"].next_attempt_at == now


def test_an_urgent_cover_request_is_texted_at_night_and_others_get_e_mail(world, clock) -> None:
    _texts_please(world.ann, "cover")
    now = utc(2026, 11, 30, 23, 0)
    clock.now = now
    shift = shift_at(world.org, world.shop, world.hall, now + timedelta(hours=9))
    put_on(shift, world.cat)
    _db.session.commit()
    asked = cover_needed(world.org, shift, eligible_members(world.org, shift, exclude=[world.cat.id]), offer_id=7,
                         giver=world.cat.person.name, key=f"cover:{world.org.id}:7", now=now)
    sent = _outbox()
    assert len(asked) == len(sent) >= 2 and "cat@example.org" not in sent
    text = sent["+447911123456"]
    assert text.channel == "sms" and text.next_attempt_at == now and text.body_text.startswith("Cover needed:")
    assert sent["bob@example.org"].channel == "email"


def test_a_cover_request_for_a_later_shift_waits_for_the_morning(world, clock) -> None:
    _texts_please(world.ann, "cover")
    now = utc(2026, 11, 30, 23, 0)
    clock.now = now
    shift = shift_at(world.org, world.shop, world.hall, now + timedelta(days=2))
    put_on(shift, world.cat)
    _db.session.commit()
    cover_needed(world.org, shift, [world.ann], offer_id=8, giver=world.cat.person.name,
                 key=f"cover:{world.org.id}:8", now=now)
    assert _outbox()["+447911123456"].next_attempt_at == utc(2026, 12, 1, 8, 0)


def test_the_outbox_page_shows_texts_held_for_the_morning_and_their_receipts(world, clock, client, auth) -> None:
    _texts_please(world.ann, "reminders")
    now = utc(2026, 11, 30, 22, 7)
    clock.now = now
    put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=23, minutes=55)), world.ann)
    _db.session.commit()
    send_reminders(now)
    auth.login("coord@example.org")
    page = client.get("/outbox").get_data(as_text=True)
    assert "Text, pending (not before Tue 1 Dec 2026, 08:00)" in page
    text = _outbox()["+447911123456"]
    text.status, text.sent_at, text.delivery_status = "sent", utc(2026, 12, 1, 8, 0), "delivered"
    _db.session.commit()
    page = client.get("/outbox").get_data(as_text=True)
    assert "Text, sent 08:00" in page and "Provider: delivered" in page



def test_a_change_to_my_place_comes_by_text_when_i_chose_that(world, clock) -> None:
    _texts_please(world.bob, "changes")
    now = utc(2026, 11, 30, 12, 0)
    clock.now = now
    shift = shift_at(world.org, world.shop, world.hall, now + timedelta(days=3))
    for member in (world.ann, world.bob):
        tell(world.org, member, shift, now=now, key="moved:1", subject="Moved", headline="It starts an hour later.")
    _db.session.commit()
    sent = _outbox()
    text = sent["+447911123456"]
    assert text.channel == "sms" and text.body_text.startswith("Moved: Shop counter,")
    assert text.body_text.endswith("It starts an hour later.") and sent["ann@example.org"].channel == "email"
