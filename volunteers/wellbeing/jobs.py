"""Scheduled jobs for load warnings: the nightly scan and the daily digest, once per organisation and day.

Each organisation's run is claimed with a run-once key (``core.jobruns``)
so that several scheduler processes, or a re-run after a crash, scan and
e-mail once; each organisation commits on its own, so one failing does not
undo the others.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.wellbeing import services

log = logging.getLogger(__name__)


def nightly_scan(now: datetime) -> dict[str, Any]:
    """Scan every organisation once a night (the people due; everyone on Sundays); return slug → ScanResult."""
    return jobruns.once_per_organisation_day("wellbeing.nightly_scan", now, services.nightly_scan)


def daily_digest(now: datetime) -> dict[str, Any]:
    """Queue each organisation's digest of new or worsened warnings once a day."""
    return jobruns.once_per_organisation_day("wellbeing.daily_digest", now, services.digest)


JOBS = [
    Job(id="wellbeing.nightly_scan", func=nightly_scan, cron={"hour": 2, "minute": 15}),
    # after the scan, before coordinators start their day
    Job(id="wellbeing.daily_digest", func=daily_digest, cron={"hour": 7, "minute": 0}),
]
