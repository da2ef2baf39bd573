"""The nightly statistics job: every table analysed once a night, however many schedulers call it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from tests.conftest import USING_POSTGRES
from tests.factories import utc
from volunteers.core.models import JobRun
from volunteers.operations.jobs import JOBS, STATISTICS_JOB_ID, nightly_statistics


def _analysed(db) -> bool:
    """Whether job_runs (the one table this test writes) has planner statistics."""
    if USING_POSTGRES:  # -1 until the table is first analysed (PostgreSQL 14+)
        return db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'job_runs'")) >= 0
    has_stats = db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
    return bool(has_stats) and bool(db.session.scalar(
        text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'job_runs'")))


def test_the_night_s_run_analyses_the_tables_once(db) -> None:
    now = utc(2026, 12, 6, 4, 20)
    assert not _analysed(db)
    nightly_statistics(now)
    assert _analysed(db)
    nightly_statistics(now + timedelta(minutes=1))  # a second scheduler, the same night
    runs = db.session.scalars(select(JobRun.key).where(JobRun.job == STATISTICS_JOB_ID)).all()
    assert runs == ["2026-12-06"]
    nightly_statistics(now + timedelta(days=1))
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(
        JobRun.job == STATISTICS_JOB_ID, JobRun.status == "done")) == 2


def test_it_is_scheduled_in_the_small_hours_after_the_backups() -> None:
    job = next(j for j in JOBS if j.id == STATISTICS_JOB_ID)
    assert job.cron == {"hour": 4, "minute": 20}
