"""``ETag`` and ``If-None-Match`` for the lists clients poll (my shifts, the board's shifts), and those lists
kept between calls while the organisation's data is unchanged.

The tag is a hash of the JSON body, so it changes exactly when what the
client would see changes, whatever caused it; an unchanged list answers
304 with no body, which saves the screen on the village hall wall its bandwidth.

A polled list is asked for again and again with nothing changed: each call
read its rows, dumped them through their schema, wrote the JSON and hashed it,
three quarters of the call. :func:`kept_json` keeps the body and its tag under
the organisation's change mark (``core.change_marks``: the database gives the
organisation a new mark whenever any of its rows changes), read with the token
(``api.token_check``), and serves them while the mark reads the same and the
clock is inside the stretch the body stands for; each worker keeps its own.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Response, json, request

from volunteers.core.kept_text import KeptTexts, mark_to_keep_by

NOT_MODIFIED = 304
#: a body no instant of the clock changes (the board's shifts of given dates)
FOREVER = datetime.max.replace(tzinfo=UTC)
#: bodies kept per worker (the polled lists of an organisation's screens and people), dropped together past this
KEPT_AT_MOST = 128
#: the longest body kept (characters): a week's list of 100 shifts with names is ~11,000; at most ~8 MB a worker
LONGEST = 64_000
KEPT = KeptTexts("api.kept_json", KEPT_AT_MOST)


def kept_json(key: tuple[Any, ...], org_id: int, now: datetime,
              make: Callable[[], tuple[Any, datetime | None]]) -> Response:
    """What ``make`` returns as JSON with a strong ETag (or 304 when the client's If-None-Match names it), kept
    under ``key`` at the organisation's change mark.

    ``make`` returns the payload and the first instant the clock alone would change it (:data:`FOREVER`: none;
    None: do not keep it). ``key`` holds everything else the payload depends on: the call, its arguments as the
    request gives them (the ``next`` link repeats them), whose it is. A call that has written, before ``make`` or
    in it, keeps nothing.
    """
    mark = mark_to_keep_by(org_id)
    found = KEPT.at_mark(key, mark, now)
    if found is None:
        payload, until = make()
        found = _body_and_tag(payload)
        if len(found[0]) <= LONGEST and mark_to_keep_by(org_id) == mark:
            KEPT.keep_at_mark(key, mark, now, until, found)
    return _answer(*found)


def request_key() -> tuple[str, str]:
    """The call and its arguments, as a kept body's key holds them."""
    return request.endpoint or "", request.query_string.decode("latin-1")


def _body_and_tag(payload: Any) -> tuple[str, str]:
    body = json.dumps(payload)
    return body, hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def _answer(body: str, tag: str) -> Response:
    if tag in request.if_none_match or request.if_none_match.star_tag:
        response = Response(status=NOT_MODIFIED)
    else:
        response = Response(body, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
