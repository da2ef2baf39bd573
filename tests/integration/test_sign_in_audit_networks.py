"""Sign-in entries in the (append-only, kept-for-good) audit trail hold the client's network, not its address.

Before, ``auth.sign_in`` and ``auth.sign_in_failed`` entries kept the full
IP address for as long as the organisation exists. The migration rewrites
the entries written before, and leaves the trail append-only.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from config import TestingConfig
from tests.integration.auth_support import WRONG, seed, sign_in
from volunteers.app import create_app
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db


def test_sign_ins_and_failures_are_audited_with_the_network(app, db, client) -> None:
    seed(app)
    assert sign_in(client, password=WRONG, ip="198.51.100.77").status_code == 401
    assert sign_in(client, ip="2001:db8:5:6::1").status_code == 302
    found = {e.action: e.details for e in db.session.scalars(select(AuditLogEntry))}
    assert found["auth.sign_in_failed"] == {"ip": "198.51.100.0/24"}
    assert found["auth.sign_in"] == {"method": "password", "ip": "2001:db8:5::/48"}


def test_the_migration_rewrites_older_entries_and_the_trail_stays_append_only(tmp_path: Path) -> None:
    class FileDb(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    app = create_app(FileDb)
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="ddab4e040a92")
        with _db.engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO organisations (id, slug, name, timezone, currency, settings, "
                                       "created_at) VALUES (1, 't', 'T', 'Europe/London', 'GBP', '{}', :at)"),
                               {"at": at})
            for n, (action, details) in enumerate((
                    ("auth.sign_in", '{"method": "password", "ip": "192.0.2.17"}'),
                    ("auth.sign_in_failed", '{"ip": "2001:db8:1:2::5"}'),
                    ("rota.assign", '{"ip": "not touched"}')), start=1):
                connection.execute(sa.text(
                    "INSERT INTO audit_log_entries (id, organisation_id, action, target_type, details, created_at) "
                    "VALUES (:id, 1, :action, 'person', :details, :at)"),
                    {"id": n, "action": action, "details": details, "at": at})
        upgrade(revision="e1f3a5c7b9d2")
        with _db.engine.begin() as connection:
            rows = connection.execute(sa.text("SELECT details FROM audit_log_entries ORDER BY id")).scalars().all()
        assert [r if isinstance(r, dict) else json.loads(r) for r in rows] == [
            {"method": "password", "ip": "192.0.2.0/24"}, {"ip": "2001:db8:1::/48"}, {"ip": "not touched"}]
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), _db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE audit_log_entries SET details = '{}' WHERE id = 1"))
        _db.engine.dispose()
