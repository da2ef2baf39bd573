"""A waiting-list offer and quiet hours: a text they would hold past the offer's end goes as the e-mail at once.

Judged across the October clock change (Europe/London, 25 Oct 2026: 02:00
BST becomes 01:00 GMT): quiet hours end at 08:00 GMT that morning, which is
08:00 UTC, not 07:00 as the evening's BST offset would say. A lapsed offer's
text still held by quiet hours is not sent.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import World, make_world, shift_at
from tests.integration.sms.test_waiting_list_texts import BOB, _texts_for_cover
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.rota import services as rota
from volunteers.rota.models import Shift
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice.waiting_list_models import WaitingListEntry

#: 00:30 BST on Sunday 25 October 2026 (23:30 UTC on the 24th): inside quiet hours, the clocks go back at 02:00
NIGHT = utc(2026, 10, 24, 23, 30)


def _offer_at(clock, freed_at: datetime, hold_hours: int) -> tuple[World, Shift, WaitingListEntry, OutboxMessage]:
    clock.now = freed_at
    world = make_world()
    world.org.settings = {**(world.org.settings or {}), "waiting_list_offer_hours": hold_hours}
    _texts_for_cover(world.bob, BOB)
    shift = shift_at(world.org, world.shop, world.hall, freed_at + timedelta(days=3), needed=1)
    place = put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, freed_at - timedelta(days=1))
    _db.session.commit()
    rota.remove_assignment(world.org, place.id, freed_at, world.coordinator.person_id)
    _db.session.commit()
    entry = _db.session.scalar(select(WaitingListEntry).where(WaitingListEntry.membership_id == world.bob.id))
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("waitlist:%")))
    assert entry is not None and entry.status == "offered" and message is not None
    return world, shift, entry, message


def test_an_offer_ending_before_quiet_hours_do_goes_by_e_mail_at_once(db, clock) -> None:
    _, _, entry, message = _offer_at(clock, NIGHT, hold_hours=8)
    assert entry.offer_expires_at == utc(2026, 10, 25, 7, 30)  # 07:30 GMT; quiet hours end at 08:00 GMT
    assert message.channel == "email" and message.to_address == "bob@example.org"
    assert message.next_attempt_at == NIGHT and "07:30" in message.body_text


def test_an_offer_lasting_past_the_quiet_hours_is_still_texted_at_their_end(db, clock) -> None:
    _, _, entry, message = _offer_at(clock, NIGHT, hold_hours=9)
    assert entry.offer_expires_at == utc(2026, 10, 25, 8, 30)
    assert message.channel == "sms" and message.next_attempt_at == utc(2026, 10, 25, 8, 0)  # 08:00 GMT
    assert "by 08:30" in message.body_text


def test_a_lapsed_offer_s_held_text_is_not_sent(db, clock) -> None:
    _, _, entry, message = _offer_at(clock, NIGHT, hold_hours=9)
    lapsed = entry.offer_expires_at
    clock.now = lapsed
    wl.run(lapsed)  # the minute job: the offer expires (taken back before the text could go, say)
    _db.session.commit()
    _db.session.expire_all()
    assert _db.session.get(WaitingListEntry, entry.id).status == "expired"
    stopped = _db.session.get(OutboxMessage, message.id)
    assert stopped.status == "failed" and stopped.last_error == "The offer ended before it was sent"
