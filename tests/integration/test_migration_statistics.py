"""A migration run leaves the planner true statistics on PostgreSQL (``migrations/env.py``; issue 13 point 4).

A migration that moves rows — here the one that copied each role's required
qualification into ``role_qualifications`` — writes a table the planner has
never seen; with autovacuum off (as on this machine's server) nothing would
analyse it. The migrations run in a schema of their own on the test
database, so the tests' own tables are untouched.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from config import TestingConfig
from volunteers.app import create_app
from volunteers.extensions import db

SCHEMA = "migration_statistics"
BEFORE, AFTER = "afe36af83781", "5d36f58c44ab"  # the role_qualifications copy


@pytest.fixture()
def migrating_app() -> Iterator[Flask]:
    admin = create_engine(TestingConfig.SQLALCHEMY_DATABASE_URI)
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        c.execute(text(f"CREATE SCHEMA {SCHEMA}"))

    class SchemaDb(TestingConfig):
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={SCHEMA}"}}

    app = create_app(SchemaDb)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def _statistics_rows(c, table: str) -> float:
    """The rows ``table`` holds by the planner's statistics (-1: never analysed)."""
    return c.execute(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"),
                     {"t": f"{SCHEMA}.{table}"}).scalar_one()


@pytest.mark.postgres
def test_a_migration_that_copies_rows_leaves_them_analysed(migrating_app: Flask) -> None:
    with migrating_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as c:
            c.execute(text("INSERT INTO organisations (id, slug, name, timezone, currency, settings, created_at) "
                           "VALUES (7, 'o', 'O', 'Europe/London', 'GBP', '{}', '2026-01-01')"))
            c.execute(text("INSERT INTO qualifications (id, organisation_id, name) "
                           "SELECT q, 7, 'Course ' || q FROM generate_series(1, 40) AS q"))
            c.execute(text("INSERT INTO roles (id, organisation_id, name, intensity, on_call, priority, "
                           "required_qualification_id) "
                           "SELECT r, 7, 'Role ' || r, 1, false, 1, 1 + r % 40 FROM generate_series(1, 300) AS r"))
        upgrade(revision=AFTER)
        with db.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM role_qualifications")).scalar_one() == 300
            assert _statistics_rows(c, "role_qualifications") == 300
            assert _statistics_rows(c, "roles") == 300
