"""A pooled connection is checked before it is used, unless the first statement run on it checks it itself.

A connection the database dropped while it sat in the pool (a restart, an idle
timeout, a fail-over) must not fail the request that takes it next. SQLAlchemy's
``pool_pre_ping`` sends ``SELECT 1`` whenever a connection leaves the pool for that
("Disconnect Handling - Pessimistic" in its pooling docs): on PostgreSQL a round
trip to the server, and a BEGIN before it, on every request, for a check that
nearly always passes. But every signed-in request's first statement is the sign-in
read (``people.sessions``), and /healthz's its own ``SELECT 1``: either meets a
dropped connection just as well as the ping would. So:

* :func:`watch` gives an engine the ping in place of ``pool_pre_ping``: SQLAlchemy's
  documented custom pessimistic ping, a ``checkout`` listener that raises
  ``InvalidatePoolError`` for a lost connection, which makes the pool drop every
  connection as old as it and connect afresh (what ``pool_pre_ping`` does), and
  that skips a connection just made, as ``pool_pre_ping`` does;
* :func:`first_read` runs a read that is its unit of work's first statement on a
  connection checked out without the ping. If the connection is lost, SQLAlchemy
  says so (``DBAPIError.connection_invalidated``: its disconnect detection, the
  docs' "optimistic" handling, has invalidated the connection and the pool), and
  the read runs again, once, after a rollback, on a fresh connection: the retry
  the docs' legacy pessimistic recipe makes after its own ``SELECT 1``. Nothing ran
  on the lost connection before the read, so running it again changes nothing.

A read whose session already holds its connection runs as it is (that connection
was checked when it was taken), and a failure that is no lost connection is raised
as before.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, exc
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

T = TypeVar("T")

#: ``ConnectionPoolEntry.info`` key: the entry's DBAPI connection was just made and not yet checked out
FRESH = "volunteers.connection_check.fresh"


class _Checkout:
    """What the checkout inside :func:`first_read` did: left a connection in use unchecked, or not."""

    __slots__ = ("unchecked",)

    def __init__(self) -> None:
        self.unchecked = False


#: set only while :func:`first_read` takes its connection: the checkout it makes skips the ping
_first_statement: ContextVar[_Checkout | None] = ContextVar("volunteers.connection_check", default=None)
#: the engines :func:`watch` already gave the ping (an engine is watched once; dropped with it)
_watched: weakref.WeakSet[Engine] = weakref.WeakSet()


def watch(engine: Engine) -> None:
    """Check each connection ``engine``'s pool hands out (but a new one, or one :func:`first_read` takes)."""
    if engine in _watched:
        return
    _watched.add(engine)
    dialect = engine.dialect

    def made(_dbapi_connection: Any, entry: ConnectionPoolEntry) -> None:
        entry.info[FRESH] = True

    def check(dbapi_connection: Any, entry: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        if entry.info.pop(FRESH, False):
            return  # just connected: nothing to check (pool_pre_ping skips it too)
        first = _first_statement.get()
        if first is not None:
            first.unchecked = True  # the caller's read checks it
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError("the pooled connection was lost") from error
            raise

    event.listen(engine, "connect", made)
    event.listen(engine, "checkout", check)


def first_read(session: Session, read: Callable[[Connection], T]) -> T:
    """Run ``read`` on the session's connection, its first statement checking that connection (module docstring).

    ``read`` must only read: where the connection was lost it runs a second time.
    """
    first = _Checkout()
    token = _first_statement.set(first)
    try:
        connection = session.connection()
    finally:
        _first_statement.reset(token)
    if not first.unchecked:  # held before, or just made: checked already
        return read(connection)
    try:
        return read(connection)
    except exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
        session.rollback()  # ends the transaction of the lost connection; the pool has dropped it and its elders
        return read(session.connection())
