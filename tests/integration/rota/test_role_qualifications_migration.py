"""The migration to several qualifications per role keeps each role's one requirement, both ways."""
from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestingConfig
from volunteers.app import create_app
from volunteers.extensions import db

BEFORE, AFTER = "afe36af83781", "5d36f58c44ab"


def test_a_roles_one_required_qualification_becomes_its_link_and_comes_back(tmp_path: Path) -> None:
    class FileDb(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'm.sqlite'}"

    app = create_app(FileDb)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as c:
            c.execute(text("INSERT INTO organisations (id, slug, name, timezone, currency, settings, created_at) "
                           "VALUES (7, 'o', 'O', 'Europe/London', 'GBP', '{}', '2026-01-01')"))
            c.execute(text("INSERT INTO qualifications (id, organisation_id, name) VALUES (3, 7, 'DBS check')"))
            c.execute(text("INSERT INTO roles (id, organisation_id, name, intensity, on_call, priority, "
                           "required_qualification_id) VALUES (5, 7, 'Ward visit', 1.5, 0, 1, 3), "
                           "(6, 7, 'Shop', 1, 0, 1, NULL)"))
        upgrade(revision=AFTER)
        with db.engine.connect() as c:
            links = c.execute(text("SELECT organisation_id, role_id, qualification_id FROM role_qualifications"))
            assert links.all() == [(7, 5, 3)]
        downgrade(revision=BEFORE)
        with db.engine.connect() as c:
            kept = c.execute(text("SELECT id, required_qualification_id FROM roles ORDER BY id"))
            assert kept.all() == [(5, 3), (6, None)]
        db.engine.dispose()
