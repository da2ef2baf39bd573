"""Delivery receipts from the SMS providers: each updates the text it is about, once verified.

* Notify POSTs JSON (``id``, ``reference``, ``status`` …) with
  ``Authorization: Bearer <token>``, the token set in Notify's callback
  settings and here as ``NOTIFY_CALLBACK_TOKEN``.
* Twilio POSTs a form (``MessageSid``, ``MessageStatus`` …) signed in
  ``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed by the auth token, over
  the full URL followed by every POST field's name and value sorted by name
  (Twilio's documented algorithm, as its RequestValidator computes it).

A receipt that fails verification is a 403 and changes nothing. A final
failure (Notify's ``permanent-failure``/``technical-failure``/
``temporary-failure`` after its own retries, Twilio's ``failed``/
``undelivered``) marks the message ``failed`` so the outbox page shows it;
every receipt's status is kept in ``delivery_status``. A receipt that comes
before the sender has stored the text's provider id waits for it
(``mail.receipts``). These are a provider's
calls, not a person's: no session, no CSRF token, no audit entry.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from flask import Blueprint, abort, current_app, request

from volunteers.core.timeutil import utcnow
from volunteers.extensions import csrf
from volunteers.mail import receipts

log = logging.getLogger(__name__)

sms_hooks = Blueprint("sms_hooks", __name__, url_prefix="/sms")
csrf.exempt(sms_hooks)


def twilio_signature(auth_token: str, url: str, fields: dict[str, str]) -> str:
    """The ``X-Twilio-Signature`` Twilio computes for a POST of ``fields`` to ``url``."""
    payload = url + "".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def notify_verified() -> bool:
    """Whether this request carries Notify's callback bearer token (receipts and inbound texts alike)."""
    expected = current_app.config.get("NOTIFY_CALLBACK_TOKEN")
    given = request.headers.get("Authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def twilio_verified() -> bool:
    """Whether this form POST carries a valid ``X-Twilio-Signature`` for its URL and fields."""
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if not token:
        return False
    fields = {name: request.form[name] for name in request.form}
    given = request.headers.get("X-Twilio-Signature", "")
    return hmac.compare_digest(given.encode(), twilio_signature(str(token), request.url, fields).encode())


@sms_hooks.post("/notify/status")
def notify_status() -> tuple[str, int]:
    """Notify's delivery receipt (bearer token)."""
    if not notify_verified():
        abort(403)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not isinstance(body.get("status"), str):
        abort(400)
    receipts.record(body["id"], body["status"], utcnow())
    return "", 204


@sms_hooks.post("/twilio/status")
def twilio_status() -> tuple[str, int]:
    """Twilio's status callback (X-Twilio-Signature)."""
    if not twilio_verified():
        abort(403)
    sid, status = request.form.get("MessageSid"), request.form.get("MessageStatus")
    if not sid or not status:
        abort(400)
    receipts.record(sid, status, utcnow())
    return "", 204
