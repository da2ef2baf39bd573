"""A GET that only reads ends without a commit (nor the commit's hooks); every request that writes still commits
once at the edge — a write through a form, and the GETs that write too: the trail of who viewed a peer-support
record or a member's statement, of exports, and an API token's last use (issue 13)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import event, func, select, text, update

from tests.factories import DEFAULT_PASSWORD, make_shift, put_on
from tests.integration.auth_support import send
from tests.integration.peersupport.conftest import programme
from tests.integration.rota.conftest import rota
from volunteers.api import tokens
from volunteers.core import unit_of_work
from volunteers.core.models import AuditLogEntry
from volunteers.core.timeutil import Month, local_date
from volunteers.extensions import db as _db
from volunteers.people.models import Membership

__all__ = ["programme", "rota"]  # the rota and peer-support tests' organisations, as fixtures here too


@pytest.fixture()
def commits() -> Iterator[list[str]]:
    """The session commits begun (``before_commit``, where wellbeing's re-judging hangs) while the test runs."""
    seen: list[str] = []

    def counting(session: Session) -> None:
        seen.append("commit")

    event.listen(Session, "before_commit", counting)
    yield seen
    event.remove(Session, "before_commit", counting)


def _sign_in(client: FlaskClient, email: str) -> None:
    send(client, "POST", "/logout")
    assert send(client, "POST", "/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code == 302


def _trail(action: str) -> int:
    _db.session.rollback()  # what the request left uncommitted is gone with its session; read what was saved
    return _db.session.scalar(select(func.count(AuditLogEntry.id)).where(AuditLogEntry.action == action)) or 0


def test_pages_that_only_read_commit_nothing(client, rota, clock, commits) -> None:
    day = local_date(clock.now, "Europe/London") + timedelta(days=2)
    put_on(make_shift(rota.org, rota.role, rota.site, day, time(9), time(12)), rota.ann)
    _db.session.commit()
    month = Month.of(day).previous()
    pages = {"ann@example.org": ["/me/shifts", "/me/shifts/open", "/me/hours", "/healthz"],
             "coordinator@tackley.example": ["/rota", "/rota?view=month", "/warnings", "/people",
                                             f"/people/{rota.ann.id}", "/rota/series", f"/reports/monthly/{month}"]}
    for email, urls in pages.items():
        _sign_in(client, email)
        for url in urls:
            commits.clear()
            assert send(client, "GET", url).status_code == 200, url
            assert commits == [], url


def test_a_form_that_writes_commits_once_at_the_edge(client, rota, clock, commits) -> None:
    _sign_in(client, "ann@example.org")
    commits.clear()
    saved = send(client, "POST", "/me/availability", data={"pattern": "Mon 09:00-12:00"})
    assert saved.status_code == 302
    assert commits == ["commit"]
    assert _trail("people.availability_set") == 1


def test_a_read_that_fails_rolls_back_and_commits_nothing(client, rota, commits) -> None:
    _sign_in(client, "ann@example.org")
    commits.clear()
    assert send(client, "GET", "/rota").status_code == 403  # a volunteer: not the coordinator's board
    assert commits == []


@pytest.mark.parametrize("email", ["cora@surestart.example", "ann@example.org"])
def test_viewing_a_peer_support_record_is_saved_in_the_trail(client, programme, clock, commits, email) -> None:
    _sign_in(client, email)
    commits.clear()
    assert send(client, "GET", f"/cases/{programme.amy.id}").status_code == 200
    assert commits == ["commit"]
    assert _trail("peersupport.view_case") == 1


def test_the_supporter_s_list_and_the_due_list_are_saved_in_the_trail(client, programme, clock) -> None:
    _sign_in(client, "ann@example.org")
    assert send(client, "GET", "/me/mothers").status_code == 200
    assert _trail("peersupport.view_my_cases") == 1
    _sign_in(client, "cora@surestart.example")
    assert send(client, "GET", "/cases/due").status_code == 200
    assert _trail("peersupport.view_due") == 1


def test_a_coordinator_reading_a_member_s_statement_is_saved_and_the_member_s_own_is_not_written(
        client, rota, clock, commits) -> None:
    _sign_in(client, "ann@example.org")
    commits.clear()
    assert send(client, "GET", "/me/statement").status_code == 200
    assert commits == [] and _trail("people.statement_view") == 0
    _sign_in(client, "coordinator@tackley.example")
    assert send(client, "GET", f"/me/statement?member={rota.ann.id}").status_code == 200
    assert _trail("people.statement_view") == 1


def test_the_rota_export_is_saved_in_the_trail(client, rota, clock) -> None:
    _sign_in(client, "coordinator@tackley.example")
    day = local_date(clock.now, "Europe/London")
    exported = send(client, "GET", f"/rota/export?from={day}&to={day + timedelta(days=7)}&format=csv")
    assert exported.status_code == 200
    assert _trail("rota.export") == 1


def test_an_api_read_saves_when_its_token_was_last_used(client, rota, clock) -> None:
    token = tokens.create_token(rota.org, rota.ann, "read test", "read", 30, clock.now - timedelta(days=2)).token
    _db.session.commit()
    assert send(client, "GET", "/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    _db.session.rollback()
    used = _db.session.scalar(select(tokens.ApiToken.last_used_at).where(tokens.ApiToken.membership_id == rota.ann.id))
    assert used is not None and used.replace(tzinfo=clock.now.tzinfo) == clock.now


# --- what counts as a write ---------------------------------------------------------------------------------------

def test_nothing_read_is_a_write(db, rota) -> None:
    db.session.rollback()
    db.session.scalars(select(Membership)).all()
    db.session.execute(text("SELECT 1"))
    assert not unit_of_work.wrote(db.session)
    assert not unit_of_work.needs_commit("GET", db.session)
    assert unit_of_work.needs_commit("POST", db.session)


def test_pending_and_flushed_objects_are_writes(db, rota) -> None:
    db.session.rollback()
    rota.ann.notes = "changed"
    assert unit_of_work.wrote(db.session)
    db.session.flush()
    assert not db.session.dirty and unit_of_work.wrote(db.session)
    db.session.commit()
    assert not unit_of_work.wrote(db.session)  # a new transaction starts clean


def test_bulk_and_textual_statements_are_writes_and_a_savepoint_s_rollback_keeps_the_outer_one(db, rota) -> None:
    db.session.rollback()
    db.session.execute(update(Membership).where(Membership.id == rota.ann.id).values(notes="bulk"))
    assert unit_of_work.wrote(db.session)
    db.session.rollback()
    assert not unit_of_work.wrote(db.session)
    db.session.execute(text("UPDATE memberships SET notes = 'text' WHERE id = :id"), {"id": rota.ann.id})
    assert unit_of_work.wrote(db.session)
    with db.session.begin_nested() as savepoint:
        db.session.scalars(select(Membership)).all()
        savepoint.rollback()
    assert unit_of_work.wrote(db.session)
    db.session.rollback()


# --- how a read ends: COMMIT, so psycopg keeps what it prepared --------------------------------------------------

@pytest.mark.postgres
def test_a_read_ends_so_the_connection_keeps_its_prepared_statements(client, rota, clock) -> None:
    """psycopg prepares a statement on its fifth run and forgets them all on ROLLBACK: a read ends with COMMIT."""
    _sign_in(client, "ann@example.org")
    runs: Counter[Any] = Counter()  # requests served on each pooled connection (the pool hands them out in turn)

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        runs[conn.connection.dbapi_connection] += 1

    event.listen(_db.engine, "before_cursor_execute", note)
    try:
        for _ in range(7 * _db.engine.pool.size()):
            assert send(client, "GET", "/me/shifts").status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", note)
    connection, statements = runs.most_common(1)[0]
    assert statements >= 7 * 3  # seven views' statements at least: each statement ran past psycopg's threshold
    assert connection.info.transaction_status.name == "IDLE"  # the request's transaction has ended
    prepared = connection.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]
    connection.commit()
    assert prepared >= 3  # the page's statements


@pytest.mark.postgres
def test_a_transaction_in_error_is_left_to_the_rollback(db, rota) -> None:
    db.session.rollback()
    with pytest.raises(Exception, match="division by zero"):
        db.session.execute(text("SELECT 1 / 0"))
    connection = db.session.connection().connection.dbapi_connection
    unit_of_work.end_reading_transaction(db.session)
    assert connection.info.transaction_status.name == "INERROR"
    db.session.rollback()

