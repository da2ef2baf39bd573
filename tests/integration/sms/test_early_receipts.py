"""A delivery receipt that comes before the sender has stored its text's provider id is kept, not dropped.

Before, a receipt for an id no text carried yet was logged and thrown away:
Notify or Twilio can call back while the sender is still between the
provider's answer and its commit, and the text then showed no receipt for
good (a failed one showed as sent).
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.factories import utc
from volunteers.extensions import db as _db
from volunteers.mail import sender, sms
from volunteers.mail.models import OutboxMessage, WaitingReceipt
from volunteers.mail.outbox import enqueue_text

NOW = utc(2026, 11, 30, 9, 0)
TOKEN = "receipt-token"


@pytest.fixture()
def receipts_on(app: Flask, db, monkeypatch: pytest.MonkeyPatch, clock) -> None:
    clock.now = NOW
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    monkeypatch.setitem(app.config, "NOTIFY_CALLBACK_TOKEN", TOKEN)


def _receipt(client, ref: str, status: str) -> int:
    return client.post("/sms/notify/status", headers={"Authorization": f"Bearer {TOKEN}"},
                       json={"id": ref, "reference": "outbox-1", "status": status}).status_code


def _queue() -> None:
    enqueue_text(dedupe_key="cover:1", now=NOW, to="+447911123456", text="Can you cover Sat 13:00?")
    _db.session.commit()


def _message() -> OutboxMessage:
    _db.session.expire_all()
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None
    return message


def _waiting() -> int:
    return _db.session.scalar(select(func.count()).select_from(WaitingReceipt)) or 0


def _provider_calling_back_before_it_answers(client, monkeypatch, status: str) -> None:
    def send_text(to, body, config, reference):
        assert _receipt(client, "notify-id-1", status) == 204  # the callback beats the answer
        return "notify-id-1"

    monkeypatch.setattr(sms, "send_text", send_text)


def test_a_receipt_that_beats_the_provider_s_answer_is_applied(receipts_on, client, monkeypatch) -> None:
    _queue()
    _provider_calling_back_before_it_answers(client, monkeypatch, "delivered")
    assert sender.send_due(NOW) == 1
    message = _message()
    assert (message.provider_ref, message.delivery_status, message.status) == ("notify-id-1", "delivered", "sent")
    assert _waiting() == 0


def test_an_early_failure_receipt_shows_the_text_failed(receipts_on, client, monkeypatch) -> None:
    _queue()
    _provider_calling_back_before_it_answers(client, monkeypatch, "permanent-failure")
    sender.send_due(NOW)
    assert _message().status == "failed"


def test_a_receipt_stored_while_the_id_was_being_committed_is_applied_by_the_next_run(receipts_on, client) -> None:
    _queue()
    assert _receipt(client, "notify-id-2", "delivered") == 204
    assert _waiting() == 1
    message = _message()  # as if the sender's commit of the id landed just after its own look for receipts
    message.status, message.provider_ref = "sent", "notify-id-2"
    _db.session.commit()
    sender.send_due(NOW + timedelta(minutes=1))
    assert _message().delivery_status == "delivered" and _waiting() == 0


def test_a_receipt_for_no_text_of_ours_is_dropped_after_a_day(receipts_on, client) -> None:
    assert _receipt(client, "someone-else", "delivered") == 204
    sender.send_due(NOW + timedelta(hours=23))
    assert _waiting() == 1
    sender.send_due(NOW + timedelta(hours=25))
    assert _waiting() == 0


def test_a_late_interim_receipt_does_not_undo_a_final_one(receipts_on, client, monkeypatch) -> None:
    _queue()
    monkeypatch.setattr(sms, "send_text", lambda to, body, config, reference: "notify-id-3")
    sender.send_due(NOW)
    assert _receipt(client, "notify-id-3", "delivered") == 204
    assert _receipt(client, "notify-id-3", "sending") == 204  # came late
    assert _message().delivery_status == "delivered"
