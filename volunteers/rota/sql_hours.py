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
    # UTC times stored as text: strftime('%s') reads them as seconds since the epoch
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST(strftime('%s', {end}) AS INTEGER) - CAST(strftime('%s', {start}) AS INTEGER))"
