"""Build APScheduler from every feature's JOBS; the only module that knows APScheduler.

Each job is wrapped to run in an app context with ``now`` passed in, committing
on success and rolling back on error, like a request. Jobs are idempotent and
keyed by what they cover (see core.jobruns), so several scheduler processes
may run at once and each piece of work still happens once.
"""
from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from flask import Flask

from volunteers.core.jobs import Job
from volunteers.extensions import db
from volunteers.operations import metrics

if TYPE_CHECKING:  # APScheduler is loaded by the scheduler process (and `make run`), not by every web worker
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger(__name__)

#: every module that declares JOBS; explicit so grep finds them all
JOB_MODULES = (
    "volunteers.api.webhook_sender",
    "volunteers.mail.jobs",
    "volunteers.peersupport.jobs",
    "volunteers.operations.jobs",
    "volunteers.people.jobs",
    "volunteers.privacy.jobs",
    "volunteers.reports.jobs",
    "volunteers.rota.jobs",
    "volunteers.selfservice.jobs",
    "volunteers.wellbeing.jobs",
)


def all_jobs() -> list[Job]:
    jobs: list[Job] = []
    for name in JOB_MODULES:
        jobs.extend(importlib.import_module(name).JOBS)
    return jobs


def in_app_context(app: Flask, func: Callable[[datetime], Any], job_id: str | None = None) -> Callable[[], None]:
    """Wrap a job function: app context, ``now`` passed in, one commit at the edge, its time and failure counted."""
    name: str = job_id or getattr(func, "__name__", None) or str(func)

    def run() -> None:
        started = time.perf_counter()
        failed = False
        with app.app_context():
            try:
                func(datetime.now(UTC))
                db.session.commit()
            except Exception:
                failed = True
                db.session.rollback()
                log.exception("job %s failed", name)
            finally:
                db.session.remove()
                metrics.observe_job(name, time.perf_counter() - started, failed)

    return run


def build_scheduler(app: Flask, scheduler_cls: type[BaseScheduler]) -> BaseScheduler:
    """Add every feature's JOBS, each wrapped to run in an app context."""
    from apscheduler.triggers.cron import CronTrigger  # see TYPE_CHECKING above

    scheduler = scheduler_cls(timezone="UTC")
    for job in all_jobs():
        scheduler.add_job(
            in_app_context(app, job.func, job.id),
            CronTrigger(**job.cron, timezone="UTC"),
            id=job.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=300,
        )
    return scheduler


def maybe_start_in_process(app: Flask) -> None:
    """Start a background scheduler in `make run` / web workers when enabled.

    Skipped in tests, in CLI commands other than ``run``, and in the
    reloader's watcher process (only the child serving requests runs jobs).
    """
    if not app.config.get("SCHEDULER_ENABLED") or app.testing:
        return
    if not app.config.get("SCHEDULER_IN_PROCESS", False):
        return
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    log.info("scheduler started in-process with %d jobs", len(scheduler.get_jobs()))
