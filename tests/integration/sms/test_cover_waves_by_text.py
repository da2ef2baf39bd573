"""A late cancellation asks the first wave, partly by text through the real provider path; a YES by text from
one of them fills the place and the next wave is never sent (issue 17.4, against the fake Notify and Twilio)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.integration.selfservice.cover_crowd import NOW, Crowd, cancel_late, make_crowd, minutes
from tests.integration.sms.fake_providers import TWILIO_TOKEN, Provider
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.mail.sms_receipts import twilio_signature
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.rota.models import Assignment
from volunteers.selfservice import cover_waves, text_replies
from volunteers.selfservice.domain.channels import Preferences

PHONES = {"Bob": "+447911000002", "Dee": "+447911000004"}


def _texts_please(crowd: Crowd) -> None:
    for name, phone in PHONES.items():
        member = crowd.members[name]
        member.person.phone, member.person.phone_confirmed_at = phone, NOW - minutes(600)
        member.preferences = {"messages": Preferences({"cover": "sms"}).to_stored()}


def _sent_text(provider: Provider, number: str) -> str:
    for body in provider.received:
        if body.get("To", body.get("phone_number")) == number:
            return str(body.get("Body") or body["personalisation"]["body"])
    raise AssertionError(f"nothing texted to {number}")


def _reply(client, provider_name: str, number: str, text: str, ref: str) -> int:
    if provider_name == "twilio":
        fields = {"MessageSid": ref, "From": number, "To": "+447700900001", "Body": text, "AccountSid": "AC1"}
        signature = twilio_signature(TWILIO_TOKEN, "http://localhost/sms/twilio/inbound", fields)
        return client.post("/sms/twilio/inbound", data=fields, headers={"X-Twilio-Signature": signature}).status_code
    return client.post("/sms/notify/inbound", headers={"Authorization": "Bearer receipt-token"},
                       json={"id": ref, "source_number": number.removeprefix("+"), "destination_number": "07700900001",
                             "content": text, "date_received": "2026-11-30T12:10:00.000000Z"}).status_code


@pytest.mark.parametrize("provider_name", ["twilio", "notify"])
def test_a_yes_by_text_from_the_first_wave_fills_the_place_and_stops_the_next_wave(
        db, clock, client, request, provider_name) -> None:
    provider: Provider = request.getfixturevalue(provider_name)
    clock.now = NOW
    crowd = make_crowd()
    _texts_please(crowd)
    cancel_late(crowd)
    _db.session.commit()
    asked = {crowd.names([a.membership_id])[0]: a.channel for a in _db.session.scalars(select(CoverAsk))}
    assert asked == {"Bob": "sms", "Cat": "email", "Dee": "sms", "Eve": "email", "Fay": "email"}

    assert sender.send_due(NOW) == 5 + 1  # five asked, and Helen the coordinator told of the late cancellation
    assert sorted(b.get("To", b.get("phone_number")) for b in provider.received) == sorted(PHONES.values())
    dee_text = _sent_text(provider, PHONES["Dee"])
    assert dee_text.startswith("Cover needed: Shop counter, Tue 1 Dec")
    code = re.search(r"Reply YES (\d{4}) to take it", dee_text)
    assert code is not None

    clock.now = NOW + minutes(12)
    assert _reply(client, provider_name, PHONES["Dee"], f"Yes {code.group(1)}", "in-1") in (200, 204)
    _db.session.expire_all()
    holders = _db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == crowd.shift.id, Assignment.status.in_(("assigned", "confirmed")))).all()
    assert holders == [crowd.members["Dee"].id]
    cover = _db.session.scalar(select(CoverRequest))
    assert cover is not None and (cover.stop_reason, cover.stopped_at) == ("taken", NOW + minutes(12))

    # Bob's YES comes too late; the next wave's time comes and goes
    bob_code = re.search(r"Reply YES (\d{4})", _sent_text(provider, PHONES["Bob"]))
    assert bob_code is not None
    _reply(client, provider_name, PHONES["Bob"], f"YES {bob_code.group(1)}", "in-2")
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 0
    _db.session.commit()
    assert _db.session.scalar(select(_db.func.count(CoverAsk.id))) == 5
    assert len(_db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("cover:%"))).all()) == 5

    sender.send_due(NOW + minutes(31))
    replies = {b.get("To", b.get("phone_number")): str(b.get("Body") or b["personalisation"]["body"])
               for b in provider.received[2:]}
    assert replies[PHONES["Dee"]].startswith("Thank you — it's yours: Shop counter")
    assert replies[PHONES["Bob"]] == text_replies.COVERED
    assert len(provider.received) == 4  # the two asks and the two answers: no second wave
