"""Reply YES <code> to a cover request by text: the place is taken once; a late YES is thanked; strangers ignored."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import World, make_world, shift_at
from tests.integration.sms.fake_providers import TWILIO_TOKEN
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.sms_receipts import twilio_signature
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift
from volunteers.selfservice import swaps, text_replies
from volunteers.selfservice.domain.channels import Preferences
from volunteers.selfservice.services import cancel

NOW = utc(2026, 11, 30, 12, 0)
BOB, CAT = "+447911000002", "+447911000003"
URL = "http://localhost/sms/twilio/inbound"


def _texts_for_cover(membership: Membership, phone: str) -> None:
    membership.person.phone = phone
    membership.person.phone_confirmed_at = NOW - timedelta(days=3)
    membership.preferences = {"messages": Preferences({"cover": "sms"}).to_stored()}


@pytest.fixture()
def asked(db, clock) -> tuple[World, Shift, int]:
    """Ann cancels late a shift tomorrow; Bob and Cat are asked to cover by text."""
    clock.now = NOW
    world = make_world()
    _texts_for_cover(world.bob, BOB)
    _texts_for_cover(world.cat, CAT)
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=20), needed=1)
    place = put_on(shift, world.ann)
    outcome = cancel(world.org, world.ann, place.id, NOW)
    assert outcome.offer is not None
    _db.session.commit()
    clock.now = NOW + timedelta(minutes=10)
    return world, shift, outcome.offer.id


def _code_texted_to(number: str) -> str:
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == number))
    assert message is not None and message.channel == "sms"
    found = re.search(r"Reply YES (\d{4}) to take it", message.body_text)
    assert found is not None, message.body_text
    return found.group(1)


def _replies_to(number: str) -> list[str]:
    return [m.body_text for m in _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == number, OutboxMessage.dedupe_key.like("sms-reply:%"))
        .order_by(OutboxMessage.id))]


def _twilio_text(client, sender: str, body: str, sid: str, token: str = TWILIO_TOKEN):
    fields = {"MessageSid": sid, "From": sender, "To": "+447700900001", "Body": body, "AccountSid": "AC1"}
    return client.post("/sms/twilio/inbound", data=fields,
                       headers={"X-Twilio-Signature": twilio_signature(token, URL, fields)})


def _notify_text(client, sender: str, body: str, message_id: str, token: str = "receipt-token"):
    return client.post("/sms/notify/inbound", headers={"Authorization": f"Bearer {token}"},
                       json={"id": message_id, "source_number": sender.removeprefix("+"),
                             "destination_number": "07700900001", "content": body,
                             "date_received": "2026-11-30T12:10:00.000000Z"})


def _filled(shift: Shift) -> int:
    found = _db.session.get(Shift, shift.id)
    assert found is not None
    return found.filled


def _holder(shift: Shift) -> list[int]:
    return list(_db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status.in_(("assigned", "confirmed")))))


def test_yes_with_the_code_by_twilio_takes_the_place_and_a_late_yes_by_notify_is_thanked(
        asked, client, twilio, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", "receipt-token")
    world, shift, _ = asked
    bob_code, cat_code = _code_texted_to(BOB), _code_texted_to(CAT)
    response = _twilio_text(client, BOB, f"yes {bob_code}", "SM1")
    assert response.status_code == 200 and response.mimetype == "text/xml" and b"<Response/>" in response.data
    _db.session.expire_all()
    assert _holder(shift) == [world.bob.id] and _filled(shift) == 1
    assert _replies_to(BOB)[0].startswith("Thank you — it's yours: Shop counter")
    assert _notify_text(client, CAT, f"YES {cat_code}", "n-1").status_code == 204
    assert _replies_to(CAT) == [text_replies.COVERED]
    _db.session.expire_all()
    assert _holder(shift) == [world.bob.id] and _filled(shift) == 1


def test_the_same_reply_delivered_twice_is_answered_once(asked, client, twilio) -> None:
    code = _code_texted_to(BOB)
    _twilio_text(client, BOB, f"YES {code}", "SM2")
    _twilio_text(client, BOB, f"YES {code}", "SM2")
    assert len(_replies_to(BOB)) == 1


def test_a_wrong_code_or_other_words_get_a_hint_and_take_nothing(asked, client, twilio) -> None:
    world, shift, _ = asked
    code = _code_texted_to(BOB)
    wrong = f"{(int(code) + 1) % 10_000:04d}"
    _twilio_text(client, BOB, f"YES {wrong}", "SM3")
    _twilio_text(client, BOB, "who is this?", "SM4")
    assert "doesn't match" in _replies_to(BOB)[0] and "didn't understand" in _replies_to(BOB)[1]
    assert _holder(shift) == [world.ann.id]


def test_a_code_is_personal_cat_cannot_use_bob_s(asked, client, twilio) -> None:
    world, shift, _ = asked
    bob_code, cat_code = _code_texted_to(BOB), _code_texted_to(CAT)
    if bob_code == cat_code:  # one chance in 10,000: nothing to show
        return
    _twilio_text(client, CAT, f"YES {bob_code}", "SM5")
    assert "doesn't match" in _replies_to(CAT)[0] and _holder(shift) == [world.ann.id]


def test_an_unknown_or_unconfirmed_number_gets_no_answer_and_is_logged(asked, client, twilio, monkeypatch) -> None:
    world, shift, _ = asked
    logged: list[tuple[object, ...]] = []
    monkeypatch.setattr(text_replies.log, "warning", lambda *args: logged.append(args))
    assert _twilio_text(client, "+447911999999", "YES 1234", "SM6").status_code == 200
    world.bob.person.phone_confirmed_at = None
    _db.session.commit()
    _twilio_text(client, BOB, f"YES {_code_texted_to(BOB)}", "SM7")
    assert len(logged) == 2 and _replies_to("+447911999999") == [] and _replies_to(BOB) == []
    assert _holder(shift) == [world.ann.id]


def test_an_inbound_text_that_fails_verification_is_refused(asked, client, twilio, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", "receipt-token")
    world, shift, _ = asked
    code = _code_texted_to(BOB)
    assert _twilio_text(client, BOB, f"YES {code}", "SM8", token="forged").status_code == 403
    assert _notify_text(client, BOB, f"YES {code}", "n-2", token="forged").status_code == 403
    assert _holder(shift) == [world.ann.id] and _replies_to(BOB) == []


def _second_shift_held_by_cat(world: World) -> tuple[Shift, int]:
    """Cat holds a second shift the next day (no overlap with the first, so Bob could take both)."""
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=30), needed=1)
    return shift, put_on(shift, world.cat).id


def _codes(monkeypatch, matching: set[int], avoid: str) -> str:
    """Make every offer in ``matching`` answer to one code (a collision on demand); the others keep their own."""
    code = next(c for c in ("4821", "4822") if c != avoid)
    real = text_replies.reply_code
    monkeypatch.setattr(text_replies, "reply_code",
                        lambda offer_id, membership_id: code if offer_id in matching else real(offer_id, membership_id))
    return code


@pytest.mark.parametrize("how", ["swap offered by e-mail", "cover asked by e-mail"])
def test_a_code_matching_an_offer_not_texted_to_the_sender_takes_nothing(
        asked, client, twilio, clock, monkeypatch, how) -> None:
    world, first, _ = asked
    second, place_id = _second_shift_held_by_cat(world)
    if how == "swap offered by e-mail":
        other = swaps.offer_place(world.org, world.cat, place_id, clock.now)
    else:
        world.bob.preferences = {"messages": Preferences({"cover": "email"}).to_stored()}
        offer = cancel(world.org, world.cat, place_id, clock.now).offer
        assert offer is not None
        other = offer
        sent = _db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"cover:{world.org.id}:{other.id}:to:{world.bob.id}"))
        assert sent is not None and sent.channel == "email"  # Bob was asked, but with no code to send back
    _db.session.commit()
    code = _codes(monkeypatch, {other.id}, avoid=_code_texted_to(BOB))
    _twilio_text(client, BOB, f"YES {code}", "SM9")
    assert _replies_to(BOB) == [text_replies.UNKNOWN_CODE]
    _db.session.expire_all()
    assert _holder(second) == [world.cat.id] and _holder(first) == [world.ann.id]


def test_a_code_matching_two_requests_texted_to_the_sender_takes_neither(
        asked, client, twilio, clock, monkeypatch) -> None:
    world, first, first_offer = asked
    second, place_id = _second_shift_held_by_cat(world)
    offer = cancel(world.org, world.cat, place_id, clock.now).offer
    assert offer is not None
    _db.session.commit()
    texted = _db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.to_address == BOB, OutboxMessage.channel == "sms")).all()
    assert sorted(texted) == sorted(f"cover:{world.org.id}:{i}:to:{world.bob.id}" for i in (first_offer, offer.id))
    code = _codes(monkeypatch, {first_offer, offer.id}, avoid="")
    _twilio_text(client, BOB, f"YES {code}", "SM10")
    [reply] = _replies_to(BOB)
    assert "more than one request" in reply and "/me/shifts#offers" in reply
    _db.session.expire_all()
    assert _holder(first) == [world.ann.id] and _holder(second) == [world.cat.id]
