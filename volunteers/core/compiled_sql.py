"""Run a built-once read as SQL compiled once per dialect, its rows as ``execute`` gives them (issue 13).

``Connection.execute`` of a statement kept between calls still makes its cache
key (a walk of the whole statement, every subquery and union member) and sets
its parameters and result up again on every call: on the busiest pages that was
as much time as the database took to run them. Here a read — a function that
builds a statement from a hashable ``shape``, itself built once — is compiled
once per dialect and run with ``exec_driver_sql``:

* the caller's parameters go through SQLAlchemy's own bind processor of each
  one's type for the dialect (an instant through ``UTCDateTime``, a date as
  SQLite's text), as ``execute`` converts them; the statement's own values
  (literals, the code's status words) are converted once;
* the rows are the driver's tuples; :meth:`DriverRows.typed` converts each
  column by the result processor SQLAlchemy picks for its type given the
  driver's type code (none for most columns: integers and text), so values and
  types are ``execute``'s (tests/integration/core/test_compiled_sql.py compares
  them). A page that compares rows with those its kept text was made of
  compares the driver's values and converts only when it makes the text again;
* still one statement, seen by the engine's ``before_cursor_execute`` (the
  query-count tests count it);
* a statement with an expanding list (``in_`` of a Python list, or of a list
  given per call) is run by ``execute``: its text changes with the list.

The SQL is kept by the read and its shape, so ``read(*shape)`` must build the
same statement for as long as the process lives. A builder whose own cache is
emptied to build something else later (``people.site_limits.clear_on_register``)
passes the built statement as the shape instead (``people.compiled_reads``).

Public APIs only: ``compile``, ``binds``, ``construct_params``, ``positiontup``,
``dialect_impl``, ``bind_processor``/``result_processor``.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.selectable import CompoundSelect, Select

Read = Select | CompoundSelect
Converter = Callable[[Any], Any]
#: the columns that convert, each with its result processor: (position, processor)
Conversions = tuple[tuple[int, Converter], ...]


class CompiledSql(NamedTuple):
    """A read as the dialect's SQL, compiled once (:func:`compiled`)."""

    text: str
    names: tuple[str, ...] | None  #: its parameters' names in order (None: a dialect taking them by name)
    values: dict[str, Any]  #: the statement's own parameters (literals), as the driver takes them
    given: tuple[tuple[str, Converter | None], ...]  #: the caller's, each with the dialect's conversion
    types: tuple[Any, ...]  #: the columns' types


#: (read, shape, dialect) → its SQL: the reads' shapes are few (a handful each), bounded all the same
@lru_cache(maxsize=1024)
def compiled(read: Callable[..., Read], shape: tuple[Any, ...], dialect: Dialect) -> CompiledSql | None:
    """``read(*shape)`` as the dialect's SQL, compiled once (None: it has an expanding list, run by ``execute``)."""
    statement = read(*shape)
    sql = statement.compile(dialect=dialect)
    if "POSTCOMPILE" in sql.string:  # an expanding list, or a value the dialect writes into the SQL
        return None
    mine = {name for name, bind in sql.binds.items() if bind.required}
    values: dict[str, Any] = {}
    given: list[tuple[str, Converter | None]] = []
    for name, value in sql.construct_params({name: None for name in mine}).items():
        convert = sql.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in mine:
            given.append((name, convert))
        else:
            values[name] = value if convert is None else convert(value)
    names = tuple(sql.positiontup or ()) if sql.positional else None
    return CompiledSql(sql.string, names, values, tuple(given),
                       tuple(column.type for column in statement.selected_columns))


@lru_cache(maxsize=256)
def conversions(types: tuple[Any, ...], codes: tuple[Any, ...], dialect: Dialect) -> Conversions:
    """The columns' result processors as SQLAlchemy picks them (the dialect's type given the driver's type
    code), those that convert anything."""
    found = (type_.dialect_impl(dialect).result_processor(dialect, code)
             for type_, code in zip(types, codes, strict=True))
    return tuple((k, convert) for k, convert in enumerate(found) if convert is not None)


class DriverRows(NamedTuple):
    """A read's rows as the driver gave them, and what converts them to ``execute``'s values."""

    rows: list[tuple[Any, ...]]
    conversions: Conversions

    def typed(self) -> list[tuple[Any, ...]]:
        """The rows as ``execute`` gives them (as tuples)."""
        if not self.conversions:
            return self.rows
        converted = []
        for raw in self.rows:
            row = list(raw)
            for k, convert in self.conversions:
                row[k] = convert(row[k])
            converted.append(tuple(row))
        return converted


def driver_rows(conn: Connection, read: Callable[..., Read], shape: tuple[Any, ...],
                params: Mapping[str, Any]) -> DriverRows:
    """The rows of ``read(*shape)`` run with ``params`` (names it does not take are left out), as the driver
    gives them, with their conversions. One statement, seen by the engine's events. Where ``execute`` runs
    the statement (an expanding list), its values, with nothing left to convert."""
    sql = compiled(read, shape, conn.dialect)
    if sql is None:
        return DriverRows([tuple(row) for row in conn.execute(read(*shape), params)], ())
    values = dict(sql.values)
    for name, convert in sql.given:
        value = params[name]
        values[name] = value if convert is None else convert(value)
    result = conn.exec_driver_sql(sql.text, values if sql.names is None else tuple(values[n] for n in sql.names))
    try:
        cursor = result.cursor
        found: Any = cursor.fetchall()  # the driver's tuples
        key = (sql.text, conn.dialect)
        codes = _CODES.get(key)
        if codes is None:  # the columns' type codes: the statement's, the same on every run of its text
            if len(_CODES) >= CODES_AT_MOST:
                _CODES.clear()
            codes = _CODES[key] = tuple(column[1] for column in cursor.description)
        converting = conversions(sql.types, codes, conn.dialect)
    finally:
        result.close()
    return DriverRows(found, converting)


#: the driver's type code of each column of a compiled read, by its text and dialect (one per engine): read from
#: the cursor's description on its first run only, as psycopg makes the description's column objects afresh on
#: every read (~0.03 ms for a twenty-column page) for codes the statement fixes; emptied when full
_CODES: dict[tuple[str, Dialect], tuple[Any, ...]] = {}
CODES_AT_MOST = 1024


def rows_of(conn: Connection, read: Callable[..., Read], shape: tuple[Any, ...],
            params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``read(*shape)`` run with ``params``, as tuples of the values ``execute`` gives."""
    return driver_rows(conn, read, shape, params).typed()
