"""The people pages' columns-only reads run as SQL compiled once per statement and dialect (issue 13).

``Connection.execute`` of a built statement makes its cache key (a walk of the
whole statement, subqueries and all) and its parameters again on every run, and
makes a ``Row`` of each row through the columns' result processors: for /people's
page of members that was more of the request's time than SQLite took to run it.
Here the statement is compiled once (:func:`_sql`), the caller's parameters go
through SQLAlchemy's own bind processor of each one's type for the dialect (as
``execute`` converts them), and the rows are the driver's tuples (:class:`Read`).
Still one statement per read, run on the session's connection and seen by the
engine's cursor events; a statement with an expanding list runs through ``execute``.

A :class:`Read`'s rows are compared whole with those a kept page was made of
(``people.kept_pages``): equal driver values give equal values once converted, so
a page that is kept converts nothing. :meth:`Read.converted` gives them as
``execute`` would (as tuples), converted by the result processors SQLAlchemy picks
for the driver's type codes: on SQLite the dates and decimals, which it stores as
text and floats; on PostgreSQL none of these pages' columns.

The pattern of ``selfservice.open_reads.rows_of`` (public APIs only: compile,
binds, construct_params, positiontup, dialect_impl, bind/result_processor).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

#: what converts one column's driver value (a result processor) and where: (position, processor)
Conversions = tuple[tuple[int, Callable[[Any], Any]], ...]


class _Sql(NamedTuple):
    """A statement as the dialect's SQL, compiled once."""

    text: str
    names: tuple[str, ...] | None  #: its parameters' names in order (None: a dialect taking them by name)
    values: dict[str, Any]  #: the statement's own parameters, as the driver takes them
    given: tuple[tuple[str, Callable[[Any], Any] | None], ...]  #: the caller's, with the dialect's conversion
    types: tuple[Any, ...]  #: the columns' types


@lru_cache(maxsize=256)
def _sql(statement: Select, dialect: Dialect) -> _Sql | None:
    """``statement`` as the dialect's SQL (None: it has an expanding list, or a value written into the SQL).

    Keyed by the statement itself (the callers' statements are built once, ``functools.lru_cache``)."""
    compiled = statement.compile(dialect=dialect)
    if "POSTCOMPILE" in compiled.string:
        return None
    mine = {name for name, bind in compiled.binds.items() if bind.required}
    values: dict[str, Any] = {}
    given: list[tuple[str, Callable[[Any], Any] | None]] = []
    for name, value in compiled.construct_params({name: None for name in mine}).items():
        convert = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in mine:
            given.append((name, convert))
        else:
            values[name] = value if convert is None else convert(value)
    names = tuple(compiled.positiontup or ()) if compiled.positional else None
    return _Sql(compiled.string, names, values, tuple(given),
                tuple(column.type for column in statement.selected_columns))


@lru_cache(maxsize=256)
def _conversions(types: tuple[Any, ...], codes: tuple[Any, ...], dialect: Dialect) -> Conversions:
    """The columns' result processors that convert, as SQLAlchemy picks them for the driver's type codes."""
    found = (type_.dialect_impl(dialect).result_processor(dialect, code)
             for type_, code in zip(types, codes, strict=True))
    return tuple((k, convert) for k, convert in enumerate(found) if convert is not None)


class Read(NamedTuple):
    """A statement's rows as the driver gave them, and what converts them to ``execute``'s values."""

    rows: list[tuple[Any, ...]]
    conversions: Conversions

    def converted(self) -> list[tuple[Any, ...]]:
        """The rows as ``execute`` gives them (each a tuple)."""
        if not self.conversions:
            return self.rows
        converted = []
        for raw in self.rows:
            row = list(raw)
            for k, convert in self.conversions:
                row[k] = convert(row[k])
            converted.append(tuple(row))
        return converted


def read(conn: Connection, statement: Select, params: Mapping[str, Any]) -> Read:
    """The rows of ``statement`` with ``params`` (those it does not take are left out): one statement."""
    sql = _sql(statement, conn.dialect)
    if sql is None:
        return Read([tuple(row) for row in conn.execute(statement, params)], ())
    values = dict(sql.values)
    for name, convert in sql.given:
        value = params[name]
        values[name] = value if convert is None else convert(value)
    result = conn.exec_driver_sql(sql.text, values if sql.names is None else tuple(values[n] for n in sql.names))
    try:
        cursor = result.cursor
        rows = cursor.fetchall()
        conversions = _conversions(sql.types, tuple(column[1] for column in cursor.description), conn.dialect)
    finally:
        result.close()
    return Read(rows if isinstance(rows, list) else list(rows), conversions)
