"""A text that fails and is retried after back-off is held by the person's quiet hours as its first try was.

Before, the sender set ``next_attempt_at = now + back-off`` whatever the hour: a
reminder tried at 20:58 and 20:59 went again at 21:01, inside quiet hours.
The provider here is Notify with no API key: a retried SmsError, as a 429 is.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.factories import utc
from tests.integration.texting_support import member_who_takes_texts, notify_without_a_key
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.selfservice.channel_delivery import text_instead

NOW = utc(2026, 11, 30, 20, 58)  # GMT: local time; quiet hours from 21:00


@pytest.fixture()
def failing_provider(app: Flask, db, monkeypatch: pytest.MonkeyPatch) -> None:
    notify_without_a_key(app, monkeypatch)


def _retried_at(member: Membership, kind: str, shift_starts_at) -> object:
    routed = text_instead(member.organisation, member, kind, now=NOW, key=f"{kind}:1", text="Hello",
                          shift_starts_at=shift_starts_at)
    assert routed.queued
    _db.session.commit()
    assert sender.send_due(NOW) == 0  # back-off 1 minute: 20:59
    assert sender.send_due(NOW + timedelta(minutes=1)) == 0  # back-off 2 minutes: 21:01, quiet
    message = _db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 2
    return message.next_attempt_at


def test_a_retry_that_would_fall_in_quiet_hours_waits_for_their_end(failing_provider) -> None:
    assert _retried_at(member_who_takes_texts(), "reminders", utc(2026, 12, 2, 10, 0)) == utc(2026, 12, 1, 8, 0)


def test_a_retried_cover_request_for_a_shift_within_12_hours_is_not_held(failing_provider) -> None:
    assert _retried_at(member_who_takes_texts(), "cover", utc(2026, 12, 1, 7, 0)) == utc(2026, 11, 30, 21, 1)


def test_a_retried_cover_request_is_held_only_until_its_shift_is_12_hours_away(failing_provider) -> None:
    assert _retried_at(member_who_takes_texts(), "cover", utc(2026, 12, 1, 10, 0)) == utc(2026, 11, 30, 22, 0)
