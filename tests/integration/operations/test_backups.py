"""Backups restore: taken while a writer is busy, put back into a fresh database, same rows and ledger totals."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, make_url, text

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.integration.operations.backup_support import BATCH_HOURS, LedgerWriter, figures, populate
from volunteers.app import create_app
from volunteers.extensions import db as _db
from volunteers.operations.backups import back_up, restore
from volunteers.operations.jobs import nightly_backup, take_backup


def _backup_during_writes(live: Engine, fresh: Engine, organisation_id: int, file: Path) -> None:
    """The property: whatever the writer was doing, the restored database is one whole state of the live one."""
    tables = [t.name for t in _db.metadata.sorted_tables]
    before, before_total = figures(live, tables)
    writer = LedgerWriter(live, organisation_id)
    writer.start()
    assert writer.started_writing.wait(30)
    try:
        back_up(live, file)
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error
    after, _ = figures(live, tables)

    restore(fresh, file)
    restored, restored_total = figures(fresh, tables)

    written = restored["contributions"] - before["contributions"]
    assert written % 2 == 0, "a transaction was split by the backup"
    assert before["contributions"] <= restored["contributions"] <= after["contributions"]
    assert restored_total == before_total + BATCH_HOURS * (written // 2)
    assert {n: c for n, c in restored.items() if n != "contributions"} == \
        {n: c for n, c in before.items() if n != "contributions"}
    assert restored["organisations"] == 2 and restored["assignments"] == 2


def test_sqlite_backup_during_writes_restores_into_a_fresh_database(tmp_path: Path) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.sqlite'}")
    with app.app_context():
        _db.create_all()
        organisation_id = populate()
        fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
        try:
            _backup_during_writes(_db.engine, fresh, organisation_id, tmp_path / "nightly.sqlite")
        finally:
            fresh.dispose()
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture()
def fresh_postgres(db) -> Iterator[Engine]:
    """An empty PostgreSQL database beside the test one, dropped afterwards."""
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{url.database}_restored"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    fresh = create_engine(url.set(database=name))
    try:
        yield fresh
    finally:
        fresh.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_postgresql_backup_during_writes_restores_into_a_fresh_database(db, fresh_postgres, tmp_path: Path) -> None:
    organisation_id = populate()
    _backup_during_writes(db.engine, fresh_postgres, organisation_id, tmp_path / "nightly.dump")


@pytest.fixture()
def backups_app(app: Flask, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "backups"
    saved = {key: app.config.get(key) for key in ("BACKUP_DIR", "BACKUP_KEEP")}
    app.config.update(BACKUP_DIR=str(directory), BACKUP_KEEP=2)
    yield directory
    app.config.update(saved)


def test_the_nightly_job_keeps_the_newest_copies(db, clock, backups_app: Path) -> None:
    populate()
    for night in range(3):
        take_backup(clock.now + timedelta(days=night))
    kept = sorted(p.name for p in backups_app.iterdir())
    suffix = "dump" if USING_POSTGRES else "sqlite"
    assert kept == [f"volunteers-20261201T120000Z.{suffix}", f"volunteers-20261202T120000Z.{suffix}"]


def test_two_schedulers_take_the_night_s_backup_once(db, clock, backups_app: Path) -> None:
    nightly_backup(clock.now)
    nightly_backup(clock.now + timedelta(minutes=1))  # the second scheduler process, a moment later
    assert len(list(backups_app.iterdir())) == 1


def test_no_backup_dir_no_backups(app: Flask, db, clock) -> None:
    assert app.config.get("BACKUP_DIR") is None
    assert take_backup(clock.now) is None


def test_the_commands_back_up_and_refuse_to_restore_over_data_or_from_a_stranger(runner, db, tmp_path: Path) -> None:
    populate()
    file = tmp_path / "copy.bak"
    made = runner.invoke(args=["backup", str(file)])
    assert made.exit_code == 0, made.output
    assert file.stat().st_size > 0 and "backed up the" in made.output

    over = runner.invoke(args=["restore", str(file)])
    assert over.exit_code != 0 and "already holds organisations" in over.output

    stranger = tmp_path / "notes.txt"
    stranger.write_text("name,email\n", encoding="utf-8")
    refused = runner.invoke(args=["restore", "--replace", str(stranger)])
    assert refused.exit_code != 0 and f"{stranger}: not a backup" in refused.output

    missing = runner.invoke(args=["backup", str(tmp_path / "no-such-dir" / "x.bak")])
    assert missing.exit_code != 0 and "no such directory" in missing.output
