"""A member who takes texts, and a text provider whose every try fails: for the retry and quiet-hours tests."""
from __future__ import annotations

import pytest
from flask import Flask

from tests.factories import make_member, make_org, utc
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.selfservice.domain.channels import Preferences


def notify_without_a_key(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts go by Notify with no API key: every try fails as a retried error (a 429's way)."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    monkeypatch.setitem(app.config, "SMS_BACKEND", "notify")
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", None)


def member_who_takes_texts() -> Membership:
    """Ann, with a confirmed phone, who asked for reminders and cover requests by text."""
    org = make_org()
    member = make_member(org, "ann@example.org", name="Ann")
    member.person.phone, member.person.phone_confirmed_at = "+447911123456", utc(2026, 11, 1, 12, 0)
    member.preferences = {"messages": Preferences({"reminders": "sms", "cover": "sms"}).to_stored()}
    _db.session.flush()
    return member
