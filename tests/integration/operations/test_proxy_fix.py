"""Behind HAProxy the app sees the client's address and https, and only through trusted proxies."""
from __future__ import annotations

from flask import Flask, jsonify, request, url_for

from config import TestingConfig
from volunteers.app import create_app


def _app_seeing_through(proxies: int) -> Flask:
    app = create_app(TestingConfig, PROXY_COUNT=proxies)

    @app.get("/_whoami")
    def whoami() -> object:
        return jsonify(addr=request.remote_addr, scheme=request.scheme,
                       link=url_for("core.healthz", _external=True))

    return app


def test_one_proxy_gives_the_client_address_and_https_it_saw() -> None:
    client = _app_seeing_through(1).test_client()
    seen = client.get("/_whoami", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                      headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}).get_json()
    assert seen["addr"] == "203.0.113.9"
    assert seen["scheme"] == "https"
    assert seen["link"].startswith("https://")


def test_an_address_the_client_forged_before_the_proxy_is_not_believed() -> None:
    client = _app_seeing_through(1).test_client()
    # the client sent "X-Forwarded-For: 1.2.3.4"; HAProxy appended the address it really came from
    seen = client.get("/_whoami", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                      headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7"}).get_json()
    assert seen["addr"] == "198.51.100.7"


def test_without_proxies_forwarded_headers_are_ignored() -> None:
    client = _app_seeing_through(0).test_client()
    seen = client.get("/_whoami", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                      headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}).get_json()
    assert seen == {"addr": "10.0.0.5", "scheme": "http", "link": "http://localhost/healthz"}
