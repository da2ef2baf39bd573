"""Texts through Twilio's Messages API (``SMS_BACKEND=twilio``), spoken directly over HTTPS.

``POST {TWILIO_BASE_URL}/2010-04-01/Accounts/{sid}/Messages.json`` with basic
auth (account SID, auth token) and the form fields ``To``, ``From`` (or
``MessagingServiceSid`` when the sender is a service), ``Body`` and
``StatusCallback`` (where the delivery receipts go). Twilio's answers: 201
with the message's ``sid``; 400 (e.g. code 21211, an invalid ``To``) cannot
succeed on a retry; 429 (code 20429, too many requests) and 5xx can.
The standard library is enough for one form POST: no SDK to keep current.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from volunteers.mail.sms_errors import SmsError

DEFAULT_BASE_URL = "https://api.twilio.com"


def send(to: str, body: str, config: Mapping[str, Any], reference: str, status_callback: str | None = None) -> str:
    """Send one text; return Twilio's message sid, or raise :class:`SmsError`."""
    sid, token = config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]
    sender = str(config["TWILIO_FROM"])
    fields = {"To": to, "Body": body, ("MessagingServiceSid" if sender.startswith("MG") else "From"): sender}
    if status_callback:
        fields["StatusCallback"] = status_callback
    base = (config.get("TWILIO_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    request = urllib.request.Request(
        f"{base}/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json",
        data=urllib.parse.urlencode(fields).encode(), method="POST",
        headers={"Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode(),
                 "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (https, or the test fake)
            return str(json.load(response)["sid"])
    except urllib.error.HTTPError as error:
        detail = _detail(error)
        raise SmsError(f"Twilio {error.code} ({reference}): {detail}", permanent=error.code == 400) from error
    except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
        raise SmsError(f"Twilio unreachable or unreadable ({reference}): {error}") from error


def _detail(error: urllib.error.HTTPError) -> str:
    """Twilio's error body: ``{"code": 21211, "message": "…", "more_info": "…", "status": 400}``."""
    try:
        body = json.loads(error.read() or b"{}")
    except ValueError:
        return error.reason
    return f"{body.get('code')} {body.get('message')}"
