"""Shared fixtures: one app per session, a clean database per test, login helpers.

Without TEST_DATABASE_URL the database is in-memory SQLite (tables created and
dropped for every test). With it (PostgreSQL in CI) the tables are created
once per session and emptied after every test, so tests may commit — the app
commits at the edge of each request, as in production.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text

from tests.xdist_database import use_worker_database

use_worker_database()  # before config.py reads TEST_DATABASE_URL: each xdist worker its own PostgreSQL database

from config import TestingConfig
from tests.clock import Clock, freeze
from tests.factories import DEFAULT_PASSWORD
from tests.smtp_server import Inbox, smtp_server
from volunteers.app import create_app
from volunteers.extensions import db as _db
from volunteers.wellbeing import org_figures_cache

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


#: the stores the cache tests run against: the in-process one, and Redis when .ci/run names one
CACHE_STORES = ["memory"] + (["redis"] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.fixture(params=CACHE_STORES)
def cached(request: pytest.FixtureRequest, app: Flask) -> Iterator[Any]:
    """The app with its cache store (``CACHE_URL``) on for this test; the tests' configuration leaves it off.

    Used by the /warnings figures cache and the reports' draft cache, which share the store. Redis keys go
    under a prefix of this test's own and are deleted after it.
    """
    prefix = f"perf13-test-{uuid.uuid4().hex}:"
    saved = {key: app.config.get(key) for key in ("CACHE_URL", "CACHE_KEY_PREFIX")}  # the app outlives the test
    app.config["CACHE_URL"] = "memory://" if request.param == "memory" else os.environ["TEST_REDIS_URL"]
    app.config["CACHE_KEY_PREFIX"] = prefix
    app.extensions.pop("org_figures_cache", None)
    with app.app_context():
        store = org_figures_cache.shared_store()
    assert store is not None
    yield store
    if isinstance(store, org_figures_cache.RedisStore):
        keys = list(store.client.scan_iter(f"{prefix}*"))
        if keys:
            store.client.delete(*keys)
    app.config.update(saved)
    app.extensions.pop("org_figures_cache", None)
