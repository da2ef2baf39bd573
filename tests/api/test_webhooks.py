"""Outbound webhooks delivered to a real HTTP server on loopback: signed, retried with back-off, sent once.

The receiver is a threaded ``http.server`` in the test; each test scripts its
answers (a status, or a pause longer than the sender's timeout).
"""
from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from tests.clock import DEFAULT_NOW, Clock, freeze
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_shift, make_site
from volunteers.api import webhook_sender, webhooks
from volunteers.api.webhook_models import WebhookDelivery
from volunteers.app import create_app
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.rota import places, services, site_scope


@dataclass
class Receiver:
    """What the loopback server was sent, and what it will answer next (then 200)."""

    answers: list[int | float] = field(default_factory=list)  #: an int is a status; a float, seconds to stall
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)  #: headers (+ "path"), body
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)  #: ends a stalled answer at teardown


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.got.append(({**dict(self.headers.items()), "path": self.path}, body))
            answer = state.answers.pop(0) if state.answers else 200
            if isinstance(answer, float):
                state.release.wait(answer)  # longer than the sender waits: it gives up first
                answer = 200
            self.send_response(answer)
            self.end_headers()
            self.wfile.write(b"ok" if answer == 200 else b"boom")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture()
def world(db, clock):
    org = make_org("tackley", "Tackley Village Shop")
    coordinator = make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    volunteer = make_member(org, "ann@example.org", name="Ann Archer", pledge=None)
    role, site = make_role(org), make_site(org)
    other = make_org("gateshead", "Sure Start Gateshead")
    other_role, other_site = make_role(other, "Counsellor"), make_site(other, "Children's centre")
    db.session.commit()
    return org, coordinator, volunteer, role, site, other, other_role, other_site


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_new_shift_is_delivered_signed_with_the_event_s_json(world, receiver, clock) -> None:
    org, coordinator, *_ = world
    role, site = world[3], world[4]
    endpoint = webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    db.session.commit()
    shift = make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    [queued] = deliveries()
    assert (queued.event_type, queued.status) == ("shift.created", "pending")

    assert webhook_sender.send_due(clock.now) == 1
    [(headers, body)] = receiver.got
    assert webhooks.verify(endpoint.secret, body, headers["Volunteers-Signature"], int(clock.now.timestamp()))
    assert not webhooks.verify("whsec_wrong", body, headers["Volunteers-Signature"], int(clock.now.timestamp()))
    assert not webhooks.verify(endpoint.secret, body + b" ", headers["Volunteers-Signature"],
                               int(clock.now.timestamp()))
    assert headers["Volunteers-Signature"].startswith(f"t={int(clock.now.timestamp())},v1=")
    event = json.loads(body)
    assert set(event) == {"id", "type", "created_at", "organisation", "data"}
    assert (event["type"], event["organisation"], event["data"]["id"]) == ("shift.created", org.id, shift.id)
    assert headers["Volunteers-Event-Id"] == event["id"] == queued.event_id
    [done] = deliveries()
    assert (done.status, done.attempts, done.last_status_code, done.last_response) == ("delivered", 1, 200, "ok")


def test_a_500_is_retried_after_a_back_off_and_then_delivered_once(world, receiver, clock) -> None:
    org, coordinator, _, role, site, *_ = world
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    receiver.answers = [500]

    assert webhook_sender.send_due(clock.now) == 0
    [failed] = deliveries()
    assert (failed.status, failed.attempts, failed.last_status_code, failed.last_response) == \
        ("pending", 1, 500, "boom")
    assert failed.next_attempt_at == clock.now + timedelta(minutes=1)
    assert webhook_sender.send_due(clock.now + timedelta(seconds=59)) == 0  # not before the back-off ends
    assert len(receiver.got) == 1

    assert webhook_sender.send_due(clock.now + timedelta(minutes=1)) == 1
    assert webhook_sender.send_due(clock.now + timedelta(hours=5)) == 0
    assert len(receiver.got) == 2
    assert receiver.got[0][1] == receiver.got[1][1]  # the same event, the same body
    [done] = deliveries()
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 2, 200)


def test_back_off_doubles_and_gives_up_after_the_last_try() -> None:
    assert [webhook_sender.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert webhook_sender.backoff(20) == timedelta(hours=6)


def test_a_timeout_counts_as_a_failed_try(world, receiver, clock, app, monkeypatch) -> None:
    org, coordinator, _, role, site, *_ = world
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 0.2)
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    receiver.answers = [10.0]

    assert webhook_sender.send_due(clock.now) == 0
    [failed] = deliveries()
    assert (failed.status, failed.attempts, failed.last_status_code) == ("pending", 1, None)
    assert "timed out" in (failed.last_response or "")


