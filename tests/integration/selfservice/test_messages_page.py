"""/me/messages: a number is confirmed by a texted code before texts use it; channels and quiet hours are saved."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Person
from volunteers.selfservice.domain.channels import Preferences, channel_for


def _texted_code(number: str) -> str:
    message = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == number)
                                  .order_by(OutboxMessage.id.desc())).first()
    assert message is not None and message.channel == "sms"
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found is not None
    return found.group(1)


def _ann() -> Person:
    _db.session.expire_all()
    person = _db.session.scalar(select(Person).where(Person.email == "ann@example.org"))
    assert person is not None
    return person


def test_a_number_is_stored_in_e164_and_confirmed_by_the_texted_code(world, client, auth, clock) -> None:
    auth.login("ann@example.org")
    assert "No number yet" in client.get("/me/messages").get_data(as_text=True)
    assert client.post("/me/messages/phone", data={"phone": "07911 123456"}).status_code == 302
    ann = _ann()
    assert ann.phone == "+447911123456" and ann.phone_confirmed_at is None
    page = client.get("/me/messages").get_data(as_text=True)
    assert "07911 123456" in page and "not confirmed yet" in page and "Code from the text" in page
    code = _texted_code("+447911123456")
    assert client.post("/me/messages/phone/confirm", data={"code": code}).status_code == 302
    assert _ann().phone_confirmed_at == clock.now
    assert "<strong>confirmed</strong>" in client.get("/me/messages").get_data(as_text=True)


def test_a_malformed_or_landline_number_is_refused_at_the_field(world, client, auth) -> None:
    auth.login("ann@example.org")
    for typed, words in (("call me", "not a phone number"), ("07700 900123", "does not exist"),
                         ("01865 270000", "cannot take text messages")):
        response = client.post("/me/messages/phone", data={"phone": typed})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert words in page and 'id="phone-error"' in page and 'aria-invalid="true"' in page
    assert _ann().phone is None
    assert _db.session.scalar(select(OutboxMessage.id)) is None


def test_a_wrong_code_counts_and_five_wrong_tries_spend_it(world, client, auth) -> None:
    auth.login("ann@example.org")
    client.post("/me/messages/phone", data={"phone": "+44 7911 123456"})
    code = _texted_code("+447911123456")
    wrong = "000000" if code != "000000" else "111111"
    first = client.post("/me/messages/phone/confirm", data={"code": wrong})
    assert first.status_code == 400 and "4 tries left" in first.get_data(as_text=True)
    assert _ann().phone_code_tries == 1
    for _ in range(4):
        client.post("/me/messages/phone/confirm", data={"code": wrong})
    late = client.post("/me/messages/phone/confirm", data={"code": code})
    assert late.status_code == 400 and "send a new one" in late.get_data(as_text=True)
    assert _ann().phone_confirmed_at is None


def test_a_code_expires_after_fifteen_minutes(world, client, auth, clock) -> None:
    auth.login("ann@example.org")
    client.post("/me/messages/phone", data={"phone": "07911 123456"})
    code = _texted_code("+447911123456")
    clock.now += timedelta(minutes=16)
    response = client.post("/me/messages/phone/confirm", data={"code": code})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert _ann().phone_confirmed_at is None


def test_changing_the_number_unconfirms_it_and_removing_it_forgets_it(world, client, auth) -> None:
    auth.login("ann@example.org")
    client.post("/me/messages/phone", data={"phone": "07911 123456"})
    client.post("/me/messages/phone/confirm", data={"code": _texted_code("+447911123456")})
    client.post("/me/messages/phone", data={"phone": "07400 123456"})
    ann = _ann()
    assert ann.phone == "+447400123456" and ann.phone_confirmed_at is None
    assert client.post("/me/messages/phone/remove").status_code == 302
    ann = _ann()
    assert ann.phone is None and ann.phone_code_hash is None


def test_channels_and_quiet_hours_are_saved_for_the_organisation(world, client, auth) -> None:
    auth.login("ann@example.org")
    response = client.post("/me/messages", data={"channel-reminders": "sms", "channel-cover": "sms",
                                                 "channel-digests": "pigeon", "quiet_start": "22:00",
                                                 "quiet_end": "07:30"})
    assert response.status_code == 302
    _db.session.refresh(world.ann)
    prefs = Preferences.from_stored(world.ann.preferences["messages"])
    assert prefs.channels["reminders"] == "sms" and prefs.channels["digests"] == "email"
    assert prefs.quiet.start.hour == 22 and prefs.quiet.end.minute == 30
    # no confirmed number yet: the texts the person chose still go by e-mail
    assert channel_for(prefs, "reminders", phone_confirmed=False) == "email"
    page = client.get("/me/messages").get_data(as_text=True)
    assert 'id="channel-reminders-sms" name="channel-reminders" value="sms" checked' in page
    assert 'value="22:00"' in page


def test_bad_quiet_hours_are_named_on_the_field(world, client, auth) -> None:
    auth.login("ann@example.org")
    response = client.post("/me/messages", data={"quiet_start": "25:99", "quiet_end": "07:00"})
    assert response.status_code == 400
    assert 'id="quiet_start-error"' in response.get_data(as_text=True)
    _db.session.refresh(world.ann)
    assert "messages" not in (world.ann.preferences or {})


def test_the_sender_hands_texts_to_the_sms_backend_and_e_mails_to_smtp(world, client, auth, app, smtp,
                                                                       monkeypatch, capsys, clock) -> None:
    auth.login("ann@example.org")
    client.post("/me/messages/phone", data={"phone": "07911 123456"})
    monkeypatch.setitem(app.config, "SMS_BACKEND", "console")
    assert sender.send_due(clock.now) == 1
    assert "--- text to +447911123456" in capsys.readouterr().out and smtp.messages == []
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None and message.status == "sent"


def test_an_unknown_sms_backend_fails_the_text_without_retrying(world, client, auth, app, smtp,
                                                                monkeypatch, clock) -> None:
    auth.login("ann@example.org")
    client.post("/me/messages/phone", data={"phone": "07911 123456"})
    monkeypatch.setitem(app.config, "SMS_BACKEND", "carrier-pigeon")
    assert sender.send_due(clock.now) == 0
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None and message.status == "failed" and "carrier-pigeon" in (message.last_error or "")
