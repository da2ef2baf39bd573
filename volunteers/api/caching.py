"""``ETag`` and ``If-None-Match`` for the lists clients poll (my shifts, the board's shifts).

The tag is a hash of the JSON body, so it changes exactly when what the
client would see changes, whatever caused it; an unchanged list answers
304 with no body, which saves the screen on the village hall wall its bandwidth.
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, json, request

NOT_MODIFIED = 304


def json_with_etag(payload: Any) -> Response:
    """Return ``payload`` as JSON with a strong ETag, or 304 when the client's If-None-Match names it."""
    body = json.dumps(payload)
    tag = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    response = Response(body, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    if tag in request.if_none_match or request.if_none_match.star_tag:
        response = Response(status=NOT_MODIFIED)
        response.set_etag(tag)
        response.headers["Cache-Control"] = "private, no-cache"
    return response
