"""A connection the database dropped while it sat in the pool fails no request (``core.connection_check``).

The sign-in read and /healthz's ``SELECT 1`` take their connection unpinged and check it themselves, running
again on a fresh one where it was lost; every other checkout is pinged, as ``pool_pre_ping`` did. Lost here means
what a server restart leaves: on SQLite the driver's connection closed underneath the pool, on PostgreSQL its
server process terminated.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Connection, create_engine, exc, text

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.integration.auth_support import seed, send, sign_in
from volunteers.core import connection_check
from volunteers.extensions import db


@pytest.fixture()
def served(make_app, tmp_path: Path) -> Flask:
    """An app whose pool really keeps connections: a file on SQLite (the tests' in-memory one has one for good)."""
    options = {} if USING_POSTGRES else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pool.sqlite'}"}
    app = make_app(type("Pooled", (TestingConfig,), options))
    seed(app)
    return app


@pytest.fixture()
def pings(served: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """The pings the app's dialect sends (none is a statement the engine's events see)."""
    with served.app_context():
        dialect = db.engine.dialect
    seen: list[object] = []
    ping = dialect.do_ping

    def counting(dbapi_connection: object) -> bool:
        seen.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting)
    yield seen


def lose_pooled_connections(app: Flask) -> int:
    """Lose every connection waiting in ``app``'s pool, as a database restart would; return how many."""
    with app.app_context():
        engine = db.engine
        held = [engine.raw_connection() for _ in range(engine.pool.checkedin())]
        drivers = [connection.dbapi_connection for connection in held]
        for connection in held:
            connection.close()  # back in the pool, alive
        if USING_POSTGRES:
            other = create_engine(engine.url)  # not the pool's own: it must not hand back what it kills
            with other.begin() as conn:
                for driver in drivers:
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": driver.info.backend_pid})
            other.dispose()
        else:
            for driver in drivers:
                driver.close()
    return len(drivers)


def test_a_signed_in_request_on_a_lost_connection_reads_again_on_a_fresh_one(served, pings) -> None:
    client = served.test_client()
    assert sign_in(client).status_code == 302
    assert send(client, "GET", "/me/shifts").status_code == 200
    assert lose_pooled_connections(served) >= 1
    pings.clear()

    page = send(client, "GET", "/me/shifts")

    assert page.status_code == 200  # signed in (else a redirect to the sign-in page), not a 500
    assert pings == []  # the sign-in read checked the connection itself
    assert send(client, "GET", "/me/shifts").status_code == 200


def test_a_signed_in_request_sends_no_ping_and_an_anonymous_one_does(served, pings) -> None:
    client = served.test_client()
    assert sign_in(client).status_code == 302
    send(client, "GET", "/me/shifts")
    pings.clear()

    assert send(client, "GET", "/me/shifts").status_code == 200
    assert pings == []
    assert sign_in(served.test_client()).status_code == 302  # the sign-in form reads the person
    assert len(pings) == 1


def test_an_anonymous_request_on_a_lost_connection_is_served_from_a_pinged_fresh_one(served, pings) -> None:
    client = served.test_client()
    assert sign_in(client).status_code == 302  # its form reads the person: a connection in the pool
    assert lose_pooled_connections(served) >= 1
    pings.clear()

    assert sign_in(served.test_client()).status_code == 302  # reads before it writes: the ping found it lost

    assert len(pings) >= 1


def test_healthz_on_a_lost_connection_answers_ok(served, pings) -> None:
    client = served.test_client()
    assert send(client, "GET", "/healthz").status_code == 200
    assert lose_pooled_connections(served) >= 1
    pings.clear()

    response = send(client, "GET", "/healthz")

    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert pings == []


def test_a_read_that_fails_otherwise_runs_once_and_raises(served) -> None:
    assert send(served.test_client(), "GET", "/healthz").status_code == 200  # a connection waits in the pool
    runs: list[int] = []

    def read(conn: Connection) -> object:
        runs.append(1)
        return conn.execute(text("SELECT * FROM no_such_table")).all()

    with served.app_context():
        with pytest.raises(exc.DBAPIError) as raised:
            connection_check.first_read(db.session(), read)
        db.session.rollback()

    assert not raised.value.connection_invalidated and runs == [1]
