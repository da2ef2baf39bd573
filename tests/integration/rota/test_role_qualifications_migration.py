"""The migration to several qualifications per role keeps each role's one requirement, both ways.

And SQLite's batch mode, which rebuilds a table by dropping it, keeps the rows that refer to it
(migrations/env.py turns foreign keys off for the run): shifts of a rebuilt role and series stay.
"""
from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestingConfig
from volunteers.app import create_app
from volunteers.extensions import db

BEFORE, AFTER, LATER = "afe36af83781", "5d36f58c44ab", "cf3cf16236ca"


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
            c.execute(text("INSERT INTO sites (id, organisation_id, name) VALUES (4, 7, 'Ward')"))
            c.execute(text("INSERT INTO shift_series (id, organisation_id, role_id, site_id, rrule, starts_on, "
                           "start_time, end_time, needed, exdates, active, created_at) VALUES (6, 7, 5, 4, "
                           "'FREQ=WEEKLY;BYDAY=TU', '2026-01-01', '09:00:00', '12:00:00', 1, '[]', 1, '2026-01-01')"))
            c.execute(text("INSERT INTO shifts (id, organisation_id, series_id, role_id, site_id, starts_at, ends_at, "
                           "local_date, needed, filled, status, created_at, updated_at) VALUES (8, 7, 6, 5, 4, "
                           "'2026-01-06 09:00:00', '2026-01-06 12:00:00', '2026-01-06', 1, 0, 'planned', "
                           "'2026-01-01', '2026-01-01')"))
        upgrade(revision=AFTER)
        with db.engine.connect() as c:
            links = c.execute(text("SELECT organisation_id, role_id, qualification_id FROM role_qualifications"))
            assert links.all() == [(7, 5, 3)]
        upgrade(revision=LATER)
        with db.engine.connect() as c:
            assert c.execute(text("SELECT id, role_id, series_id FROM shifts")).all() == [(8, 5, 6)]
            assert c.execute(text("SELECT on_bank_holidays FROM shift_series")).all() == [("flag",)]
            assert c.execute(text("SELECT kind FROM qualifications")).all() == [("training",)]
        downgrade(revision=BEFORE)
        with db.engine.connect() as c:
            kept = c.execute(text("SELECT id, required_qualification_id FROM roles ORDER BY id"))
            assert kept.all() == [(5, 3), (6, None)]
            assert c.execute(text("SELECT count(*) FROM shifts")).scalar() == 1
        db.engine.dispose()
