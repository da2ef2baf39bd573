"""/metrics: Prometheus text with request, pool, job and outbox figures, for allowed scrapers only, no person in it."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from config import TestingConfig
from tests.factories import make_member, make_org
from tests.integration.auth_support import seed, send, sign_in
from volunteers.mail.models import OutboxMessage
from volunteers.operations.metrics import DatabaseCollector
from volunteers.scheduler import in_app_context

ROOT = Path(__file__).resolve().parents[3]


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _value(text: str, name: str, **labels: str) -> float:
    return _samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_scrape_from_loopback_counts_requests_by_endpoint_and_the_pool_in_use(app: Flask, client, db) -> None:
    before = client.get("/metrics").get_data(as_text=True)
    send(client, "GET", "/login")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    assert _value(text, "volunteers_request_seconds_count", endpoint="auth.login", method="GET") == \
        _value(before, "volunteers_request_seconds_count", endpoint="auth.login", method="GET") + 1
    assert _value(text, "volunteers_requests_total", endpoint="auth.login", method="GET", status="200") >= 1
    assert _value(text, "volunteers_db_pool_checkouts_total") > _value(before, "volunteers_db_pool_checkouts_total")
    assert ("volunteers_db_pool_connections_in_use", ()) in _samples(text)


def test_others_get_a_404_unless_they_bear_the_token(make_app) -> None:
    app = make_app(type("WithToken", (TestingConfig,), {"METRICS_TOKEN": "s3cret-scrape"}))
    client = app.test_client()
    outside = {"REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", environ_base=outside,
                      headers={"Authorization": "Bearer s3cret-scrape"}).status_code == 200


def test_an_allowed_network_may_scrape(make_app) -> None:
    client = make_app(type("Scrapers", (TestingConfig,), {"METRICS_ALLOWED_IPS": ["10.1.0.0/16"]})).test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.4.2"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 404


def test_the_outbox_depth_and_its_oldest_message_age_come_from_the_database(db, clock) -> None:
    for minutes, status in ((10, "pending"), (3, "pending"), (60, "sent")):
        db.session.add(OutboxMessage(dedupe_key=f"m{minutes}", to_address="someone@example.org", subject="s",
                                     body_text="b", status=status, next_attempt_at=clock.now,
                                     created_at=clock.now - timedelta(minutes=minutes)))
    db.session.commit()
    figures = {m.name: m.samples[0].value for m in DatabaseCollector().collect() if m.samples}
    assert figures["volunteers_outbox_pending"] == 2
    assert figures["volunteers_outbox_oldest_age_seconds"] == 600


def test_a_failing_job_is_counted_with_its_time(app: Flask, client, db) -> None:
    def broken(now: object) -> None:
        raise RuntimeError("boom")

    before = client.get("/metrics").get_data(as_text=True)
    in_app_context(app, broken, "test.broken")()
    text = client.get("/metrics").get_data(as_text=True)
    assert _value(text, "volunteers_job_errors_total", job="test.broken") == \
        _value(before, "volunteers_job_errors_total", job="test.broken") + 1
    assert _value(text, "volunteers_job_seconds_count", job="test.broken") == \
        _value(before, "volunteers_job_seconds_count", job="test.broken") + 1


def test_no_person_appears_in_the_metrics(app: Flask, client, db) -> None:
    seed(app)
    make_member(make_org("surestart", "Sure Start Gateshead"), "maria.lopez@example.org", name="Maria Lopez")
    db.session.commit()
    sign_in(client)
    for page in ("/", "/me/shifts", "/people/1", "/no-such-page?email=maria.lopez@example.org"):
        send(client, "GET", page)
    text = client.get("/metrics").get_data(as_text=True)
    for personal in ("maria", "Lopez", "volunteer@tackley", "@example", "tackley", "surestart"):
        assert personal.lower() not in text.lower()


def test_a_method_a_client_makes_up_counts_as_other_so_the_series_stay_bounded(app: Flask, client, db) -> None:
    before = client.get("/metrics").get_data(as_text=True)
    for invented in ("FROBNICATE", "X-ONE", "X-TWO", "PROPFIND"):
        assert client.open("/login", method=invented).status_code == 405
    client.get("/login")
    text = client.get("/metrics").get_data(as_text=True)
    methods = {s.labels.get("method") for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "volunteers_requests_total"}
    assert "GET" in methods and "other" in methods
    assert not {"FROBNICATE", "X-ONE", "X-TWO", "PROPFIND"} & methods
    other = {"endpoint": "(no route)", "method": "other", "status": "405"}  # a refused method matches no rule
    counted = "volunteers_requests_total"
    assert _value(text, counted, **other) == _value(before, counted, **other) + 4


def test_several_worker_processes_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = "from volunteers.operations import metrics; metrics.observe_job('nightly', 2.0, failed=True)"
    for _ in range(2):  # two gunicorn workers, each its own process
        subprocess.run([sys.executable, "-c", worker], env=env, cwd=ROOT, check=True)
    scrape = ("from prometheus_client import CollectorRegistry, generate_latest, multiprocess\n"
              "r = CollectorRegistry(); multiprocess.MultiProcessCollector(r)\n"
              "print(generate_latest(r).decode())")
    text = subprocess.run([sys.executable, "-c", scrape], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    assert _value(text, "volunteers_job_errors_total", job="nightly") == 2
    assert _value(text, "volunteers_load_scan_seconds_count") == 0
    assert _value(text, "volunteers_job_seconds_sum", job="nightly") == 4.0
