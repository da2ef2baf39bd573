"""The providers' inbound-text webhooks: verified like their receipts, answered through the outbox.

Notify POSTs JSON (``id``, ``source_number``, ``content`` …) with its
callback bearer token; Twilio POSTs a form (``MessageSid``, ``From``,
``Body``) signed in ``X-Twilio-Signature`` and is answered with an empty
TwiML ``<Response/>`` — the reply, if any, goes out as a queued text like
every other, with retries. A failed verification is a 403.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, request

from volunteers.core.timeutil import utcnow
from volunteers.extensions import csrf
from volunteers.mail.outbox import enqueue_text
from volunteers.mail.sms_receipts import notify_verified, twilio_verified
from volunteers.selfservice import text_replies

sms_inbound = Blueprint("sms_inbound", __name__, url_prefix="/sms")
csrf.exempt(sms_inbound)


def _answer(provider: str, message_id: str, sender: str, body: str) -> None:
    now = utcnow()
    reply = text_replies.handle(sender, body, now)
    if reply is not None:
        enqueue_text(dedupe_key=f"sms-reply:{provider}:{message_id}"[:200], now=now, to=reply.to, text=reply.text,
                     organisation_id=reply.organisation_id)


@sms_inbound.post("/notify/inbound")
def notify_inbound() -> tuple[str, int]:
    """A text received by the service's Notify number."""
    if not notify_verified():
        abort(403)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("id", "source_number", "content")):
        abort(400)
    _answer("notify", body["id"], body["source_number"], body["content"])
    return "", 204


@sms_inbound.post("/twilio/inbound")
def twilio_inbound() -> Response:
    """A text received by the Twilio number (its Messaging webhook)."""
    if not twilio_verified():
        abort(403)
    sid, sender = request.form.get("MessageSid"), request.form.get("From")
    if not sid or not sender:
        abort(400)
    _answer("twilio", sid, sender, request.form.get("Body", ""))
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', mimetype="text/xml")
