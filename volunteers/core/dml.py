"""How many rows a guarded UPDATE or DELETE changed.

Compare-and-set writes (take a place only while ``filled < needed``, claim a
job run only once its lease has run out, send a message only while it is
still pending) learn whether they won from the count of rows they matched.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def rows_matched(result: Result[Any]) -> int:
    """Return how many rows an UPDATE or DELETE run through ``Session.execute`` matched.

    ``Session.execute`` is typed to return a plain ``Result``, yet for INSERT,
    UPDATE and DELETE without RETURNING it hands back the ``CursorResult``
    that carries ``rowcount`` (sqlalchemy/sqlalchemy#9185). The check makes
    that promise a type, and fails loudly if a statement ever returns rows.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected the CursorResult of an UPDATE or DELETE, got {type(result).__name__}")
    return result.rowcount
