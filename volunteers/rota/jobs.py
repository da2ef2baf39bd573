"""Scheduled jobs for the rota: keep every active series materialised ahead.

The job runs hourly but does its work once a day: the run-once key is the
UTC date (``core.jobruns``), so several schedulers, a restart or a missed
hour never materialise twice — and materialising is idempotent anyway,
keyed by (series, local date). A failed day is retried at the next hour.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.rota.series import extend_organisation

log = logging.getLogger(__name__)
JOB_ID = "rota.extend_series"


def extend_all_series(now: datetime) -> int | None:
    """Materialise every organisation's active series to its horizon; None if already done today."""
    run = jobruns.claim(JOB_ID, now.date().isoformat(), now)
    if run is None:
        return None
    run_id = run.id
    try:
        created = 0
        for org in db.session.scalars(select(Organisation).order_by(Organisation.id)):
            created += extend_organisation(org, now)
        jobruns.finish(run, now)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        jobruns.fail(run_id, repr(error), now)
        raise
    log.info("materialised %d shifts", created)
    return created


JOBS = [
    Job(id=JOB_ID, func=extend_all_series, cron={"minute": 7}),
]
