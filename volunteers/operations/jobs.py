"""The nightly backup: one copy a night into BACKUP_DIR, the newest BACKUP_KEEP kept, retried in the night.

Why a job and not cron: every installation has the scheduler running already,
and the run-once key (``core.jobruns``) means that with two scheduler
processes the night's backup is still taken once. No BACKUP_DIR, no backups
(a PostgreSQL service may rely on its provider's own).

A failed try (a full disk, the database restarting, ``pg_dump`` missing) is
tried again the same night after 10, 20, 40 and 80 minutes — five tries from
01:00 UTC, the last by 03:30 — each try a run-once key of its own
(``2026-12-05``, ``2026-12-05#2`` …), so every failure stays in ``job_runs``
with its error. Failures show on /metrics: ``volunteers_job_errors_total``
for the job (the scheduler counts each raised try) and
``volunteers_job_runs_recent{job="operations.nightly_backup",status="failed"}``
from the database; the log says when the next try is, or that it gave up.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from volunteers.core.jobruns import run_once
from volunteers.core.jobs import Job
from volunteers.core.maintenance import analyze
from volunteers.core.models import JobRun
from volunteers.extensions import db
from volunteers.operations.backups import Backup, back_up, kind_of_engine, rotate

log = logging.getLogger(__name__)

#: backups sort by name = by time: volunteers-20261205T013000Z.sqlite
NAME = "volunteers-{stamp}.{suffix}"
SUFFIX = {"sqlite": "sqlite", "postgresql": "dump"}


def take_backup(now: datetime) -> Backup | None:
    """Back up into BACKUP_DIR and drop copies beyond BACKUP_KEEP; None when backups are off."""
    directory = current_app.config.get("BACKUP_DIR")
    if not directory:
        return None
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    suffix = SUFFIX[kind_of_engine(db.engine)]
    backup = back_up(db.engine, target / NAME.format(stamp=now.strftime("%Y%m%dT%H%M%SZ"), suffix=suffix))
    removed = rotate(target, f"volunteers-*.{suffix}", int(current_app.config.get("BACKUP_KEEP", 7)))
    log.info("backup %s (%d bytes); removed %d old copies", backup.path, backup.size, len(removed))
    return backup


JOB_ID = "operations.nightly_backup"
#: tries a night, and the wait after the n-th failure: 10, 20, 40, 80 minutes
MAX_TRIES = 5


def retry_wait(failures: int) -> timedelta:
    return timedelta(minutes=10 * 2 ** (failures - 1))


def _next_key(night: str, runs: list[JobRun], now: datetime) -> str | None:
    """The run-once key of the try due now, or None (done, another process's try under way, waiting, gave up)."""
    if not runs:
        return night
    last = runs[-1]
    if any(run.status == "done" for run in runs):
        return None
    if last.status == "running":  # another process's try; run_once takes it over only once its lease ran out
        return last.key
    if len(runs) >= MAX_TRIES or last.finished_at is None or now < last.finished_at + retry_wait(len(runs)):
        return None
    return f"{night}#{len(runs) + 1}"


def nightly_backup(now: datetime) -> None:
    """Take tonight's backup once, whichever scheduler process gets there first; after a failure, try again
    later in the night (:func:`retry_wait`), up to :data:`MAX_TRIES` tries. A failed try raises (counted)."""
    if not current_app.config.get("BACKUP_DIR"):
        return
    night = now.date().isoformat()
    runs = list(db.session.scalars(select(JobRun).where(
        JobRun.job == JOB_ID, or_(JobRun.key == night, JobRun.key.like(f"{night}#%"))).order_by(JobRun.id)))
    key = _next_key(night, runs, now)
    if key is None:
        return
    tries = len(runs) + (0 if runs and key == runs[-1].key else 1)
    try:
        run_once(JOB_ID, key, now, lambda: take_backup(now))
    except Exception as error:
        if tries < MAX_TRIES:
            log.error("nightly backup failed (try %d of %d): %s; next try from %s", tries, MAX_TRIES, error,
                      (now + retry_wait(tries)).strftime("%H:%M UTC"))
        else:
            log.error("nightly backup failed (try %d of %d): %s; no more tries tonight — take one by hand "
                      "(flask --app wsgi backup FILE)", tries, MAX_TRIES, error)
        raise


STATISTICS_JOB_ID = "operations.nightly_statistics"


def nightly_statistics(now: datetime) -> None:
    """Refresh the planner's statistics of every table once a night, whichever scheduler gets there first.

    Bulk loads analyse what they wrote (``core.maintenance``), but a database
    that grows a shift and a sign-up at a time never crosses their
    threshold: SQLite has no autovacuum at all, so a village shop's file,
    never analysed, planned "my shifts" as a walk over every shift (12 ms
    instead of 0.05 ms), and this machine's PostgreSQL runs without
    autovacuum. One ``ANALYZE`` a night keeps the plans true; on PostgreSQL it
    samples, so it takes seconds at national size.
    """
    run_once(STATISTICS_JOB_ID, now.date().isoformat(), now, lambda: analyze(db.session))


JOBS = [
    # every ten minutes of the small hours: the first call takes the backup, later ones retry a failure when due
    Job(id=JOB_ID, func=nightly_backup, cron={"hour": "1-3", "minute": "*/10"}),
    # after the backup's tries and before the morning's digests and reminders
    Job(id=STATISTICS_JOB_ID, func=nightly_statistics, cron={"hour": 4, "minute": 20}),
]
