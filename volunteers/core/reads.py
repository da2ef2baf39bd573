"""Read plain columns on the session's connection: the Core path, without the ORM's per-statement work.

``session.execute`` of a statement that selects only columns still runs the
ORM's execution (its compile state, events, result set-up): about 0.1 ms a
statement, a tenth of a short page's own work when it reads four or five of them.
:func:`columns` flushes first when the session would autoflush, so it reads what
``session.execute`` would have read; :func:`reading_connection` is that connection, for a page that runs
several statements on it. Never for statements that load entities.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Executable, Result

from volunteers.extensions import db


def reading_connection() -> Connection:
    """Return the session's connection for columns-only reads, after the autoflush the ORM would do: a page
    drawn after a write in the same request reads what the write left, as ``session.execute`` would."""
    session = db.session()
    if session.autoflush:
        session.flush()  # nothing to flush on a GET: a check of three empty collections
    return session.connection()


def columns(statement: Executable, params: Mapping[str, Any]) -> Result[*tuple[Any, ...]]:
    """Run a columns-only ``SELECT`` on the session's connection (after the autoflush the ORM would do)."""
    return reading_connection().execute(statement, params)
