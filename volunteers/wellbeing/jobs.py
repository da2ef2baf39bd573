"""Scheduled jobs for load warnings: the nightly scan and the daily digest, once per organisation and day.

Each organisation's run is claimed with a run-once key (``core.jobruns``)
so that several scheduler processes, or a re-run after a crash, scan and
e-mail once; each organisation commits on its own, so one failing does not
undo the others.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.wellbeing import services

log = logging.getLogger(__name__)


def _each_organisation(job: str, now: datetime, work: Callable[[Organisation, datetime], Any]) -> dict[str, Any]:
    """Run ``work(org, now)`` for every organisation whose run for its local day is not yet done."""
    done: dict[str, Any] = {}
    orgs = [(org.id, org.slug) for org in db.session.scalars(select(Organisation).order_by(Organisation.id))]
    for org_id, slug in orgs:
        org = db.session.get(Organisation, org_id)
        if org is None:
            continue
        key = f"{slug}:{local_date(now, org.timezone).isoformat()}"
        try:
            ran, result = jobruns.run_once(job, key, now, partial(work, org, now))
        except Exception:  # noqa: BLE001 - recorded as failed, retried by a later run
            log.exception("%s failed for %s", job, slug)
            continue
        if ran:
            done[slug] = result
    return done


def nightly_scan(now: datetime) -> dict[str, Any]:
    """Scan every organisation once a night (the people due; everyone on Sundays); return slug → ScanResult."""
    return _each_organisation("wellbeing.nightly_scan", now, services.nightly_scan)


def daily_digest(now: datetime) -> dict[str, Any]:
    """Queue each organisation's digest of new or worsened warnings once a day."""
    return _each_organisation("wellbeing.daily_digest", now, services.digest)


JOBS = [
    Job(id="wellbeing.nightly_scan", func=nightly_scan, cron={"hour": 2, "minute": 15}),
    # after the scan, before coordinators start their day
    Job(id="wellbeing.daily_digest", func=daily_digest, cron={"hour": 7, "minute": 0}),
]
