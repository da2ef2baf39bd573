"""The job that sends queued webhook deliveries: signed, retried with back-off, each at most once.

Each due row is claimed by a conditional UPDATE (status and attempt count
as read) that is committed before the POST, so a second job running at the
same time — or the same job run again — finds nothing to claim. A claim is a
lease: a job that dies mid-send leaves the row ``sending`` until the lease ends,
then it is tried again. Any 2xx answer delivers; anything else (an error
status, a refused connection, a timeout, a redirect) is a failed try. A
delivery whose endpoint was removed is failed without being sent.

Unless WEBHOOK_ALLOW_PRIVATE_HOSTS is set, the address actually connected to
(the socket's peer) must be public: checking a name's addresses beforehand is
not enough, since a second lookup (DNS rebinding) may answer differently.
"""
from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import time
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


#: IPv6 prefixes that lead to IPv4 hosts (NAT64, 6to4): internal ones among them, though Python calls them global
_IPV4_GATEWAYS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"),
                  ipaddress.ip_network("2002::/16"))
#: the pre-check's resolver (a name of its own, so a test can make it lie as a rebinding DNS server would)
_resolve = socket.getaddrinfo


def non_public(text: str) -> bool:
    """Whether an address (as a socket gives it) may reach this server's neighbours rather than the internet."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return non_public(str(address.ipv4_mapped))
        if any(address in network for network in _IPV4_GATEWAYS):
            return True
    return not address.is_global or address.is_multicast


class RefusedPeer(OSError):
    """The connection reached an address that is not public: nothing was sent."""


class _PeerCheckedConnection(http.client.HTTPConnection):
    """Checks, once connected and before anything is sent (or TLS begins), whom it is connected to."""

    def connect(self) -> None:
        super().connect()
        peer = str(self.sock.getpeername()[0])
        if non_public(peer):
            self.sock.close()
            self.sock = None
            raise RefusedPeer(f"refused: {self.host} is not a public address ({peer})")


class _PeerCheckedHTTPSConnection(http.client.HTTPSConnection, _PeerCheckedConnection):
    """HTTPSConnection.connect calls the peer check (next in line) before wrapping the socket in TLS.

    The Host header and the TLS server name stay the URL's host name.
    """


class _PeerCheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PeerCheckedConnection, req)


class _PeerCheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(context=self._tls)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PeerCheckedHTTPSConnection, req, context=self._tls)


# No proxies from the environment: the peer checked must be the receiver itself, not a proxy in between.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)
_checked_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects,
                                              _PeerCheckedHTTPHandler, _PeerCheckedHTTPSHandler)


def refused_address(url: str) -> str | None:
    """Say why the URL's host may not be called (it resolves to a non-public address), or None.

    A coordinator's URL must not make this server call its own neighbours
    (a database, a metadata service). Looked up at each try, since DNS can
    change after registration; this saves a connection, while the check of
    the connected peer in ``post`` is what holds against DNS rebinding. A
    name that does not resolve is left to fail on its own.
    """
    parts = urlsplit(url)
    try:
        infos = _resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return None
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if non_public(address):
            return f"refused: {parts.hostname} is not a public address ({address})"
    return None


def post(url: str, body: bytes, signature: str, event_id: str, timeout: float,
         allow_private: bool = False) -> tuple[int | None, str]:
    """POST the body; return (HTTP status or None when no answer came, the answer's first characters).

    Unless ``allow_private``, a connection whose peer is not public is closed
    before the request is written.
    """
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: signature, "Volunteers-Event-Id": event_id,
        "User-Agent": "volunteers-webhooks/1"})
    try:
        with (_opener if allow_private else _checked_opener).open(request, timeout=timeout) as answer:
            return answer.status, answer.read(200).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(200).decode("utf-8", "replace")
    except urllib.error.URLError as error:
        if isinstance(error.reason, RefusedPeer):
            return None, str(error.reason)[:200]
        return None, f"{type(error).__name__}: {error}"[:200]
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


#: seconds on a clock that only goes forward (a test moves it); claims stop half a lease after the run began,
#: so one slow receiver after another can never leave a claimed row sending past its lease, when another
#: scheduler would take it and post it a second time
elapsed = time.monotonic


def send_due(now: datetime) -> int:
    """Send every due delivery once; return how many were delivered (a 2xx answer)."""
    timeout = float(current_app.config.get("WEBHOOK_TIMEOUT_SECONDS", 5))
    due = db.session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(WebhookDelivery.status.in_(("pending", "sending")), WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(BATCH)).all()
    delivered = 0
    started = elapsed()
    for delivery_id, attempts in due:
        if elapsed() - started > LEASE.total_seconds() / 2:
            break  # a claim made later would outlive its lease (counted from ``now``): the next run sends the rest
        if not _claim(delivery_id, attempts, now):
            continue
        delivery, url, secret, removed_at = db.session.execute(
            select(WebhookDelivery, WebhookEndpoint.url, WebhookEndpoint.secret, WebhookEndpoint.removed_at)
            .join(WebhookEndpoint, (WebhookEndpoint.organisation_id == WebhookDelivery.organisation_id)
                  & (WebhookEndpoint.id == WebhookDelivery.endpoint_id))
            .where(WebhookDelivery.id == delivery_id)).one()
        delivery.last_attempt_at = now
        if removed_at is not None:  # removed after this try was claimed, or while a dead job's lease ran
            delivery.status, delivery.last_status_code, delivery.last_response = "failed", None, "endpoint removed"
            db.session.commit()
            continue
        body = delivery.body.encode()
        allow_private = bool(current_app.config.get("WEBHOOK_ALLOW_PRIVATE_HOSTS"))
        refused = None if allow_private else refused_address(url)
        status, text = (None, refused) if refused else \
            post(url, body, sign(secret, body, int(now.timestamp())), delivery.event_id, timeout, allow_private)
        delivery.last_status_code = status
        delivery.last_response = text[:200]
        if status is not None and 200 <= status < 300:
            delivery.status = "delivered"
            delivered += 1
        else:
            delivery.status = "failed" if delivery.attempts >= MAX_ATTEMPTS else "pending"
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            # the host only: a receiver's URL often carries its secret in the path
            log.warning("webhook delivery %s to endpoint %s at %s failed (try %s): %s %s", delivery.id,
                        delivery.endpoint_id, urlsplit(url).hostname, delivery.attempts, status, text)
        db.session.commit()
    return delivered


JOBS = [Job(id="api.send_webhooks", func=send_due, cron={"minute": "*"})]
