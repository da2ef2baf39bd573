"""Run-once keys for scheduled work: a unique (job, key) row with a lease.

Two scheduler processes, a job that runs twice, or a process that dies half-way
all come down to one question: may I do the work keyed ``key`` now? The first
to insert the row may; a finished row says no; a running row whose lease has
expired (its process died) may be taken over by one caller only (a guarded
UPDATE, not a check-then-write).
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from volunteers.core.dml import rows_matched
from volunteers.core.models import JobRun, Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db

DEFAULT_LEASE = timedelta(minutes=30)
T = TypeVar("T")


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: str, key: str, now: datetime, lease: timedelta = DEFAULT_LEASE) -> JobRun | None:
    """Claim the run ``(job, key)`` and commit the claim; None when someone else has it or it is done."""
    run = JobRun(job=job, key=key, status="running", owner=_owner(), started_at=now, lease_until=now + lease)
    db.session.add(run)
    try:
        db.session.commit()
        return run
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(select(JobRun).where(JobRun.job == job, JobRun.key == key))
    if existing is None or existing.status == "done":
        return None
    # running (lease may have expired: its process died) or failed: take over once
    taken = db.session.execute(
        update(JobRun)
        .where(
            JobRun.id == existing.id,
            JobRun.status != "done",
            (JobRun.status == "failed") | (JobRun.lease_until < now),
        )
        .values(status="running", owner=_owner(), started_at=now, lease_until=now + lease, error=None)
    )
    db.session.commit()
    if rows_matched(taken) != 1:
        return None
    db.session.refresh(existing)
    return existing


def finish(run: JobRun, now: datetime) -> None:
    """Mark a claimed run done (in the caller's unit of work, with its results)."""
    run.status = "done"
    run.finished_at = now
    run.lease_until = None


def fail(run_id: int, error: str, now: datetime) -> None:
    """Record a failure after the work's transaction was rolled back; a later run retries."""
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(status="failed", error=error[:2000], finished_at=now, lease_until=None)
    )
    db.session.commit()


def run_once(job: str, key: str, now: datetime, work: Callable[[], T]) -> tuple[bool, T | None]:
    """Do ``work`` under the run-once key ``(job, key)``, committing it with the finished run.

    Returns ``(False, None)`` when the run is done or running elsewhere, else
    ``(True, result)``. If ``work`` raises, its changes are rolled back, the
    run is recorded as failed (a later run retries it) and the error is raised.
    """
    run = claim(job, key, now)
    if run is None:
        return False, None
    run_id = run.id
    try:
        result = work()
        finish(run, now)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        fail(run_id, f"{type(error).__name__}: {error}", now)
        raise
    return True, result


def once_per_organisation_day(job: str, now: datetime, work: Callable[[Organisation, datetime], Any]) -> dict[str, Any]:
    """Run ``work(org, now)`` for every organisation whose run of ``job`` for its local day is not yet done.

    Return slug → what ``work`` returned, for the runs done now. One organisation's
    failure is recorded (``run_once``) and logged; the others still run.
    """
    done: dict[str, Any] = {}
    orgs = [(org.id, org.slug) for org in db.session.scalars(select(Organisation).order_by(Organisation.id))]
    for org_id, slug in orgs:
        org = db.session.get(Organisation, org_id)
        if org is None:
            continue
        key = f"{slug}:{local_date(now, org.timezone).isoformat()}"
        try:
            ran, result = run_once(job, key, now, partial(work, org, now))
        except Exception:  # noqa: BLE001 - recorded as failed, retried by a later run
            logging.getLogger(__name__).exception("%s failed for %s", job, slug)
            continue
        if ran:
            done[slug] = result
    return done
