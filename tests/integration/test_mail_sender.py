"""The outbox sender talks real SMTP, retries with back-off and never sends twice.

Messages are due at the ``now`` they are queued with, so every test here
runs on one fixed clock, ``NOW``, and never reads the real one.
"""
from __future__ import annotations

import smtplib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.races import at_once
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _queue(db, key: str = "test:1"):
    from types import SimpleNamespace

    message = enqueue(
        dedupe_key=key, now=NOW, to="ann@example.org", subject="Welcome", template="password_reset",
        person=SimpleNamespace(name="Ann"), link="http://x/reset/abc", hours=24,
    )
    db.session.commit()
    return message


def test_message_arrives_with_text_and_html_parts(db, smtp) -> None:
    _queue(db)
    assert sender.send_due(NOW) == 1
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert received["To"] == "ann@example.org" and received["Subject"] == "Welcome"
    types = {part.get_content_type() for part in received.walk()}
    assert {"text/plain", "text/html"} <= types


def test_running_the_sender_again_sends_nothing_more(db, smtp) -> None:
    _queue(db)
    sender.send_due(NOW)
    sender.send_due(NOW + timedelta(minutes=1))
    assert len(smtp.messages) == 1


def test_the_same_key_is_queued_once(db, smtp) -> None:
    _queue(db, "reminder:1")
    assert _queue(db, "reminder:1") is None
    sender.send_due(NOW)
    assert len(smtp.messages) == 1


def test_a_temporary_failure_is_retried_after_back_off(db, smtp) -> None:
    _queue(db)
    smtp.fail_next = 1
    now = NOW
    assert sender.send_due(now) == 0
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert sender.send_due(now + timedelta(seconds=30)) == 0  # not yet due
    assert sender.send_due(now + timedelta(minutes=1)) == 1
    assert len(smtp.messages) == 1


def test_a_failure_is_logged_by_message_id_without_the_address(db, smtp, caplog) -> None:
    """The log outlives the outbox and reaches more people: it names the message, not its recipient."""
    message = _queue(db)
    smtp.fail_next = 1
    with caplog.at_level("WARNING", logger=sender.log.name):
        assert sender.send_due(NOW) == 0
    lines = [record.getMessage() for record in caplog.records if record.name == sender.log.name]
    assert any(f"mail {message.id} (email) failed" in line for line in lines), lines
    assert not any("ann@example.org" in line for line in lines), lines


def test_gives_up_after_the_last_attempt(db, app, monkeypatch) -> None:
    from tests.smtp_server import free_port

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens
    _queue(db)
    now = NOW
    for _ in range(sender.MAX_ATTEMPTS):
        sender.send_due(now)
        now += timedelta(hours=5)
    assert db.session.scalar(select(OutboxMessage.status)) == "failed"


@pytest.mark.postgres
def test_two_senders_share_the_queue_and_send_each_message_once(db, app, monkeypatch) -> None:
    """Two schedulers' senders at once: each claims rows the other has not, so twice a batch goes in one run.

    Each sender waits at its first message until the other has one too, so both have read the queue
    before either finishes. Reading the first ``BATCH`` due ids and claiming them one by one (as
    before) gave both senders the same rows: 6 of the 10 were sent, and the one that lost each race
    idled. Claimed with ``FOR UPDATE SKIP LOCKED``, each sender takes five and all ten go, once each.
    """
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setattr(sender, "BATCH", 5)
    for n in range(10):
        _queue(db, f"test:{n}")
    db.session.remove()
    both_started = threading.Barrier(2, timeout=10)
    delivered: list[tuple[str, str]] = []
    lock = threading.Lock()

    def deliver(email, config) -> None:
        me = threading.current_thread().name
        with lock:
            first = not any(who == me for who, _ in delivered)
            delivered.append((me, email["Message-ID"]))
        if first:
            both_started.wait()

    monkeypatch.setattr(sender, "_deliver", deliver)
    counts: dict[str, int] = {}

    def run(name: str) -> None:
        threading.current_thread().name = name
        with app.app_context():
            counts[name] = sender.send_due(NOW)

    at_once(run, ["first", "second"])
    ids = [message_id for _, message_id in delivered]
    assert len(ids) == len(set(ids)) == 10
    assert counts == {"first": 5, "second": 5}
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"sent"}


@pytest.mark.parametrize("error, logged", [
    (smtplib.SMTPRecipientsRefused({"ann@example.org": (550, b"no such user")}), "SMTPRecipientsRefused"),
    (RuntimeError("The 'To' number +447700900123 is not a valid phone number."),
     "The 'To' number [number] is not a valid phone number."),
    (RuntimeError("invalid number 07700 900123"), "invalid number [number]"),
    (RuntimeError("429 Too Many Requests"), "429 Too Many Requests"),
])
def test_a_provider_s_error_is_logged_without_the_number_or_address(error, logged) -> None:
    assert sender.loggable(error) == logged