def test_a_second_run_or_a_racing_job_sends_nothing_again(world, receiver, clock) -> None:
    org, coordinator, _, role, site, *_ = world
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    [queued] = deliveries()
    # a job that read the row as due, beaten to it by another: its claim matches nothing
    assert webhook_sender._claim(queued.id, 0, clock.now)
    assert not webhook_sender._claim(queued.id, 0, clock.now)
    assert webhook_sender.send_due(clock.now) == 0  # leased to the first claimant
    assert receiver.got == []
    # the first claimant died mid-send: after the lease another job takes it, once
    later = clock.now + webhook_sender.LEASE
    assert webhook_sender.send_due(later) == 1
    assert webhook_sender.send_due(later) == 0
    assert webhook_sender.send_due(later + timedelta(days=1)) == 0
    assert len(receiver.got) == 1


def _race(app: Flask, receiver: Receiver, now: datetime) -> list[int]:
    """Queue six events for one endpoint, then run two sending jobs at once (each its own connection)."""
    with app.app_context():
        org = make_org("racing", "Racing Shop")
        coordinator = make_member(org, "cora@racing.example", role="coordinator")
        role, site = make_role(org), make_site(org)
        webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], now)
        for day in range(1, 7):
            make_shift(org, role, site, date(2026, 12, day))
        db.session.commit()
    sent: list[int] = []
    start = threading.Barrier(2)

    def job() -> None:
        with app.app_context():
            start.wait()
            sent.append(webhook_sender.send_due(now))
            db.session.remove()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def _check_once(sent: list[int], receiver: Receiver) -> None:
    assert sum(sent) == 6 and len(sent) == 2
    assert len(receiver.got) == 6
    assert len({json.loads(body)["id"] for _, body in receiver.got}) == 6


def test_two_jobs_at_once_send_each_event_once_on_sqlite(receiver, tmp_path: Path, monkeypatch) -> None:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'webhook-race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    freeze(monkeypatch, Clock(DEFAULT_NOW))
    app = create_app(FileSqlite)
    with app.app_context():
        db.create_all()
    try:
        _check_once(_race(app, receiver, DEFAULT_NOW), receiver)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.postgres
def test_two_jobs_at_once_send_each_event_once_on_postgres(app, db, receiver, clock) -> None:
    assert USING_POSTGRES
    _check_once(_race(app, receiver, clock.now), receiver)


def test_places_and_cancellations_are_events_and_another_organisation_s_never_reach_this_one(
        world, receiver, clock) -> None:
    org, coordinator, volunteer, role, site, other, other_role, other_site = world
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url,
                               ["shift.cancelled", "assignment.created", "assignment.removed"], clock.now)
    shift = make_shift(org, role, site, date(2026, 12, 3))
    theirs = make_shift(other, other_role, other_site, date(2026, 12, 3))
    db.session.commit()
    assert deliveries() == []  # shift.created is not subscribed
    place = places.take_place(org, shift.id, volunteer.id, source="self", now=clock.now)
    db.session.commit()
    places.release_place(org, place, clock.now)
    db.session.commit()
    places.take_place(org, shift.id, volunteer.id, source="self", now=clock.now)
    services.cancel_shift(org, shift, clock.now, coordinator.person_id)
    theirs.needed = 3
    services.cancel_shift(other, theirs, clock.now, None)
    db.session.commit()

    assert [d.event_type for d in deliveries()] == [
        "assignment.created", "assignment.removed", "assignment.created", "shift.cancelled", "assignment.removed"]
    assert webhook_sender.send_due(clock.now) == 5
    events = [json.loads(body) for _, body in receiver.got]
    assert {e["organisation"] for e in events} == {org.id}
    assert events[1]["data"] == {"id": place.id, "shift_id": shift.id, "membership_id": volunteer.id,
                                 "status": "cancelled"}
    assert events[3]["data"]["id"] == shift.id and events[3]["data"]["status"] == "cancelled"


