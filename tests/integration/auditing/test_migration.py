"""The migration gives an upgraded database the same append-only audit trail as create_all."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from config import TestingConfig
from volunteers.app import create_app
from volunteers.extensions import db


def test_an_upgraded_database_refuses_to_edit_the_trail(tmp_path: Path) -> None:
    class FileDb(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'fresh.sqlite'}"

    app = create_app(FileDb)
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            triggers = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            indexes = set(connection.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                                   "AND tbl_name = 'audit_log_entries'")))
            connection.execute(text("INSERT INTO organisations (id, slug, name, timezone, currency, settings, "
                                    "created_at) VALUES (1, 'tackley', 'Tackley', 'Europe/London', 'GBP', '{}', "
                                    "'2026-11-30 12:00:00')"))
            connection.execute(text("INSERT INTO audit_log_entries (organisation_id, action, target_type, details, "
                                    "created_at) VALUES (1, 'people.import', 'organisation', '{}', "
                                    "'2026-11-30 12:00:00')"))
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text("UPDATE audit_log_entries SET action = 'people.create'"))
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_log_entries"))
        db.engine.dispose()
    assert {"audit_log_entries_no_delete", "audit_log_entries_no_update"} <= triggers
    assert {"ix_audit_log_entries_org_target", "ix_audit_log_entries_actor"} <= indexes
