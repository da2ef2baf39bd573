"""Cursor pagination: ``limit`` rows after the ``cursor``, and a ``next`` link while more remain.

A cursor is the sort key of the last row sent (``[starts_at, id]``),
base64url-encoded: opaque to clients, stable when rows are added before it
(unlike an offset), and carrying nothing secret. Lists are sorted by a key
that ends in the row's id, so the key is unique.
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import request, url_for

from volunteers.api.errors import field_problem

T = TypeVar("T")
Key = tuple[str, int]


def encode_cursor(key: Key) -> str:
    raw = json.dumps([key[0], key[1]], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> Key:
    """Return the key a cursor carries.

    :raises ApiProblem: 400 naming ``cursor`` when it is not one this API wrote.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        text, ident = json.loads(raw.decode("utf-8"))
        if not isinstance(text, str) or not isinstance(ident, int) or isinstance(ident, bool):
            raise ValueError
        if not 0 <= ident < 2**63:  # an id no database holds (and SQLite's INTEGER overflows on)
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise field_problem("cursor", "not a cursor this API gave (use the `next` link as it is)") from None
    return text, ident


def page(rows: Sequence[T], key: Callable[[T], Key], limit: int, cursor: str | None) -> dict[str, Any]:
    """Return ``{"items": [...], "next": url-or-None}`` for rows already sorted by ``key``."""
    after = decode_cursor(cursor) if cursor else None
    remaining = [row for row in rows if after is None or key(row) > after]
    items = remaining[:limit]
    return {"items": items, "next": next_link(key(items[-1]), limit) if len(remaining) > limit else None}


def next_link(last: Key, limit: int) -> str:
    """The URL of the page after the row whose key is ``last``, this request's other arguments kept."""
    args: dict[str, Any] = {**request.args.to_dict(), "limit": limit, "cursor": encode_cursor(last)}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)
