"""A waiting-list offer by text: "Reply YES 1234 by 10:00" takes the held place (guarded); a late YES is told so."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import put_on
from tests.integration.selfservice.conftest import World, make_world, shift_at
from tests.integration.sms.fake_providers import TWILIO_TOKEN
from tests.integration.sms.test_reply_to_take import BOB, CAT, NOW, URL, _texts_for_cover
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.sms_receipts import twilio_signature
from volunteers.rota import services as rota
from volunteers.rota.models import Assignment, Shift
from volunteers.selfservice import jobs
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice.waiting_list_models import WaitingListEntry


@pytest.fixture()
def offered(db, clock) -> tuple[World, Shift]:
    """A full shift in three days; Bob then Cat wait (both take cover requests by text); Ann's place is freed."""
    clock.now = NOW
    world = make_world()
    _texts_for_cover(world.bob, BOB)
    _texts_for_cover(world.cat, CAT)
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3), needed=1)
    place = put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, NOW)
    wl.join(world.org, world.cat, shift.id, NOW + timedelta(minutes=1))
    _db.session.commit()
    rota.remove_assignment(world.org, place.id, NOW, world.coordinator.person_id)
    _db.session.commit()
    clock.now = NOW + timedelta(minutes=10)
    return world, shift


def _code_texted_to(number: str) -> str:
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == number,
                                                             OutboxMessage.dedupe_key.like("waitlist:%")))
    assert message is not None and message.channel == "sms"
    found = re.search(r"Reply YES (\d{4}) by (\d\d:\d\d) to take it", message.body_text)
    assert found is not None, message.body_text
    return found.group(1)


def _replies_to(number: str) -> list[str]:
    return [m.body_text for m in _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == number, OutboxMessage.dedupe_key.like("sms-reply:%"))
        .order_by(OutboxMessage.id))]


def _twilio_text(client, sender: str, body: str, sid: str):
    fields = {"MessageSid": sid, "From": sender, "To": "+447700900001", "Body": body, "AccountSid": "AC1"}
    return client.post("/sms/twilio/inbound", data=fields,
                       headers={"X-Twilio-Signature": twilio_signature(TWILIO_TOKEN, URL, fields)})


def _holders(shift: Shift) -> list[int]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status.in_(("assigned", "confirmed")))))


def test_the_offer_goes_by_text_and_yes_takes_the_place(offered, client, twilio) -> None:
    world, shift = offered
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == BOB))
    assert message.body_text.startswith("A place is free: Shop counter") and "by 14:00" in message.body_text
    assert _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == CAT)) is None  # not yet
    assert _twilio_text(client, BOB, f"Yes {_code_texted_to(BOB)}", "SM1").status_code == 200
    assert _holders(shift) == [world.bob.id]
    assert _replies_to(BOB)[0].startswith("Thank you — it's yours: Shop counter")
    assert _db.session.get(Shift, shift.id).filled == 1


def test_a_yes_after_the_offer_lapsed_takes_nothing_and_the_next_person_is_texted(offered, client, twilio,
                                                                                 clock) -> None:
    world, shift = offered
    code = _code_texted_to(BOB)
    clock.now = NOW + timedelta(hours=2, seconds=20)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _twilio_text(client, BOB, f"YES {code}", "SM2").status_code == 200
    assert _replies_to(BOB) == ["Sorry — that offer has ended, so the place went to the next person on the list."]
    assert _holders(shift) == []
    cat_code = _code_texted_to(CAT)
    assert _twilio_text(client, CAT, f"YES {cat_code}", "SM3").status_code == 200
    assert _holders(shift) == [world.cat.id]


def test_bob_s_code_sent_from_cat_s_phone_takes_nothing(offered, client, twilio) -> None:
    world, shift = offered
    assert _twilio_text(client, CAT, f"YES {_code_texted_to(BOB)}", "SM4").status_code == 200
    assert _holders(shift) == []
    entry = _db.session.scalar(select(WaitingListEntry).where(WaitingListEntry.membership_id == world.bob.id))
    assert entry.status == "offered"
