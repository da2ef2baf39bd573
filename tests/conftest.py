"""Shared fixtures: one app per session, a clean database per test, login helpers.

Without TEST_DATABASE_URL the database is in-memory SQLite (tables created and
dropped for every test). With it (PostgreSQL in CI) the tables are created
once per session and emptied after every test, so tests may commit — the app
commits at the edge of each request, as in production.
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from config import TestingConfig
from tests.clock import Clock, freeze
from tests.factories import DEFAULT_PASSWORD
from tests.smtp_server import Inbox, smtp_server
from volunteers.app import create_app
from volunteers.extensions import db as _db

USING_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if USING_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://… (.ci/run does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    app = create_app(TestingConfig)
    with app.app_context():
        if USING_POSTGRES:
            _db.drop_all()
            _db.create_all()
    yield app
    with app.app_context():
        if USING_POSTGRES:
            _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def db(app: Flask) -> Iterator:
    """An app context and an empty database for one test."""
    with app.app_context():
        if not USING_POSTGRES:
            _db.create_all()
        try:
            yield _db
        finally:
            _db.session.rollback()
            _db.session.remove()
            if USING_POSTGRES:
                names = ", ".join(t.name for t in _db.metadata.sorted_tables)
                with _db.engine.begin() as conn:
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                _db.drop_all()


@pytest.fixture()
def make_app(db):
    """Build another app (another config) sharing the test database's tables."""
    built: list[Flask] = []

    def make(config_class: type) -> Flask:
        other = create_app(config_class)
        if not USING_POSTGRES:
            with other.app_context():
                _db.create_all()
        built.append(other)
        return other

    yield make
    for other in built:
        with other.app_context():
            _db.engine.dispose()


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The test's one clock (``tests.clock``): every ``utcnow`` the app reads says ``clock.now``."""
    return freeze(monkeypatch, Clock())


@pytest.fixture()
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask, db) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture()
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on loopback, with the app's mail pointed at it; yields its inbox."""
    with smtp_server() as (inbox, port):
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        yield inbox


class AuthActions:
    """Sign in and out through the real login form (flaskr's AuthActions)."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = DEFAULT_PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture()
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
