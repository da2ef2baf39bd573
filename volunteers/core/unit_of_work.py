"""Whether a request's unit of work wrote anything, so a read-only GET ends without a commit.

Every request used to commit at the edge (``volunteers.app``), and a commit is
not free even when nothing changed: the session runs its ``before_commit``
hooks (wellbeing's re-judging flushes and checks its notes), the ``after_commit``
ones (the /warnings figures' cache) and the database's COMMIT. Most requests
are GETs that only read, so the edge asks :func:`wrote`: a read (``GET``,
``HEAD``, ``OPTIONS``) that wrote nothing rolls back instead, which ends the
transaction and expires the loaded objects as the commit did, without its
hooks; anything else still commits once at the edge, as before.

A unit of work has written when, before the edge:

* objects are waiting to be flushed (``session.new``, ``dirty``, ``deleted``);
* a flush ran (``after_flush`` fires only when there was something to flush:
  an audit entry added, then autoflushed by the next query);
* an INSERT, UPDATE or DELETE ran through the session (``session.execute(update(...))``
  skips the flush), or a textual statement that is not a plain SELECT did.

Writes through a bare ``session.connection().execute(...)`` are not seen:
no request writes that way (reads such as ``contributions.rates`` do). Since
a read's database transaction now ends with COMMIT on PostgreSQL (below),
such a write would be kept, not dropped: write through the session.

A unit of work that ends without a commit ends by :func:`end_uncommitted`:
a rollback, or where the request's app context (and so its session, which
Flask-SQLAlchemy removes with it) ends with the request, a close: the same
ROLLBACK on the connection, without first expiring every loaded object (the
signed-in person, their memberships and organisations) only to throw them
away a moment later. Before either, :func:`end_reading_transaction` ends the
database's transaction with COMMIT where the driver would otherwise forget
its prepared statements (psycopg), which leaves the ROLLBACK nothing to do.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from flask.globals import _cv_request  # the request context: whether it brought its own app context
from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction, scoped_session
from sqlalchemy.sql.elements import TextClause

#: session.info key: this transaction wrote (set by the listeners below, dropped when it ends)
WROTE = "volunteers.unit_of_work.wrote"
#: methods that change nothing by their meaning: they commit only when they did write
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: how a textual statement that only reads begins
_READING = ("select", "with", "explain", "pragma", "show")


def wrote(session: Session | scoped_session[Any]) -> bool:
    """Tell whether the session's transaction has written, or has changes waiting to be flushed."""
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def needs_commit(method: str, session: Session | scoped_session[Any]) -> bool:
    """Tell whether a request with this method must commit its unit of work at the edge."""
    return method not in READ_METHODS or wrote(session)


#: drivers that keep no prepared statements to lose at a rollback: :func:`end_reading_transaction` has nothing to do
STATELESS_DRIVERS = frozenset({"pysqlite"})


def reads_end_by_commit(engines: Iterable[Engine]) -> bool:
    """Whether a read's transaction on these engines must end by :func:`end_reading_transaction` (any but SQLite's:
    asked once per app, as finding the session's connection to ask its driver was ~0.01 ms a request)."""
    return any(engine.dialect.driver not in STATELESS_DRIVERS for engine in engines)


def end_uncommitted(session: Session | scoped_session[Any], reading_commits: bool = True) -> None:
    """End the unit of work without committing: close the session if the request's context ends, else roll back.

    First the database's transaction, which read and wrote nothing, ends by
    :func:`end_reading_transaction`, so the driver keeps its prepared statements
    (unless ``reading_commits`` is False: the caller's engines' drivers keep none,
    :func:`reads_end_by_commit`).

    A request normally pushes its own app context, whose teardown removes the
    session: there rolling back (which expires every object in the session)
    and then closing was work for nothing, so the session is closed at once;
    its objects stay readable, detached, for the after-request hooks that
    follow. Where the request shares an app context that lives on (a test's
    ``with app.app_context()`` around the client), its objects stay in the
    session after the request, so they are rolled back (expired) as before.
    """
    if reading_commits:
        end_reading_transaction(session)
    if _request_brought_its_app_context():
        session.close()
    else:
        session.rollback()


def end_reading_transaction(session: Session | scoped_session[Any]) -> None:
    """End a transaction that only read with COMMIT rather than ROLLBACK, so psycopg keeps its prepared statements.

    psycopg prepares a statement on the server once it has run five times on
    a connection, and from then on PostgreSQL skips parsing and, once it has
    a generic plan, planning it: on the demo, planning took most of a page's
    database time (/me/shifts' places read: 6.3 ms to plan, 0.5 to run). But
    ``Connection.rollback()`` forgets every prepared statement (after a
    rollback a statement prepared inside the transaction may be gone), and
    every read-only request ended with one, so nothing was ever prepared.
    For a transaction that wrote nothing, COMMIT and ROLLBACK leave the
    database the same; after the COMMIT the connection is idle, and the
    session's own rollback that follows is a no-op in psycopg, which then
    keeps its statements. The caller has checked that nothing was written
    (:func:`wrote`); a transaction in error, or a COMMIT that fails, is left
    to the rollback.

    Other drivers (SQLite's) are left alone: they keep no such state.
    """
    unit = session() if isinstance(session, scoped_session) else session
    if not unit.in_transaction():
        return
    dbapi_connection = unit.connection().connection.dbapi_connection
    info = getattr(dbapi_connection, "info", None)  # psycopg's ConnectionInfo; sqlite3 has none
    status = getattr(info, "transaction_status", None)
    if status is not None and status.name == "INTRANS":  # in a transaction, idle, not in error
        # a connection lost since the last read: the session's rollback that follows meets the same error,
        # and SQLAlchemy invalidates the connection, as it did before
        with suppress(Exception):
            dbapi_connection.commit()  # type: ignore[union-attr]


def _request_brought_its_app_context() -> bool:
    context = _cv_request.get(None)
    # Flask's RequestContext keeps (its token, the app context it pushed or None) for each push
    tokens: list[Any] | None = getattr(context, "_cv_tokens", None)
    return bool(tokens and tokens[-1][1] is not None)


def _flushed(session: Session, _context: UOWTransaction) -> None:
    session.info[WROTE] = True


def _executed(state: ORMExecuteState) -> None:
    if state.is_select:
        return
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete or (
            isinstance(statement, TextClause) and not statement.text.lstrip().lower().startswith(_READING)):
        state.session.info[WROTE] = True


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction committed or rolled back: a fresh start
        session.info.pop(WROTE, None)


def watch(session_class: type[Session]) -> None:
    """Note the writes of every session of this class (once, by ``create_app``; idempotent)."""
    if not event.contains(session_class, "after_flush", _flushed):
        event.listen(session_class, "after_flush", _flushed)
        event.listen(session_class, "do_orm_execute", _executed)
        event.listen(session_class, "after_transaction_end", _ended)
