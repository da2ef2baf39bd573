"""Texts through GOV.UK Notify (``SMS_BACKEND=notify``), with Notify's own Python client.

Notify sends a text from a template: the service keeps one SMS template whose
whole content is ``((body))`` (``NOTIFY_SMS_TEMPLATE_ID``) and we fill it in.
``NOTIFY_BASE_URL`` points the client elsewhere (tests: a fake on loopback).
Notify's answers: 201 with the notification's id; 400 ``ValidationError``
(e.g. not a valid number) cannot succeed on a retry; 429 (rate or daily
limit) and 5xx can, later.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from volunteers.mail.sms_errors import SmsError

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"


def send(to: str, body: str, config: Mapping[str, Any], reference: str) -> str:
    """Send one text; return Notify's notification id, or raise :class:`SmsError`."""
    client = NotificationsAPIClient(config["NOTIFY_API_KEY"], base_url=config.get("NOTIFY_BASE_URL") or
                                    DEFAULT_BASE_URL, timeout=30)
    try:
        answer = client.send_sms_notification(
            phone_number=to, template_id=config["NOTIFY_SMS_TEMPLATE_ID"], personalisation={"body": body},
            reference=reference,
        )
    except APIError as error:
        raise SmsError(f"Notify {error.status_code}: {error.message}", permanent=error.status_code == 400) from error
    return str(answer["id"])
