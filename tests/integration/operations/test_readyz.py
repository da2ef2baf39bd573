"""/readyz: 200 only when the database and Redis answer and the migrations are current; 503 naming what is not."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from config import TestingConfig
from volunteers.operations.readiness import migration_heads, redis_check


def _mark_migrated(db, versions: frozenset[str]) -> None:
    db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
    for version in versions:
        db.session.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    db.session.commit()


@pytest.fixture()
def alembic_version(db):
    yield lambda versions: _mark_migrated(db, versions)
    db.session.rollback()
    db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


def test_a_database_never_migrated_is_not_ready(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"]["ok"] is False and "db upgrade" in body["checks"]["migrations"]["detail"]


def test_ready_when_the_database_is_at_the_code_s_heads(client, alembic_version) -> None:
    alembic_version(migration_heads())
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"] == {"database": {"ok": True, "detail": "answers"},
                                             "migrations": {"ok": True, "detail": "current"},
                                             "redis": {"ok": True, "detail": "not used"}}


def test_a_database_behind_the_code_is_not_ready(client, alembic_version) -> None:
    alembic_version(frozenset({"153d5809425b"}))  # the initial schema only
    body = client.get("/readyz").get_json()
    assert body["checks"]["migrations"]["ok"] is False
    assert "153d5809425b" in body["checks"]["migrations"]["detail"]


def test_an_unreachable_redis_makes_the_node_unready(make_app, alembic_version) -> None:
    alembic_version(migration_heads())
    app = make_app(type("DeadRedis", (TestingConfig,), {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"]["ok"] is False


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set (.ci/run sets it)")
def test_a_reachable_redis_answers() -> None:
    assert redis_check(os.environ["TEST_REDIS_URL"]).ok


def test_heads_are_the_revisions_nothing_builds_on_merges_included(tmp_path: Path) -> None:
    revisions = {"a": None, "b": "'a'", "c": "'a'", "d": "('b', 'c')", "e": "'d'", "f": "'d'"}
    for revision, down in revisions.items():
        (tmp_path / f"{revision}_x.py").write_text(
            f'"""x"""\nrevision = "{revision}"\ndown_revision: str | None = {down}\n', encoding="utf-8")
    assert migration_heads(tmp_path) == {"e", "f"}
