"""The monthly report job: on the 1st at 06:00 local time, issue last month's report and e-mail it.

It runs every hour; for each organisation whose local time is the 1st of
the month at or after 06:00 it claims the run-once key
``reports.monthly`` / ``<slug>:<month>`` (:mod:`volunteers.core.jobruns`).
So a second run, a second scheduler process or a run after a crash does
the work at most once: the claim is committed first, the report, the
queued e-mails and the "done" mark are committed together after, and a
claim whose process died is taken over when its lease runs out. Issuing is
idempotent too (one report per organisation and month), and each e-mail
has a dedupe key, so even a takeover after a partial run sends one.
"""
from __future__ import annotations

import logging
from datetime import datetime, time

from sqlalchemy import select

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, to_local
from volunteers.extensions import db
from volunteers.reports.services import issue_report, send_report

log = logging.getLogger(__name__)

JOB_NAME = "reports.monthly"
#: local time on the 1st from which last month's report goes out
ISSUE_AT = time(6)


def due_month(org: Organisation, now: datetime) -> Month | None:
    """Return the month to issue for ``org`` at ``now`` (the 1st, from 06:00 local), else None."""
    local = to_local(now, org.timezone)
    if local.day != 1 or local.time() < ISSUE_AT:
        return None
    return Month.of(local.date()).previous()


def issue_and_send(org: Organisation, month: Month, now: datetime) -> bool:
    """Issue and queue one organisation's report under its run-once key; return whether this run did it."""
    def issue_and_queue() -> None:
        send_report(org, issue_report(org, month, now, None), now)

    try:
        ran, _ = jobruns.run_once(JOB_NAME, f"{org.slug}:{month}", now, issue_and_queue)
    except Exception:  # noqa: BLE001 - recorded as failed; the next hourly run retries
        log.exception("monthly report for %s %s failed", org.slug, month)
        return False
    return ran


def issue_due_reports(now: datetime) -> int:
    """Issue and e-mail last month's report for every organisation where it is due; return how many."""
    done = 0
    for org_id in db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all():
        org = db.session.get(Organisation, org_id)
        month = due_month(org, now) if org is not None else None
        if org is not None and month is not None and issue_and_send(org, month, now):
            done += 1
    return done


JOBS = [Job(id=JOB_NAME, func=issue_due_reports, cron={"minute": 5})]
