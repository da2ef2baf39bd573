"""The job that sends queued webhook deliveries: signed, retried with back-off, each at most once.

Each due row is claimed by a conditional UPDATE (status and attempt count
as read) that is committed before the POST, so a second job running at the
same time — or the same job run again — finds nothing to claim. A claim is a
lease: a job that dies mid-send leaves the row ``sending`` until the lease ends,
then it is tried again. Any 2xx answer delivers; anything else (an error
status, a refused connection, a timeout, a redirect) is a failed try.
"""
from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from http.client import HTTPException
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from volunteers.api.webhook_models import WebhookDelivery, WebhookEndpoint
from volunteers.api.webhooks import SIGNATURE_HEADER, sign
from volunteers.core.dml import rows_matched
from volunteers.core.jobs import Job
from volunteers.extensions import db

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 50
#: how long a claimed row is left to its sender before another job may take it again
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failed try (capped at 6 h)."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver answers for itself: a redirect is a failed try, never followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def refused_address(url: str) -> str | None:
    """Say why the URL's host may not be called (it resolves to a non-public address), or None.

    A coordinator's URL must not make this server call its own neighbours
    (a database, a metadata service). Looked up at each try, since DNS can
    change after registration. A name that does not resolve is left to fail
    on its own.
    """
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return f"refused: {parts.hostname} is not a public address ({address})"
    return None


def post(url: str, body: bytes, signature: str, event_id: str, timeout: float) -> tuple[int | None, str]:
    """POST the body; return (HTTP status or None when no answer came, the answer's first characters)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: signature, "Volunteers-Event-Id": event_id,
        "User-Agent": "volunteers-webhooks/1"})
    try:
        with _opener.open(request, timeout=timeout) as answer:
            return answer.status, answer.read(200).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(200).decode("utf-8", "replace")
    except (OSError, HTTPException) as error:  # refused, DNS, timeout (socket.timeout is an OSError)
        return None, f"{type(error).__name__}: {error}"[:200]


def _claim(delivery_id: int, attempts: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempts,
               WebhookDelivery.status.in_(("pending", "sending")), WebhookDelivery.next_attempt_at <= now)
        .values(status="sending", attempts=attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False))
    db.session.commit()  # the claim is seen by every other job before anything is sent
    return rows_matched(claimed) == 1


def send_due(now: datetime) -> int:
    """Send every due delivery once; return how many were delivered (a 2xx answer)."""
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT_SECONDS", 5))
    due = db.session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(WebhookDelivery.status.in_(("pending", "sending")), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(BATCH)).all()
    delivered = 0
    for delivery_id, attempts in due:
        if not _claim(delivery_id, attempts, now):
            continue
        delivery, url, secret = db.session.execute(
            select(WebhookDelivery, WebhookEndpoint.url, WebhookEndpoint.secret)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id == delivery_id)).one()
        body = delivery.body.encode()
        refused = None if current_app.config.get("WEBHOOK_ALLOW_PRIVATE_HOSTS") else refused_address(url)
        status, text = (None, refused) if refused else \
            post(url, body, sign(secret, body, int(now.timestamp())), delivery.event_id, timeout)
        delivery.last_attempt_at = now
        delivery.last_status_code = status
        delivery.last_response = text[:200]
        if status is not None and 200 <= status < 300:
            delivery.status = "delivered"
            delivered += 1
        else:
            delivery.status = "failed" if delivery.attempts >= MAX_ATTEMPTS else "pending"
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            log.warning("webhook %s to %s failed (try %s): %s %s", delivery.id, url, delivery.attempts, status, text)
        db.session.commit()
    return delivered


JOBS = [Job(id="api.send_webhooks", func=send_due, cron={"minute": "*"})]
