"""The people pages' columns-only reads run as SQL compiled once (``core.compiled_sql``), keyed by the statement.

``Connection.execute`` of a built statement makes its cache key (a walk of the
whole statement, subqueries and all) and its parameters again on every run, and
makes a ``Row`` of each row through the columns' result processors: for /people's
page of members that was more of the request's time than SQLite took to run it.
``core.compiled_sql`` compiles a read once per dialect and gives the driver's
tuples (:class:`DriverRows`), which the kept pages compare whole with those their
text was made of (``people.kept_pages``): equal driver values convert alike, so a
page that is kept converts nothing; :meth:`DriverRows.typed` gives ``execute``'s
values when a page is made. Still one statement per read, seen by the cursor events.

The compiled SQL is kept by the statement itself, not by the function that builds
it: ``site_limits.clear_on_register`` empties the builders' caches when a
site-limit rule is registered, and the statement built after that (with the new
rule) must not run as the SQL compiled before it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Select

from volunteers.core.compiled_sql import DriverRows, driver_rows

__all__ = ["DriverRows", "read"]


def _itself(statement: Select) -> Select:
    return statement


def read(conn: Connection, statement: Select, params: Mapping[str, Any]) -> DriverRows:
    """The rows of ``statement`` (built once) with ``params`` (those it does not take are left out), as the
    driver gave them: one statement."""
    return driver_rows(conn, _itself, (statement,), params)
