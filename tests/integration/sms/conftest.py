"""The app's SMS settings pointed at a fake provider on loopback."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.integration.sms.fake_providers import (
    NOTIFY_API_KEY,
    TWILIO_SID,
    TWILIO_TOKEN,
    Provider,
    notify_server,
    twilio_server,
)


@pytest.fixture()
def notify(app: Flask, db, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with notify_server() as provider:
        for key, value in {"MAIL_BACKEND": "console", "SMS_BACKEND": "notify", "NOTIFY_API_KEY": NOTIFY_API_KEY,
                           "NOTIFY_SMS_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a",
                           "NOTIFY_BASE_URL": provider.base_url, "NOTIFY_CALLBACK_TOKEN": "receipt-token"}.items():
            monkeypatch.setitem(app.config, key, value)
        yield provider


@pytest.fixture()
def twilio(app: Flask, db, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with twilio_server() as provider:
        for key, value in {"MAIL_BACKEND": "console", "SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": TWILIO_SID,
                           "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "TWILIO_FROM": "+447700900001",
                           "TWILIO_BASE_URL": provider.base_url}.items():
            monkeypatch.setitem(app.config, key, value)
        yield provider