def test_a_rolled_back_change_queues_nothing(world, receiver, clock) -> None:
    org, coordinator, _, role, site, *_ = world
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    db.session.commit()
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.rollback()
    assert deliveries() == []


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/hook", "http://"),
    ("example.org/hook", "http://"),
    ("https://user:secret@example.org/hook", "password"),
])
def test_only_http_addresses_without_credentials_are_registered(world, clock, url, message) -> None:
    org, coordinator, *_ = world
    with pytest.raises(webhooks.ServiceError, match=message) as refused:
        webhooks.register_endpoint(org, coordinator.person_id, url, ["shift.created"], clock.now)
    assert refused.value.field == "url"


def test_the_page_shows_the_secret_once_and_registration_and_removal_are_audited(
        world, receiver, client, auth, clock) -> None:
    org, coordinator, volunteer, role, site, *_ = world
    auth.login("ann@example.org")
    assert client.get("/settings/webhooks").status_code == 403
    auth.logout()
    auth.login("cora@tackley.example")
    refused = client.post("/settings/webhooks", data={"url": "ftp://x.example", "events": ["shift.created"]})
    assert refused.status_code == 400 and "http://" in refused.get_data(as_text=True)
    made = client.post("/settings/webhooks", data={"url": receiver.url, "events": ["shift.created"]})
    assert made.status_code == 200
    [endpoint] = webhooks.endpoints_of(org)
    assert endpoint.secret in made.get_data(as_text=True)
    page = client.get("/settings/webhooks").get_data(as_text=True)
    assert receiver.url in page and endpoint.secret not in page
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    webhook_sender.send_due(clock.now)
    assert "delivered" in client.get("/settings/webhooks").get_data(as_text=True)
    removed = client.post(f"/settings/webhooks/{endpoint.id}/remove")
    assert removed.status_code == 302
    assert webhooks.endpoints_of(org) == []
    actions = db.session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.organisation_id == org.id)).all()
    assert "webhooks.register" in actions and "webhooks.remove" in actions


def test_a_moved_shift_is_updated_and_a_removed_endpoint_gets_nothing_new(world, receiver, clock) -> None:
    org, coordinator, _, role, site, *_ = world
    kept = webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.updated"], clock.now)
    gone = webhooks.register_endpoint(org, coordinator.person_id, receiver.url + "/old", ["shift.updated"],
                                      clock.now)
    shift = make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    shift.ends_at += timedelta(hours=1)
    db.session.commit()
    shift.filled = 0  # not a change a receiver is told of
    db.session.commit()
    webhooks.remove_endpoint(org, coordinator.person_id, gone.id, clock.now)
    shift.needed = 4
    db.session.commit()
    rows = deliveries()
    assert [(d.endpoint_id, d.event_type, d.status) for d in rows] == [
        (kept.id, "shift.updated", "pending"), (gone.id, "shift.updated", "failed"),
        (kept.id, "shift.updated", "pending")]
    assert webhook_sender.send_due(clock.now) == 2
    assert [headers["path"] for headers, _ in receiver.got] == ["/hook", "/hook"]  # never /hook/old
    assert [json.loads(body)["data"]["needed"] for _, body in receiver.got] == [2, 4]


def test_an_address_that_is_not_public_is_refused_unless_allowed(world, receiver, clock, app, monkeypatch) -> None:
    org, coordinator, _, role, site, *_ = world
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False)
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    assert webhook_sender.send_due(clock.now) == 0
    [refused] = deliveries()
    assert (refused.status, refused.last_status_code) == ("pending", None)
    assert refused.last_response == "refused: 127.0.0.1 is not a public address (127.0.0.1)"
    assert receiver.got == []
    assert webhook_sender.refused_address("http://10.1.2.3/x") and webhook_sender.refused_address("http://[::1]/x")
    assert webhook_sender.refused_address("http://169.254.169.254/latest/meta-data")
    assert webhook_sender.refused_address("https://93.184.215.14/hook") is None


def test_a_peer_that_turns_out_to_be_loopback_is_refused_before_anything_is_sent(
        world, receiver, clock, app, monkeypatch) -> None:
    """DNS rebinding: the pre-check's lookup answers a public address, the connection reaches loopback."""
    org, coordinator, _, role, site, *_ = world
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_HOSTS", False)
    monkeypatch.setattr(webhook_sender, "_resolve", lambda host, port, *args: [
        (webhook_sender.socket.AF_INET, webhook_sender.socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))])
    assert webhook_sender.refused_address(receiver.url) is None  # the pre-check is fooled
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    assert webhook_sender.send_due(clock.now) == 0
    [refused] = deliveries()
    assert (refused.status, refused.last_status_code) == ("pending", None)
    assert refused.last_response == "refused: 127.0.0.1 is not a public address (127.0.0.1)"
    assert receiver.got == []  # the receiver was listening: only the check of the connected peer kept it out


