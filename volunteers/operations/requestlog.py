"""One JSON line per request, carrying a request id that HAProxy's log carries too.

Why JSON: a log shipper (journald → Loki, Elastic) indexes the fields without
a parser per format, so "all the requests of request id X" or "every 5xx of
organisation Y" is one query. Why a request id: HAProxy makes one per request
(deploy/haproxy.cfg) and logs it; the app takes it from ``X-Request-ID``, logs
it and echoes it in the response, so a slow or failed request is found in both
logs (and a person reporting a problem can quote it). Without a proxy the app
makes its own.

The line never carries per-person data beyond the client address: the path
logged is the URL rule (``/calendar/<token>.ics``, not the secret token), no
query string, no e-mail, no form field.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import inspect

log = logging.getLogger("volunteers.requests")

REQUEST_ID_HEADER = "X-Request-ID"
#: an id from outside is kept only if it looks like one: no spaces, quotes or newlines to forge log lines
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(header: str | None) -> str:
    """Return the incoming request id when it is well formed, else a new random one."""
    if header and _ACCEPTABLE_ID.match(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, separators=(",", ":"))


def organisation_slug() -> str | None:
    """The current organisation's slug if the request already loaded it (never a query of its own)."""
    membership = g.get("membership")
    if membership is None:
        return None
    organisation = inspect(membership).attrs.organisation.loaded_value
    return getattr(organisation, "slug", None)


def note_organisation(response: Response) -> Response:
    """Keep the organisation's slug for the line before the commit at the edge expires the loaded rows."""
    g.log_org = organisation_slug()
    return response


def start_request() -> None:
    """Remember when the request began and which id it carries."""
    g.request_started = time.perf_counter()
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))


def finish_request(response: Response) -> Response:
    """Echo the request id and write the request's line."""
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[REQUEST_ID_HEADER] = request_id
    if log.isEnabledFor(logging.INFO):
        started = g.get("request_started", time.perf_counter())
        rule = request.url_rule.rule if request.url_rule is not None else None
        log.info("request", extra={"fields": {
            "request_id": request_id,
            "method": request.method,
            "path": rule or "(no route)",
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "org": g.get("log_org"),
            "client": request.remote_addr,
        }})
    return response


def configure_logging(app: Flask) -> None:
    """Send request lines to stdout as JSON, once per process (not under tests: pytest captures records)."""
    if app.testing or log.handlers:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
