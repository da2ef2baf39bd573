"""Text messages leave through one backend, chosen by ``SMS_BACKEND``.

``console`` prints the text (development; the default, so nothing is sent
by accident); ``notify`` is GOV.UK Notify (mail.sms_notify); ``twilio`` is
Twilio's Messages API (mail.sms_twilio). A provider answer that can never
succeed (a number it refuses) is a :class:`SmsError` with
``permanent=True``: the sender stops retrying; anything else is retried
with back-off. Twilio is told where to send delivery receipts
(``/sms/twilio/status`` under the app's link base); Notify's callback URL
is set once in Notify's own settings.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from volunteers.core.links import absolute
from volunteers.mail import sms_notify, sms_twilio
from volunteers.mail.sms_errors import SmsError

__all__ = ["SmsError", "send_text"]

log = logging.getLogger(__name__)

#: the settings each provider cannot send without
REQUIRED = {
    "notify": ("NOTIFY_API_KEY", "NOTIFY_SMS_TEMPLATE_ID"),
    "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"),
}


def send_text(to: str, body: str, config: Mapping[str, Any], reference: str) -> str | None:
    """Hand one text to the configured backend; return the provider's id for it (None for console)."""
    backend = config.get("SMS_BACKEND", "console")
    if backend == "console":
        print(f"--- text to {to} ({reference}):\n{body}")
        return None
    missing = [name for name in REQUIRED.get(backend, ()) if not config.get(name)]
    if missing:  # retried with back-off: the text goes once the sysadmin sets them
        raise SmsError(f"SMS_BACKEND {backend!r} needs {', '.join(missing)}")
    if backend == "notify":
        return sms_notify.send(to, body, config, reference)
    if backend == "twilio":
        return sms_twilio.send(to, body, config, reference, status_callback=absolute("/sms/twilio/status"))
    raise SmsError(f"SMS_BACKEND {backend!r} is not one this app knows (console, notify, twilio)", permanent=True)