def test_a_failure_is_logged_with_the_endpoint_and_host_never_the_url_s_path(
        world, receiver, clock, caplog) -> None:
    org, coordinator, _, role, site, *_ = world
    secret_url = receiver.url + "/T0SECRET/B0SECRET"
    endpoint = webhooks.register_endpoint(org, coordinator.person_id, secret_url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    receiver.answers = [500]
    with caplog.at_level("WARNING", logger="volunteers.api.webhook_sender"):
        assert webhook_sender.send_due(clock.now) == 0
    [record] = [r for r in caplog.records if r.name == "volunteers.api.webhook_sender"]
    message = record.getMessage()
    assert f"endpoint {endpoint.id} at 127.0.0.1" in message and "SECRET" not in message


@pytest.mark.parametrize("address", [
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a01:203::1",  # 6to4 of 10.1.2.3
    "::ffff:127.0.0.1",
])
def test_ipv6_ways_into_ipv4_are_not_public(address: str) -> None:
    assert webhook_sender.non_public(address)
    assert webhook_sender.refused_address(f"http://[{address}]/hook")
    assert not webhook_sender.non_public("2606:2800:220:1:248:1893:25c8:1946")


def test_a_lapsed_lease_to_a_removed_endpoint_is_failed_not_sent(world, receiver, clock) -> None:
    org, coordinator, _, role, site, *_ = world
    endpoint = webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    make_shift(org, role, site, date(2026, 12, 3))
    db.session.commit()
    [queued] = deliveries()
    assert webhook_sender._claim(queued.id, 0, clock.now)  # a job claimed it, then died mid-send
    webhooks.remove_endpoint(org, coordinator.person_id, endpoint.id, clock.now)
    db.session.commit()
    assert deliveries()[0].status == "sending"  # removal fails only what is pending

    assert webhook_sender.send_due(clock.now + webhook_sender.LEASE) == 0
    assert receiver.got == []
    [failed] = deliveries()
    assert (failed.status, failed.last_response) == ("failed", "endpoint removed")
    assert webhook_sender.send_due(clock.now + timedelta(days=1)) == 0
    assert receiver.got == []


def test_a_long_run_stops_claiming_before_its_leases_could_lapse(world, receiver, clock, monkeypatch) -> None:
    """Leases count from the run's ``now``: past half a lease the run leaves the rest for the next one."""
    org, coordinator, _, role, site, *_ = world
    webhooks.register_endpoint(org, coordinator.person_id, receiver.url, ["shift.created"], clock.now)
    for day in (3, 4, 5):
        make_shift(org, role, site, date(2026, 12, day))
    db.session.commit()
    seconds = iter([0.0, 1.0, webhook_sender.LEASE.total_seconds()])  # the third receiver is reached too late
    monkeypatch.setattr(webhook_sender, "elapsed", lambda: next(seconds, 10_000.0))
    assert webhook_sender.send_due(clock.now) == 1
    assert [(d.status, d.attempts) for d in deliveries()] == [("delivered", 1), ("pending", 0), ("pending", 0)]
    monkeypatch.setattr(webhook_sender, "elapsed", lambda: 0.0)
    assert webhook_sender.send_due(clock.now) == 2 and len(receiver.got) == 3


def test_a_coordinator_limited_to_some_sites_registers_and_removes_no_webhooks(world, client, auth, clock) -> None:
    """Webhooks carry every site's shifts and places, and are organisation settings: a site coordinator's /settings
    pages are a 403 (settings.site_limit), and so is this one, which sits beside them."""
    org, coordinator, *_ = world
    endpoint = webhooks.register_endpoint(org, coordinator.person_id, "https://hooks.example/in", ["shift.created"],
                                          clock.now)
    limited = make_member(org, "sid@tackley.example", role="coordinator", name="Sid Site")
    site_scope.set_sites(org, limited, {make_site(org, "Chapel").id})
    db.session.commit()
    auth.login("sid@tackley.example")
    assert client.get("/settings/webhooks").status_code == 403
    made = client.post("/settings/webhooks", data={"url": "https://sid.example/in", "events": ["shift.created"]})
    assert made.status_code == 403
    assert client.post(f"/settings/webhooks/{endpoint.id}/remove").status_code == 403
    assert [e.url for e in webhooks.endpoints_of(org)] == ["https://hooks.example/in"]
