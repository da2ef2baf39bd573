"""One JSON line per request with its request id (HAProxy's, or a new one), the organisation and the client's
network; no secrets and no client address."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from config import TestingConfig
from tests.integration.auth_support import seed, send, sign_in
from volunteers.app import create_app
from volunteers.extensions import db
from volunteers.operations import requestlog
from volunteers.operations.requestlog import JsonFormatter
from volunteers.people.domain.addresses import network_of


@pytest.fixture()
def request_lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture the request logger's records straight from it: an app built for production earlier in the
    session has given it its own stdout handler and stopped it propagating to the root logger."""
    logger = logging.getLogger("volunteers.requests")
    caplog.set_level(logging.INFO, logger="volunteers.requests")
    direct = not logger.propagate  # else the records reach caplog through the root logger already
    if direct:
        logger.addHandler(caplog.handler)
    yield caplog
    if direct:
        logger.removeHandler(caplog.handler)


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "volunteers.requests"]


def _lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in _records(caplog)]


def test_the_balancer_s_request_id_is_logged_and_echoed_with_the_organisation(app: Flask, client,
                                                                              request_lines) -> None:
    seed(app)
    sign_in(client)
    request_lines.clear()
    response = send(client, "GET", "/me/shifts", headers={"X-Request-ID": "7F000001C8167F-00000146A:06B1422EA"})
    assert response.headers["X-Request-ID"] == "7F000001C8167F-00000146A:06B1422EA"
    [line] = _lines(request_lines)
    assert line["request_id"] == "7F000001C8167F-00000146A:06B1422EA"
    assert line["org"] == "tackley"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/me/shifts", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "info" and line["ts"].endswith("+00:00")


def test_without_an_id_one_is_made_and_a_forged_one_is_replaced(client, request_lines) -> None:
    made = client.get("/healthz").headers["X-Request-ID"]
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" status=200 fake=1'}).headers["X-Request-ID"]
    assert len(made) == 32 and len(forged) == 32 and made != forged
    assert [line["request_id"] for line in _lines(request_lines)] == [made, forged]
    assert all(line["org"] is None for line in _lines(request_lines))


def test_the_line_names_the_route_not_a_secret_in_the_path_or_query(client, request_lines) -> None:
    client.get("/calendar/s3cret-feed-token.ics?email=someone@example.org")
    [line] = _lines(request_lines)
    formatted = JsonFormatter().format(_records(request_lines)[-1])
    assert line["path"] == "/calendar/<token>.ics"
    assert "s3cret" not in formatted and "someone@example.org" not in formatted
    assert "\n" not in formatted


@pytest.mark.parametrize(("address", "network"), [
    ("203.0.113.7", "203.0.113.0/24"),
    ("2001:db8:1:2::5", "2001:db8:1::/48"),
    ("::ffff:203.0.113.7", "203.0.113.0/24"),  # a dual-stack socket's IPv4 client: its IPv4 /24
    (None, "unknown"),  # no address at all (a WSGI server that sets none)
    ("", "unknown"),
    ("unix:/run/volunteers.sock", "unknown"),  # anything that is not an address is not written either
])
def test_the_line_keeps_the_client_s_network_never_its_address(client, request_lines, address: str | None,
                                                               network: str) -> None:
    client.get("/healthz", environ_overrides={"REMOTE_ADDR": address})
    [line] = _lines(request_lines)
    assert line["client"] == network
    if address:
        assert address not in JsonFormatter().format(_records(request_lines)[-1])


def test_behind_haproxy_the_network_is_of_the_address_haproxy_saw_not_one_the_client_forged(request_lines) -> None:
    app = create_app(TestingConfig, PROXY_COUNT=1)  # as in production behind HAProxy (option forwardfor)
    try:
        # the client sent "X-Forwarded-For: 192.0.2.44"; HAProxy appended the address it really came from
        app.test_client().get("/healthz", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                              headers={"X-Forwarded-For": "192.0.2.44, 198.51.100.7"})
    finally:
        with app.app_context():
            db.engine.dispose()
    [line] = _lines(request_lines)
    formatted = JsonFormatter().format(_records(request_lines)[-1])
    assert line["client"] == "198.51.100.0/24"
    assert "198.51.100.7" not in formatted and "192.0.2" not in formatted and "10.0.0" not in formatted


def test_the_networks_kept_are_bounded_and_answer_as_the_audit_trail_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(requestlog, "_networks", {})
    monkeypatch.setattr(requestlog, "KEPT_NETWORKS", 3)
    addresses = ["192.0.2.1", "192.0.2.200", "2001:db8::1", "::ffff:192.0.2.9", None, "192.0.2.1"]
    assert [requestlog.client_network(a) for a in addresses] == [network_of(a) for a in addresses]
    assert len(requestlog._networks) <= 3
