"""Read plain columns on the session's connection: the Core path, without the ORM's per-statement work.

``session.execute`` of a statement that selects only columns still runs the
ORM's execution (its compile state, events, result set-up): about 0.1 ms a
statement, a tenth of a short page's own work when it reads four or five of them.
:func:`columns` flushes first when the session would autoflush, so it reads what
``session.execute`` would have read. Never for statements that load entities.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable, Result

from volunteers.extensions import db


def columns(statement: Executable, params: Mapping[str, Any]) -> Result[*tuple[Any, ...]]:
    """Run a columns-only ``SELECT`` on the session's connection (after the autoflush the ORM would do)."""
    session = db.session()
    if session.autoflush:
        session.flush()  # nothing to flush on a GET: a check of three empty collections
    return session.connection().execute(statement, params)
