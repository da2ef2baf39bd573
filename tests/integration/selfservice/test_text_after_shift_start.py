"""A text about a shift is never sent once the shift has begun, however its retries fall (issue 13).

Quiet hours hold a retry after back-off to their end (``mail.quiet``): a
reminder of a 07:30 shift that failed at 20:58 and 20:59 went again at 08:00,
half an hour into the shift. Now its hold carries the shift's start: the retry
is not queued past it but marked failed with the reason the coordinator reads
on the outbox page, and a try the sender reaches only after the start (it was
behind) is not sent either.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import utc
from tests.integration.texting_support import member_who_takes_texts, notify_without_a_key
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.selfservice.channel_delivery import OFFER_ENDED, SHIFT_STARTED, text_instead

NOW = utc(2026, 11, 30, 20, 58)  # GMT: local time; quiet hours 21:00-08:00
STARTS = utc(2026, 12, 1, 7, 30)  # before the quiet hours end


@pytest.fixture()
def provider(app: Flask, db, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notify without an API key: every try fails as a retried error (a 429's way)."""
    notify_without_a_key(app, monkeypatch)


def _queue(member: Membership, kind: str = "reminders", shift_starts_at: datetime = STARTS,
           expires_at: datetime | None = None) -> OutboxMessage:
    routed = text_instead(member.organisation, member, kind, now=NOW, key=f"{kind}:1", text="Hello",
                          shift_starts_at=shift_starts_at, expires_at=expires_at)
    assert routed.by_text and routed.queued
    _db.session.commit()
    message = _db.session.scalar(select(OutboxMessage))
    assert message is not None
    return message


def test_a_retry_quiet_hours_would_hold_past_the_shifts_start_is_not_sent(provider) -> None:
    message = _queue(member_who_takes_texts())
    assert sender.send_due(NOW) == 0  # back-off 1 minute: 20:59
    assert message.status == "pending"
    assert sender.send_due(NOW + timedelta(minutes=1)) == 0  # 21:01 is quiet: held to 08:00, after 07:30
    assert (message.status, message.last_error, message.attempts) == ("failed", SHIFT_STARTED, 2)
    assert sender.send_due(utc(2026, 12, 1, 8, 0)) == 0 and message.attempts == 2  # never tried again


def test_a_retry_that_falls_before_the_start_still_goes(provider) -> None:
    message = _queue(member_who_takes_texts(), shift_starts_at=utc(2026, 12, 1, 9, 0))  # after the quiet hours end
    sender.send_due(NOW)
    sender.send_due(NOW + timedelta(minutes=1))
    assert (message.status, message.next_attempt_at) == ("pending", utc(2026, 12, 1, 8, 0))


def test_a_text_the_sender_reaches_only_after_the_start_is_not_sent(app: Flask, provider, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SMS_BACKEND", "console")  # it would go, were it in time
    message = _queue(member_who_takes_texts(), shift_starts_at=NOW + timedelta(minutes=10))
    assert sender.send_due(NOW + timedelta(minutes=10)) == 0
    assert (message.status, message.sent_at, message.last_error) == ("failed", None, SHIFT_STARTED)


def test_an_offers_text_is_not_sent_after_the_offer_ended(app: Flask, provider, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SMS_BACKEND", "console")
    message = _queue(member_who_takes_texts(), "cover", shift_starts_at=STARTS, expires_at=NOW + timedelta(minutes=5))
    assert sender.send_due(NOW + timedelta(minutes=5)) == 0
    assert (message.status, message.last_error) == ("failed", OFFER_ENDED)


def test_in_time_it_goes(app: Flask, provider, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SMS_BACKEND", "console")
    message = _queue(member_who_takes_texts())
    assert sender.send_due(NOW) == 1 and message.status == "sent"
