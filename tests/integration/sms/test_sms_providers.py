"""The sender texts through Notify and Twilio as their APIs document; provider errors retry or fail, never lose."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.integration.sms import fake_providers as fake
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue_text

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TEXT = "Reminder: Shop counter tomorrow 09:00-13:00, Village hall shop."


def _queue(key: str = "reminder:1", send_at: datetime | None = None) -> OutboxMessage:
    message = enqueue_text(dedupe_key=key, now=NOW, to="+447911123456", text=TEXT, send_at=send_at)
    assert message is not None
    _db.session.commit()
    return message


def _message() -> OutboxMessage:
    _db.session.expire_all()
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None
    return message


def test_notify_gets_the_number_the_template_and_the_text(notify) -> None:
    queued = _queue()
    assert sender.send_due(NOW) == 1
    [sent] = notify.received
    assert sent["phone_number"] == "+447911123456" and sent["personalisation"] == {"body": TEXT}
    assert sent["template_id"] == "f33517ff-2a88-4f6e-b855-c550268ce08a" and sent["reference"] == f"outbox-{queued.id}"
    message = _message()
    assert message.status == "sent" and message.sent_at == NOW and message.provider_ref
    assert notify.refused == 0


def test_twilio_gets_to_from_body_and_where_to_send_receipts(twilio) -> None:
    _queue()
    assert sender.send_due(NOW) == 1
    [sent] = twilio.received
    assert sent["To"] == "+447911123456" and sent["From"] == "+447700900001" and sent["Body"] == TEXT
    assert sent["StatusCallback"].endswith("/sms/twilio/status")
    message = _message()
    assert message.status == "sent" and message.provider_ref and message.provider_ref.startswith("SM")


def test_a_messaging_service_sends_instead_of_a_number(twilio, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TWILIO_FROM", "MG" + "2" * 32)
    _queue()
    sender.send_due(NOW)
    assert twilio.received[0]["MessagingServiceSid"] == "MG" + "2" * 32 and "From" not in twilio.received[0]


@pytest.mark.parametrize("provider, refusal", [("notify", fake.NOTIFY_INVALID_NUMBER),
                                               ("twilio", fake.TWILIO_INVALID_NUMBER)])
def test_an_invalid_number_fails_at_once_and_keeps_the_message(provider, refusal, request) -> None:
    fake_provider = request.getfixturevalue(provider)
    fake_provider.script.append(refusal)
    _queue()
    assert sender.send_due(NOW) == 0
    message = _message()
    assert message.status == "failed" and message.attempts == 1 and message.body_text == TEXT
    assert ("Not a UK mobile number" if provider == "notify" else "21211") in (message.last_error or "")


@pytest.mark.parametrize("provider, trouble", [
    ("notify", fake.NOTIFY_RATE_LIMIT), ("notify", fake.NOTIFY_SERVER_ERROR),
    ("twilio", fake.TWILIO_RATE_LIMIT), ("twilio", fake.TWILIO_SERVER_ERROR),
])
def test_a_rate_limit_or_server_error_is_retried_after_back_off(provider, trouble, request) -> None:
    fake_provider = request.getfixturevalue(provider)
    fake_provider.script.append(trouble)
    _queue()
    assert sender.send_due(NOW) == 0
    message = _message()
    assert message.status == "pending" and message.attempts == 1 and str(trouble[0]) in (message.last_error or "")
    retry_at = message.next_attempt_at
    assert retry_at == NOW + sender.backoff(1)
    assert sender.send_due(NOW) == 0  # not due yet: nothing sent twice, nothing lost
    assert sender.send_due(retry_at) == 1
    message = _message()
    assert message.status == "sent" and message.attempts == 2 and len(fake_provider.received) == 2


@pytest.mark.parametrize("provider, trouble", [("notify", fake.NOTIFY_SERVER_ERROR),
                                               ("twilio", fake.TWILIO_SERVER_ERROR)])
def test_after_the_last_try_the_message_shows_as_failed(provider, trouble, request) -> None:
    fake_provider = request.getfixturevalue(provider)
    fake_provider.script.extend([trouble] * sender.MAX_ATTEMPTS)
    _queue()
    now = NOW
    for attempt in range(1, sender.MAX_ATTEMPTS + 1):
        assert sender.send_due(now) == 0
        message = _message()
        assert message.attempts == attempt
        assert message.status == ("failed" if attempt == sender.MAX_ATTEMPTS else "pending")
        now = message.next_attempt_at
    assert len(fake_provider.received) == sender.MAX_ATTEMPTS and message.body_text == TEXT


def test_an_unreachable_provider_is_retried(twilio, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TWILIO_BASE_URL", "http://127.0.0.1:9")  # discard port: connection refused
    _queue()
    assert sender.send_due(NOW) == 0
    message = _message()
    assert message.status == "pending" and "unreachable" in (message.last_error or "")


def test_a_wrong_notify_key_is_refused_and_the_text_kept_for_a_retry(notify, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", f"other-{fake.NOTIFY_SERVICE_ID}-{'0' * 8}-{'0' * 27}")
    _queue("a")
    sender.send_due(NOW)
    message = _message()
    assert notify.refused == 1 and message.status == "pending" and "403" in (message.last_error or "")


def test_a_wrong_twilio_token_is_refused_and_the_text_kept_for_a_retry(twilio, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "guess")
    _queue("a")
    sender.send_due(NOW)
    message = _message()
    assert twilio.refused == 1 and message.status == "pending" and "401" in (message.last_error or "")


def test_a_text_held_for_quiet_hours_is_not_sent_before_its_time(notify) -> None:
    morning = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    _queue(send_at=morning)
    assert sender.send_due(NOW) == 0 and notify.received == []
    assert sender.send_due(morning) == 1


def test_a_provider_left_unconfigured_keeps_the_texts_queued_and_sends_the_rest(notify, app, monkeypatch) -> None:
    """No key: the text waits (retried with back-off), never stuck 'sending'; the e-mail behind it still goes."""
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", None)
    _queue()
    _db.session.add(OutboxMessage(dedupe_key="digest:1", to_address="ann@example.org", subject="Digest",
                                  body_text="Hello", body_html="<p>Hello</p>", attachments=[], created_at=NOW,
                                  next_attempt_at=NOW))
    _db.session.commit()
    assert sender.send_due(NOW) == 1
    _db.session.expire_all()
    text, email = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert (text.status, email.status) == ("pending", "sent")
    assert "NOTIFY_API_KEY" in (text.last_error or "") and text.next_attempt_at > NOW


def test_an_unexpected_provider_error_puts_the_text_back_in_the_queue(twilio, monkeypatch) -> None:
    import http.client

    from volunteers.mail import sms_twilio

    def broken(*args: object, **kwargs: object) -> str:
        raise http.client.IncompleteRead(b"")

    monkeypatch.setattr(sms_twilio, "send", broken)
    _queue()
    assert sender.send_due(NOW) == 0
    message = _message()
    assert message.status == "pending" and message.attempts == 1 and message.next_attempt_at > NOW
