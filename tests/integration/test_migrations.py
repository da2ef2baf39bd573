"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from config import TestingConfig
from volunteers.app import create_app
from volunteers.core import change_marks
from volunteers.extensions import db


def test_migrations_upgrade_a_fresh_database_to_the_models(tmp_path: Path) -> None:
    class FileDb(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'fresh.sqlite'}"

    app = create_app(FileDb)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            found = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in found}
        db.engine.dispose()
    assert differences == []
    assert {"contributions_no_delete", "contributions_no_update"} <= triggers  # the ledger stays append-only
    # every watched table's change-mark triggers: a table added later needs them in its own migration
    assert change_marks.trigger_names("sqlite", change_marks.watched(db.metadata)) <= triggers


#: a schema's own triggers and functions as PostgreSQL's catalogue gives them (kind, name, definition without the
#: schema's name)
_PG_OBJECTS = """
SELECT 'trigger', t.tgname, replace(pg_get_triggerdef(t.oid), n.nspname || '.', '')
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal AND n.nspname = %(schema)s
UNION ALL
SELECT 'function', p.proname, pg_get_function_arguments(p.oid) || ' ' || p.prosrc
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(schema)s
"""


@pytest.mark.postgres
def test_migrations_make_postgresqls_triggers_and_functions_as_the_models_do(db) -> None:
    """Migrated in a schema of its own, the test database has every watched table's change-mark triggers, and the
    same triggers and trigger functions as create_all made for the tests (core.change_marks.attach)."""
    schema = "migrated"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")

    class Migrated(TestingConfig):
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={schema}"}}

    try:
        app = create_app(Migrated)
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                migrated = set(map(tuple, conn.exec_driver_sql(_PG_OBJECTS, {"schema": schema})))
            db.engine.dispose()
        with db.engine.connect() as conn:
            made = set(map(tuple, conn.exec_driver_sql(_PG_OBJECTS, {"schema": "public"})))
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    triggers = {row for row in migrated if row[0] == "trigger"}
    # every watched table's change-mark triggers: a table added later needs them in its own migration
    assert change_marks.trigger_names("postgresql", change_marks.watched(db.metadata)) <= {row[1] for row in triggers}
    assert triggers == {row for row in made if row[0] == "trigger"}
    assert migrated - triggers <= made  # the functions (create_all leaves those of older code it replaced be)
