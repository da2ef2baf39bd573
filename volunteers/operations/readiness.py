"""Readiness: may this node take traffic? Database and Redis answer, migrations are current.

Liveness (``/healthz``, core) asks only "is the process alive and the database
there", and HAProxy polls it. Readiness asks more, for a deploy script or an
orchestrator deciding whether to send traffic to a new node: a node whose code
expects a column the database does not have yet (migrations not run) must not
serve, nor one that cannot reach the Redis holding the sign-in limits.

The migration heads are read from the revision files with ``ast`` rather than
Alembic, which a web worker never loads (11 MB; see test_heavy_imports).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import text

from volunteers.extensions import db

VERSIONS_DIR = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@dataclass(frozen=True)
class Check:
    """One dependency's state: ``ok`` decides readiness; ``detail`` says why not."""

    ok: bool
    detail: str


def _assigned(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if value is not None and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(value)
    return None


@cache
def migration_heads(versions_dir: Path = VERSIONS_DIR) -> frozenset[str]:
    """Return the revisions no other revision builds on (what ``db upgrade`` ends at)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions_dir.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        revision = _assigned(tree, "revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = _assigned(tree, "down_revision")
        parents.update([down] if isinstance(down, str) else list(down) if isinstance(down, tuple | list) else [])
    return frozenset(revisions - parents)


def database_check() -> Check:
    try:
        db.session.execute(text("SELECT 1"))
        return Check(True, "answers")
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return Check(False, type(error).__name__)


def migrations_check(heads: frozenset[str]) -> Check:
    """Compare the database's alembic_version with the heads of the code's migrations."""
    try:
        applied = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:  # noqa: BLE001 - no alembic_version table: never migrated
        db.session.rollback()
        return Check(False, "never migrated (run flask --app wsgi db upgrade)")
    if applied == heads:
        return Check(True, "current")
    return Check(False, f"database at {', '.join(sorted(applied)) or 'nothing'}; code expects "
                        f"{', '.join(sorted(heads))} (run flask --app wsgi db upgrade)")


def redis_check(url: str) -> Check:
    """Ping the Redis the app uses (the sign-in limits); memory storage needs none."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return Check(True, "not used")
    import redis  # only nodes configured for Redis load the client

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        return Check(True, "answers")
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return Check(False, type(error).__name__)


def readiness(redis_url: str) -> dict[str, Check]:
    """Every check, by name."""
    return {"database": database_check(), "migrations": migrations_check(migration_heads()),
            "redis": redis_check(redis_url)}
