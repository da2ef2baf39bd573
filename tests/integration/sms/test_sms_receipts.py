"""Delivery receipts: verified (Notify's bearer token, Twilio's X-Twilio-Signature) before they touch a message."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.integration.sms.fake_providers import TWILIO_TOKEN
from volunteers.extensions import db as _db
from volunteers.mail import receipts, sender
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue_text
from volunteers.mail.sms_receipts import twilio_signature

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TWILIO_URL = "http://localhost/sms/twilio/status"


def _sent() -> OutboxMessage:
    enqueue_text(dedupe_key="cover:1", now=NOW, to="+447911123456", text="Can you cover Sat 13:00?")
    _db.session.commit()
    assert sender.send_due(NOW) == 1
    return _message()


def _ref() -> str:
    """Send a text and return the provider's id for it."""
    ref = _sent().provider_ref
    assert ref is not None
    return ref


def _message() -> OutboxMessage:
    _db.session.expire_all()
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None
    return message


def _notify_receipt(client, ref: str, status: str, token: str = "receipt-token"):
    return client.post("/sms/notify/status", headers={"Authorization": f"Bearer {token}"},
                       json={"id": ref, "reference": "outbox-1", "to": "+447911123456", "status": status,
                             "created_at": "2026-11-30T09:00:00.000000Z", "notification_type": "sms"})


def test_the_twilio_signature_follows_twilio_s_documented_example() -> None:
    fields = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
              "From": "+14158675309", "To": "+18005551212"}
    assert twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", fields) == \
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_a_notify_receipt_marks_the_text_delivered(notify, client) -> None:
    assert _notify_receipt(client, _ref(), "delivered").status_code == 204
    message = _message()
    assert message.delivery_status == "delivered" and message.status == "sent"


def test_a_notify_permanent_failure_shows_the_text_as_failed(notify, client) -> None:
    _notify_receipt(client, _ref(), "permanent-failure")
    message = _message()
    assert message.status == "failed" and "permanent-failure" in (message.last_error or "")


def test_a_notify_receipt_with_a_wrong_or_missing_token_is_refused(notify, client, app, monkeypatch) -> None:
    ref = _ref()
    assert _notify_receipt(client, ref, "delivered", token="guess").status_code == 403
    assert client.post("/sms/notify/status", json={"id": ref, "status": "delivered"}).status_code == 403
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", None)  # not configured: every receipt refused
    assert _notify_receipt(client, ref, "delivered", token="None").status_code == 403
    assert _message().delivery_status is None


def test_a_notify_receipt_without_an_id_is_a_bad_request(notify, client) -> None:
    response = client.post("/sms/notify/status", headers={"Authorization": "Bearer receipt-token"}, json=["x"])
    assert response.status_code == 400


def test_a_signed_twilio_callback_updates_the_text(twilio, client) -> None:
    fields = {"MessageSid": _ref(), "MessageStatus": "delivered", "AccountSid": "AC1",
              "To": "+447911123456", "ApiVersion": "2010-04-01"}
    signature = twilio_signature(TWILIO_TOKEN, TWILIO_URL, fields)
    response = client.post("/sms/twilio/status", data=fields, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 204
    assert _message().delivery_status == "delivered"
    fields["MessageStatus"] = "undelivered"
    client.post("/sms/twilio/status", data=fields,
                headers={"X-Twilio-Signature": twilio_signature(TWILIO_TOKEN, TWILIO_URL, fields)})
    assert _message().status == "failed"


def test_a_bad_twilio_signature_is_refused_and_changes_nothing(twilio, client) -> None:
    fields = {"MessageSid": _ref(), "MessageStatus": "failed"}
    forged = twilio_signature("not-the-token", TWILIO_URL, fields)
    assert client.post("/sms/twilio/status", data=fields, headers={"X-Twilio-Signature": forged}).status_code == 403
    signed_for_other = twilio_signature(TWILIO_TOKEN, TWILIO_URL, {**fields, "MessageStatus": "delivered"})
    assert client.post("/sms/twilio/status", data=fields,
                       headers={"X-Twilio-Signature": signed_for_other}).status_code == 403
    assert client.post("/sms/twilio/status", data=fields).status_code == 403
    message = _message()
    assert message.status == "sent" and message.delivery_status is None


def test_a_receipt_for_an_unknown_text_is_logged_and_touches_no_other(twilio, client, monkeypatch) -> None:
    """It waits for a text to carry its id (tests/integration/sms/test_early_receipts.py), changing nothing else."""
    warnings: list[tuple[object, ...]] = []
    monkeypatch.setattr(receipts.log, "info", lambda *args: warnings.append(args))
    message = _sent()
    fields = {"MessageSid": "SMnothing", "MessageStatus": "failed"}
    response = client.post("/sms/twilio/status", data=fields,
                           headers={"X-Twilio-Signature": twilio_signature(TWILIO_TOKEN, TWILIO_URL, fields)})
    assert response.status_code == 204 and warnings[0][1:] == ("SMnothing", "failed")
    assert _message().status == "sent" and message.provider_ref != "SMnothing"
