"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

from pathlib import Path

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
