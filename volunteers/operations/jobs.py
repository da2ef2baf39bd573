"""The nightly backup: one copy a night into BACKUP_DIR, the newest BACKUP_KEEP kept.

Why a job and not cron: every installation has the scheduler running already,
and the run-once key (``core.jobruns``) means that with two scheduler
processes the night's backup is still taken once. No BACKUP_DIR, no backups
(a PostgreSQL service may rely on its provider's own).
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from flask import current_app

from volunteers.core.jobruns import run_once
from volunteers.core.jobs import Job
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


def nightly_backup(now: datetime) -> None:
    """Take tonight's backup once, whichever scheduler process gets there first."""
    if not current_app.config.get("BACKUP_DIR"):
        return
    run_once("operations.nightly_backup", now.date().isoformat(), now, lambda: take_backup(now))


JOBS = [
    Job(id="operations.nightly_backup", func=nightly_backup, cron={"hour": 1, "minute": 30}),
]
