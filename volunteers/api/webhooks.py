"""Register and remove webhook endpoints; queue an event for every endpoint that wants it.

Signing follows Stripe: the header ``Volunteers-Signature: t=<unix>,v1=<hex>``
where ``hex`` is HMAC-SHA256, keyed with the endpoint's secret, of
``"<unix>." + body``. The timestamp is signed too, so a receiver can refuse
an old delivery replayed later; ``verify`` is what a receiver would run.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from volunteers.api.webhook_models import EVENT_TYPES, WebhookDelivery, WebhookEndpoint
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.extensions import db

SIGNATURE_HEADER = "Volunteers-Signature"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """Return the signature header's value for ``body`` sent at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, now_unix: int, tolerance: int = 300) -> bool:
    """Return whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds of now."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return abs(now_unix - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))


def check_url(url: str) -> str:
    """Return the URL stripped, or raise ServiceError(field="url") naming what is wrong."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError("Give a full http:// or https:// address.", field="url")
    if parts.username or parts.password:
        raise ServiceError("Leave the user name and password out of the address: check the signature instead.",
                           field="url")
    if len(url) > 500:
        raise ServiceError("The address is too long (500 characters at most).", field="url")
    return url


def url_for_trail(url: str) -> str:
    """The address as the audit trail keeps it: scheme, host (and port) and path — never the query or
    fragment, where some receivers put a secret (``?token=…``)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def register_endpoint(org: Organisation, actor_person_id: int, url: str, events: Iterable[str],
                      now: datetime) -> WebhookEndpoint:
    """Add an endpoint with a fresh secret (the caller shows it once); audited. Flushes."""
    chosen = [name for name in EVENT_TYPES if name in set(events)]
    if not chosen:
        raise ServiceError("Choose at least one event.", field="events")
    endpoint = WebhookEndpoint(organisation_id=org.id, url=check_url(url), events=chosen,
                               secret="whsec_" + secrets.token_hex(24), created_at=now)
    db.session.add(endpoint)
    db.session.flush()
    audit.record(org, actor_person_id, "webhooks.register", "webhook_endpoint", endpoint.id, now=now,
                 url=url_for_trail(endpoint.url), events=chosen)
    return endpoint


def remove_endpoint(org: Organisation, actor_person_id: int, endpoint_id: int, now: datetime) -> WebhookEndpoint:
    """Stop sending to an endpoint (its deliveries stay listed); audited. Flushes."""
    endpoint = db.session.scalar(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == org.id, WebhookEndpoint.id == endpoint_id,
        WebhookEndpoint.removed_at.is_(None)))
    if endpoint is None:
        raise ServiceError("That webhook does not exist.")
    endpoint.removed_at = now
    # a ``sending`` row is failed by the sender when it next takes it (webhook_sender.send_due)
    db.session.query(WebhookDelivery).filter(
        WebhookDelivery.organisation_id == org.id, WebhookDelivery.endpoint_id == endpoint.id,
        WebhookDelivery.status == "pending",
    ).update({"status": "failed", "last_response": "endpoint removed"}, synchronize_session=False)
    audit.record(org, actor_person_id, "webhooks.remove", "webhook_endpoint", endpoint.id, now=now,
                 url=url_for_trail(endpoint.url))
    return endpoint


def endpoints_of(org: Organisation) -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == org.id, WebhookEndpoint.removed_at.is_(None)).order_by(WebhookEndpoint.id)))


def recent_deliveries(org: Organisation, limit: int = 50) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.organisation_id == org.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def live_endpoints(session: Session, organisation_id: int) -> list[WebhookEndpoint]:
    with session.no_autoflush:
        return list(session.scalars(select(WebhookEndpoint).where(
            WebhookEndpoint.organisation_id == organisation_id, WebhookEndpoint.removed_at.is_(None))))


def queue_event(session: Session, organisation_id: int, event_type: str, data: dict[str, Any],
                now: datetime, endpoints: list[WebhookEndpoint] | None = None) -> str | None:
    """Queue one event for every live endpoint of the organisation subscribed to it; return its id.

    Adds rows to ``session`` (flushed with the change, committed with it). No
    endpoint wants it: nothing is written and None is returned. ``endpoints``:
    the organisation's live endpoints when the caller has already read them.
    """
    if endpoints is None:
        endpoints = live_endpoints(session, organisation_id)
    endpoints = [e for e in endpoints if event_type in (e.events or ())]
    if not endpoints:
        return None
    event_id = "evt_" + uuid.uuid4().hex
    body = json.dumps({"id": event_id, "type": event_type, "created_at": now.isoformat(),
                       "organisation": organisation_id, "data": data}, sort_keys=True, default=str)
    for endpoint in endpoints:
        session.add(WebhookDelivery(organisation_id=organisation_id, endpoint_id=endpoint.id, event_id=event_id,
                                    event_type=event_type, body=body, status="pending", attempts=0,
                                    next_attempt_at=now, created_at=now))
    return event_id
