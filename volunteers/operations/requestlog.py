"""One JSON line per request, carrying a request id that HAProxy's log carries too.

Why JSON: a log shipper (journald → Loki, Elastic) indexes the fields without
a parser per format, so "all the requests of request id X" or "every 5xx of
organisation Y" is one query. Why a request id: HAProxy makes one per request
(deploy/haproxy.cfg) and logs it; the app takes it from ``X-Request-ID``, logs
it and echoes it in the response, so a slow or failed request is found in both
logs (and a person reporting a problem can quote it). Without a proxy the app
makes its own.

The line never carries per-person data: the path logged is the URL rule
(``/calendar/<token>.ics``, not the secret token), no query string, no e-mail,
no form field, and never the client's address. An IP address is personal data
(it can name a household) and log lines are shipped and kept where the app
cannot forget them, so ``client`` is the network the request came from — the
/24 of an IPv4 address (``203.0.113.0/24``), the /48 of an IPv6 one, an
IPv4-mapped IPv6 address (a dual-stack socket's ``::ffff:203.0.113.7``) as its
IPv4 /24, ``unknown`` for no address or anything that is not one: enough to
see a flood or a run of failures coming from one place, the same networks the
audit trail keeps (``people.domain.addresses``). The address is the one
Werkzeug's ``remote_addr`` gives: behind HAProxy that is the address HAProxy
saw and appended to ``X-Forwarded-For`` (``option forwardfor``), read by
``ProxyFix`` through ``PROXY_COUNT`` trusted proxies (``volunteers.app``), so an
address the client wrote in the header itself is never logged; with
``PROXY_COUNT=0`` behind a proxy it is the proxy's own. A process keeps the
networks of the last few thousand addresses it saw (in memory only, never
written), so the line costs a dictionary look-up, not an address parsed.

Cheap, since every request pays for it: where the line goes only to this
module's own stdout handler (production, :func:`configure_logging`), it is
written straight to that stream — the same JSON :class:`JsonFormatter` makes
of the record, without building a ``LogRecord`` and walking the logging
machinery for it; anything else listening (a test's capture, a handler added
later) gets the record as before. The encoder is built once, the timestamp's
date and time formatted once a second, and a request id made without the
``uuid`` module's object.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from typing import Any

from flask import Flask, Response, g, request

from volunteers.people.domain.addresses import network_of

log = logging.getLogger("volunteers.requests")

REQUEST_ID_HEADER = "X-Request-ID"
#: an id from outside is kept only if it looks like one: no spaces, quotes or newlines to forge log lines
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: one encoder for every line (``json.dumps`` with options builds a new one each call)
_encode = json.JSONEncoder(default=str, separators=(",", ":")).encode
#: the handler :func:`configure_logging` gave the logger: while it is the only one, lines skip the LogRecord
_own_handler: logging.StreamHandler | None = None


def request_id_from(header: str | None) -> str:
    """Return the incoming request id when it is well formed, else a new random one (32 hex digits)."""
    if header and _ACCEPTABLE_ID.match(header):
        return header
    return os.urandom(16).hex()


_second: list[Any] = [None, ""]  # the last whole second formatted, and its text


def timestamp(created: float) -> str:
    """``2026-11-30T12:00:00.123+00:00``: UTC to the millisecond (the date and time formatted once a second)."""
    whole = int(created)
    if whole != _second[0]:
        _second[:] = [whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))]
    return f"{_second[1]}.{int((created - whole) * 1000):03d}+00:00"


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return _encode(line)


def organisation_slug() -> str | None:
    """The current organisation's slug if the request already loaded it (never a query of its own)."""
    membership = g.get("membership")
    if membership is None:
        return None
    organisation = membership.__dict__.get("organisation")  # loaded with the membership, or not at all
    return getattr(organisation, "slug", None)


def note_organisation(response: Response) -> Response:
    """Keep the organisation's slug for the line before the commit at the edge expires the loaded rows."""
    g.log_org = organisation_slug()
    return response


def start_request() -> None:
    """Remember when the request began and which id it carries."""
    g_ = g._get_current_object()  # the proxies once, not once per attribute (every request pays for this)
    g_.request_started = time.perf_counter()
    g_.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))


def finish_request(response: Response) -> Response:
    """Echo the request id and write the request's line."""
    g_ = g._get_current_object()  # the proxies once, not once per attribute (every request pays for this)
    request_id = getattr(g_, "request_id", None) or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    if log.isEnabledFor(logging.INFO):
        req = request._get_current_object()  # type: ignore[attr-defined]
        now = time.perf_counter()
        rule = req.url_rule
        fields = {
            "request_id": request_id,
            "method": req.method,
            "path": (rule.rule if rule is not None else None) or "(no route)",
            "endpoint": req.endpoint,
            "status": response.status_code,
            "duration_ms": round((now - getattr(g_, "request_started", now)) * 1000, 1),
            "org": getattr(g_, "log_org", None),
            "client": client_network(req.remote_addr),
        }
        if not (_writes_directly() and _write(fields)):
            log.info("request", extra={"fields": fields})
    return response


_NAME = log.name
#: how many addresses' networks a process keeps (emptied when full: a flood of new addresses costs a parse each)
KEPT_NETWORKS = 4096
_networks: dict[str | None, str] = {}


def client_network(address: str | None) -> str:
    """The network logged for a client's address: ``203.0.113.0/24``, ``2001:db8:1::/48`` or ``unknown``."""
    network = _networks.get(address)
    if network is None:
        network = network_of(address)
        if len(_networks) >= KEPT_NETWORKS:
            _networks.clear()
        _networks[address] = network
    return network


def _writes_directly() -> bool:
    """Whether this module's own handler is the only listener, so the line may skip the ``LogRecord``."""
    handler = _own_handler
    handlers = log.handlers
    return (handler is not None and len(handlers) == 1 and handlers[0] is handler and not log.filters
            and not handler.filters and not log.propagate)


def _write(fields: dict[str, Any]) -> bool:
    """Write the request's line to this module's own handler's stream (what :class:`JsonFormatter` makes of
    ``log.info("request", extra={"fields": fields})``); say if it did."""
    handler = _own_handler
    assert handler is not None
    text = _encode({"ts": timestamp(time.time()), "level": "info", "logger": _NAME, "msg": "request", **fields})
    handler.acquire()
    try:
        handler.stream.write(text + handler.terminator)
        handler.stream.flush()  # one whole line per write: gunicorn's workers share the stream
    except Exception:  # a closed or full stream: let the logging machinery report it as it would
        return False
    finally:
        handler.release()
    return True


def configure_logging(app: Flask) -> None:
    """Send request lines to stdout as JSON, once per process (not under tests: pytest captures records)."""
    global _own_handler
    if app.testing or log.handlers:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    _own_handler = handler
    log.setLevel(logging.INFO)
    log.propagate = False
