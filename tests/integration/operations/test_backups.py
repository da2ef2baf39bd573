"""Backups restore: taken while a writer is busy, put back into a fresh database, same rows and ledger totals."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, make_url, select, text

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.integration.operations.backup_support import BATCH_HOURS, LedgerWriter, figures, populate
from volunteers.app import create_app
from volunteers.core.models import JobRun
from volunteers.extensions import db as _db
from volunteers.operations import jobs
from volunteers.operations.backups import BackupError, back_up, restore
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


def _failing_backups(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[datetime]:
    """The first ``failures`` backups fail as a full disk would; returns when each try was made."""
    tried: list[datetime] = []
    real = jobs.back_up

    def back_up_or_fail(engine: Engine, destination: Path):
        tried.append(datetime.strptime(destination.name.split("-")[1].split(".")[0], "%Y%m%dT%H%M%SZ"))
        if len(tried) <= failures:
            raise BackupError("No space left on device")
        return real(engine, destination)

    monkeypatch.setattr(jobs, "back_up", back_up_or_fail)
    return tried


def _night(calls_from: datetime, until: datetime) -> list[datetime]:
    """Call the job as the scheduler does, every ten minutes; return the times a call raised."""
    raised = []
    at = calls_from
    while at <= until:
        try:
            nightly_backup(at)
        except BackupError:
            raised.append(at)
        at += timedelta(minutes=10)
    return raised


def test_a_failed_nightly_backup_is_tried_again_after_a_back_off(db, backups_app: Path, monkeypatch) -> None:
    """Before, a failed 01:30 backup waited for the next night: the job ran once a night."""
    tried = _failing_backups(monkeypatch, failures=2)
    one = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    raised = _night(one, one + timedelta(hours=3))
    assert raised == [one, one + timedelta(minutes=10)]
    # 01:00 failed, 01:10 (10 minutes on) failed, 01:30 (20 minutes on) succeeded; nothing after
    assert [t.strftime("%H:%M") for t in tried] == ["01:00", "01:10", "01:30"]
    assert len(list(backups_app.iterdir())) == 1
    runs = db.session.execute(select(JobRun.key, JobRun.status).where(JobRun.job == jobs.JOB_ID)
                              .order_by(JobRun.id)).all()
    assert [tuple(r) for r in runs] == [("2026-12-05", "failed"), ("2026-12-05#2", "failed"),
                                        ("2026-12-05#3", "done")]


def test_after_five_failed_tries_the_night_gives_up_and_every_failure_is_recorded(db, backups_app: Path,
                                                                                  monkeypatch) -> None:
    tried = _failing_backups(monkeypatch, failures=99)
    one = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    _night(one, one + timedelta(hours=5))
    assert [t.strftime("%H:%M") for t in tried] == ["01:00", "01:10", "01:30", "02:10", "03:30"]
    failed = db.session.scalars(select(JobRun.error).where(JobRun.job == jobs.JOB_ID, JobRun.status == "failed"))
    assert [e for e in failed] == ["BackupError: No space left on device"] * jobs.MAX_TRIES
    assert list(backups_app.iterdir()) == []


def test_the_scheduler_calls_the_backup_often_enough_in_the_night_to_retry() -> None:
    from apscheduler.triggers.cron import CronTrigger

    job = next(j for j in jobs.JOBS if j.id == jobs.JOB_ID)
    trigger = CronTrigger(timezone="UTC", **job.cron)
    fires, at = [], datetime(2026, 12, 4, 23, 59, tzinfo=UTC)
    while (at := trigger.get_next_fire_time(None, at + timedelta(seconds=1))) < datetime(2026, 12, 5, 6, tzinfo=UTC):
        fires.append(at.strftime("%H:%M"))
    assert {"01:00", "01:10", "01:30", "02:10", "03:30"} <= set(fires)


def test_a_restore_succeeds_when_the_caches_do_not_answer(runner, db, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Forgetting the kept figures is best-effort: the restored database must not be reported as a failure."""
    from volunteers.operations import cli
    from volunteers.reports import draft_cache
    from volunteers.wellbeing import org_figures_cache

    forgotten: list[str] = []

    def unreachable() -> None:
        forgotten.append("drafts")
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1")

    file = tmp_path / "copy.bak"
    file.write_bytes(b"a backup")
    monkeypatch.setattr(cli, "check_restorable", lambda engine, path: None)
    monkeypatch.setattr(cli, "restore", lambda engine, path: "SQLite")
    monkeypatch.setattr(draft_cache, "forget_all", unreachable)
    monkeypatch.setattr(org_figures_cache, "forget_all", lambda: forgotten.append("figures"))
    result = runner.invoke(args=["restore", "--replace", str(file)])
    assert result.exit_code == 0, result.output
    assert "restored the SQLite database" in result.output
    assert forgotten == ["drafts", "figures"]
