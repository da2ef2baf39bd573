"""The API's one error shape: ``application/problem+json`` (RFC 9457).

Every refusal under ``/api/`` goes through :func:`problem`: a ``type`` URI
naming the kind of problem, the HTTP ``title`` and ``status``, a
``detail`` for people and, for bad input, ``errors``: one entry per failing
field (``{"field": "limit", "message": "…"}``). Nothing under ``/api/``
answers with an HTML page or a bare 500.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Response, json, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from volunteers.extensions import db

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
#: the problem types: ``type`` is ``TYPE_BASE + code``; the codes are stable, the details are for people
TYPE_BASE = "/api/v1/docs#problem-"

#: the problem types the docs page describes (``type`` ends in one of these); the codes are stable
PROBLEM_TYPES = {
    "invalid-field": "400: the request did not parse or a field is wrong; `errors` names each field.",
    "bad-request": "400: the body is not JSON, or the request is malformed in some other way.",
    "unauthorized": "401: no token, or an unknown, expired or revoked one.",
    "read-only-token": "403: a read token may not change anything; make a write token.",
    "forbidden": "403: only the organisation's coordinators may do this.",
    "two-factor-required": "403: the organisation asks its coordinators to turn on two-factor sign-in first.",
    "not-found": "404: no such record in your organisation (another organisation's ids are not found either).",
    "full": "409: the shift has no free place left.",
    "already-on": "409: you (or they) are on this shift already.",
    "gone": "409: that place has already been taken by someone else.",
    "decided": "409: that offer has been decided already.",
    "already-decided": "409: the entry has been approved or rejected already.",
    "not-eligible": "422: you may not take this shift (a qualification, availability, leave or another shift).",
    "too-much": "422: taking it would put too much on you (a critical load warning).",
    "needs-override": "422: the person is not eligible: send `override_reason` to go ahead.",
    "needs-reason": "422: a critical load warning: send `override_reason` to go ahead.",
    "needs-accept": "422: a load warning: send `accept_warnings: true` to go ahead.",
    "cancelled": "422: that shift has been cancelled.",
    "started": "422: that shift has started (call the coordinator).",
    "past": "422: that shift is over.",
    "not-live": "422: that place is already cancelled or recorded.",
    "unprocessable": "422: well-formed, but the rules refuse it (the detail says why).",
    "too-many-requests": "429: too many calls with this token; wait for `Retry-After` seconds.",
}


class ApiProblem(HTTPException):
    """A refusal an endpoint raises: status, a stable code, a message and the failing fields."""

    def __init__(self, status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.code = status
        self.problem_code = code
        self.detail = detail
        self.errors = errors or []


def field_problem(field: str, message: str, status: int = 400) -> ApiProblem:
    """Return a 400 (or ``status``) naming the one field that failed."""
    return ApiProblem(status, "invalid-field" if status == 400 else "unprocessable", f"{field}: {message}",
                      [{"field": field, "message": message}])


def problem(status: int, code: str | None = None, detail: str | None = None,
            errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> Response:
    """Return a problem+json response."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    body: dict[str, Any] = {
        "type": TYPE_BASE + (code or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _webargs_errors(error: HTTPException) -> list[dict[str, str]]:
    """Flatten webargs' ``{"json": {"field": ["message"]}}`` into one entry per failing field."""
    messages = (getattr(error, "data", None) or {}).get("messages", {})
    found: list[dict[str, str]] = []

    def walk(value: Any, path: list[str]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, [*path, str(key)])
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            found.append({"field": ".".join(path) or "body", "message": " ".join(value)})
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, [*path, str(index)])
        else:
            found.append({"field": ".".join(path) or "body", "message": str(value)})

    for location_messages in messages.values():  # the location (json, query, headers) is not a field
        walk(location_messages, [])
    return found


def from_http_exception(error: HTTPException) -> Response:
    """Turn any HTTP error raised under /api/ into problem+json (webargs' 422 for bad input becomes 400)."""
    db.session.rollback()
    status = error.code or 500
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="volunteers"'
    if isinstance(error, ApiProblem):
        return problem(status, error.problem_code, error.detail, error.errors, headers)
    if status == 422 and getattr(error, "data", None):  # webargs: the request did not parse
        fields = _webargs_errors(error)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "The request did not parse."
        return problem(400, "invalid-field", detail, fields)
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    if status == 429:
        headers["Retry-After"] = "60"
    description = error.description if isinstance(error.description, str) else None
    return problem(status, None, description, headers=headers)


def from_unexpected(error: Exception) -> Response:
    """Log an unexpected error and answer 500 as problem+json (tests re-raise it instead)."""
    db.session.rollback()
    log.exception("unhandled API error")
    return problem(500, "server-error", "Something went wrong; it has been logged.")
