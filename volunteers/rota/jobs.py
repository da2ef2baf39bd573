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

    def extend_every_organisation() -> int:
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
        return sum(extend_organisation(org, now) for org in orgs)

    ran, created = jobruns.run_once(JOB_ID, now.date().isoformat(), now, extend_every_organisation)
    if not ran:
        return None
    log.info("materialised %d shifts", created)
    return created


JOBS = [
    Job(id=JOB_ID, func=extend_all_series, cron={"minute": 7}),
]
