"""A shift's length in seconds, computed by the database (SQLite and PostgreSQL spell it differently).

Why: the candidate list sums each member's hours this week and month. Read
row by row, a large organisation's month of places (thousands of start and
end times, each turned into a Python ``datetime``) was a quarter of the
shift panel's time; summed in SQL it is one row per member.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801 - used like a SQL function
    """``end - start`` in whole seconds, for two UTC timestamp columns."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"

    def __init__(self, start: Any, end: Any) -> None:  # columns or column expressions
        super().__init__(start, end)


@compiles(seconds_between)
def _postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


@compiles(seconds_between, "sqlite")
def _sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    # UTC times stored as text: unixepoch() (SQLite 3.38+) reads them as whole seconds since the epoch, as
    # strftime('%s') does (the same integer: SQLite computes both from the same julian day number), without
    # writing the number as text and reading it back; summed over a month of places that was a third of the
    # candidate list's hours statement
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    if _has_unixepoch(compiler.dialect):
        return f"(unixepoch({end}) - unixepoch({start}))"
    return f"(CAST(strftime('%s', {end}) AS INTEGER) - CAST(strftime('%s', {start}) AS INTEGER))"


def _has_unixepoch(dialect: Any) -> bool:
    """Tell whether the dialect's SQLite library has ``unixepoch()`` (3.38.0, 2022)."""
    version = getattr(getattr(dialect, "dbapi", None), "sqlite_version_info", None)
    return version is not None and tuple(version) >= (3, 38, 0)
