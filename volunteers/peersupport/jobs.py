"""Peer-support jobs: erase closed records past their retention period (nightly), and the weekly e-mails.

Both run once per organisation and local day (``core.jobruns``: a second
scheduler process or a re-run the same day does nothing). The e-mails run
daily but are keyed by the local week in the outbox, so the first run of a
week sends them and a missed Monday is made up on Tuesday.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.peersupport import reminders, retention

log = logging.getLogger(__name__)

RETENTION_JOB = "peersupport.retention"
MAIL_JOB = "peersupport.weekly_mail"


def nightly_retention(now: datetime) -> dict[str, list[int]]:
    """Erase each organisation's closed cases past retention; slug → erased case ids (ids only in the log)."""
    done: dict[str, list[int]] = {slug: ids or [] for slug, ids in jobruns.once_per_organisation_day(
        RETENTION_JOB, now, retention.erase_closed_cases).items()}
    for slug, ids in done.items():
        log.info("%s %s: erased %d closed case(s): %s", RETENTION_JOB, slug, len(ids),
                 ", ".join(map(str, ids)) or "none")
    return done


def weekly_mail(now: datetime) -> dict[str, Any]:
    """Queue each organisation's weekly mails (once a week: the outbox keys them by week)."""
    return jobruns.once_per_organisation_day(MAIL_JOB, now, reminders.weekly_mails)


JOBS = [
    # after privacy's retention (03:30)
    Job(id=RETENTION_JOB, func=nightly_retention, cron={"hour": 3, "minute": 45}),
    # before counsellors and coordinators start their day
    Job(id=MAIL_JOB, func=weekly_mail, cron={"hour": 7, "minute": 15}),
]
