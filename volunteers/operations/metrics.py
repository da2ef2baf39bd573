"""Prometheus metrics: what they measure and how several processes add them up.

Why these: request latency by endpoint shows which page got slow; pool use
shows when workers wait for a database connection (the first thing to run
out, see docs/SCALING.md); job durations and the job runs recorded in the
database show the scheduler working; the outbox depth and its oldest message
say whether mail is leaving; the load-scan duration is the nightly job that
grows with every organisation.

Labels are bounded and carry no person: endpoint names, methods, status
codes, job ids. Nothing keyed by a person, an e-mail or an organisation is
exported (an organisation label would grow with the customer list).

With several gunicorn workers each process counts alone; when
``PROMETHEUS_MULTIPROC_DIR`` is set (deploy/gunicorn.conf.py) prometheus_client
keeps every metric in files there and ``render`` adds them up across live
processes, so any worker answering /metrics speaks for the node.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from flask import Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import event, func, select
from sqlalchemy.pool import Pool

from volunteers.core.models import JobRun
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
if MULTIPROCESS:  # the scheduler may start before any gunicorn made the directory
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

#: page times: most pages answer in 10–100 ms; the tail up to gunicorn's 30 s timeout
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: jobs run from milliseconds (nothing due) to many minutes (the Sunday scan of everyone)
JOB_BUCKETS = (0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600)
#: how far back the job-run figures read job_runs (one row per job, organisation and day)
JOB_RUN_WINDOW = timedelta(hours=24)

REQUEST_SECONDS = Histogram("volunteers_request_seconds", "Time to answer a request, by endpoint",
                            ["endpoint", "method"], buckets=LATENCY_BUCKETS)
REQUESTS = Counter("volunteers_requests", "Requests answered, by endpoint and status",
                   ["endpoint", "method", "status"])
POOL_IN_USE = Gauge("volunteers_db_pool_connections_in_use", "Database connections checked out of the pools",
                    multiprocess_mode="livesum")
POOL_CHECKOUTS = Counter("volunteers_db_pool_checkouts", "Database connections taken from the pools")
JOB_SECONDS = Histogram("volunteers_job_seconds", "Time a scheduled job ran, by job", ["job"], buckets=JOB_BUCKETS)
JOB_ERRORS = Counter("volunteers_job_errors", "Scheduled job runs that raised, by job", ["job"])
LOAD_SCAN_SECONDS = Histogram("volunteers_load_scan_seconds", "Time the nightly load scan of all organisations took",
                              buckets=JOB_BUCKETS)
#: the jobs whose duration is also the load-scan figure
LOAD_SCAN_JOBS = frozenset({"wellbeing.nightly_scan"})


def _checked_out(*_: object) -> None:
    POOL_IN_USE.inc()
    POOL_CHECKOUTS.inc()


def _checked_in(*_: object) -> None:
    POOL_IN_USE.dec()


def watch_pools() -> None:
    """Count connections in and out of every SQLAlchemy pool this process makes (idempotent)."""
    if not event.contains(Pool, "checkout", _checked_out):
        event.listen(Pool, "checkout", _checked_out)
        event.listen(Pool, "checkin", _checked_in)


def start_timer() -> None:
    g.metrics_started = time.perf_counter()


#: (endpoint, method, status) → its latency and count series, looked up once (``labels`` checks and locks each call)
_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}
#: the methods counted by name; any other token a client sends (HTTP lets it invent one per request) counts as
#: "other", else each would add a series to every worker and to the multiprocess files for good
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(response: Response) -> Response:
    """Record the request's time under its endpoint (a bounded name, never its path)."""
    started = g.get("metrics_started")
    if started is not None:
        # the proxy once, not once per attribute (every request pays for this)
        req = request._get_current_object()  # type: ignore[attr-defined]
        method = req.method if req.method in KNOWN_METHODS else "other"
        key = (req.endpoint or "(no route)", method, response.status_code)
        series = _series.get(key)
        if series is None:
            endpoint, method, status = key
            series = _series[key] = (REQUEST_SECONDS.labels(endpoint, method),
                                     REQUESTS.labels(endpoint, method, str(status)))
        series[0].observe(time.perf_counter() - started)
        series[1].inc()
    return response


def observe_job(job_id: str, seconds: float, failed: bool) -> None:
    """Record one run of a scheduled job (called by the scheduler's wrapper)."""
    JOB_SECONDS.labels(job_id).observe(seconds)
    if failed:
        JOB_ERRORS.labels(job_id).inc()
    if job_id in LOAD_SCAN_JOBS:
        LOAD_SCAN_SECONDS.observe(seconds)


class DatabaseCollector(Collector):
    """Figures read from the database when scraped: the same on every node, whoever did the work."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def collect(self) -> Iterator[Metric]:
        now = self.now or utcnow()
        depth, oldest = db.session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status == "pending")
        ).one()
        yield GaugeMetricFamily("volunteers_outbox_pending", "Messages waiting in the outbox", value=depth)
        age = (now - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily("volunteers_outbox_oldest_age_seconds",
                                "Age of the oldest message waiting in the outbox (0 when empty)", value=max(age, 0.0))
        runs = GaugeMetricFamily("volunteers_job_runs_recent",
                                 "Keyed job runs started in the last 24 hours, by job and status (job_runs)",
                                 labels=["job", "status"])
        for job, status, count in db.session.execute(
            select(JobRun.job, JobRun.status, func.count(JobRun.id))
            .where(JobRun.started_at >= now - JOB_RUN_WINDOW)
            .group_by(JobRun.job, JobRun.status)
        ):
            runs.add_metric([job, status], count)
        yield runs


def render(now: datetime | None = None) -> tuple[bytes, str]:
    """Return the exposition text of this node (all its processes) and the database figures."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        body = generate_latest(processes)
    else:
        body = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseCollector(now))
    return body + generate_latest(database), CONTENT_TYPE_LATEST
