"""Per-request hooks made cheaper answer as the plain versions did.

* ``refuse_nul_bytes`` lets a request without a body through without parsing
  its query when its path and raw query string hold no NUL: the plain check
  (every query argument, view argument and form field) must agree on each
  crafted request here.
* ``browser_identifier`` is Flask-Login's identifier, remembered by the
  headers it is made of: it must equal Flask-Login's for every request here.
"""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request
from flask_login.utils import _create_identifier
from werkzeug.exceptions import BadRequest

from volunteers.core.session_cookie import remembered_identifier
from volunteers.core.webparams import refuse_nul_bytes


def _plain_refuse_nul_bytes() -> None:
    """The check as it was: every query argument, view argument and (for a body) form field."""
    texts = [*request.args.keys(), *request.args.values(), *(request.view_args or {}).values()]
    if request.method in ("POST", "PUT", "PATCH"):
        texts += [*request.form.keys(), *request.form.values()]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise BadRequest()


def _app() -> Flask:
    app = Flask(__name__)
    for rule in ("/x/<name>", "/p/<path:rest>", "/i/<int:number>", "/"):
        app.add_url_rule(rule, rule, lambda **_: "ok", methods=["GET", "POST", "PUT", "DELETE", "HEAD"])
    return app


def _refused(app: Flask, check: Any, path: str, **kw: Any) -> bool:
    with app.test_request_context(path, **kw):
        try:
            check()
        except BadRequest:
            return True
    return False


REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("/", {}),
    ("/", {"query_string": "a=1&b=two"}),
    ("/", {"query_string": "a=%00"}),
    ("/", {"query_string": "a%00=1"}),
    ("/", {"query_string": "a=%2500"}),  # a literal "%00", not a NUL
    ("/", {"query_string": "a=%C0%80"}),  # an overlong NUL: not decoded to one
    ("/", {"environ_overrides": {"QUERY_STRING": "a=b\x00c"}}),
    ("/", {"query_string": "a=x+y&a=%0"}),
    ("/x/plain", {}),
    ("/x/a%00b", {}),
    ("/p/a/b%00/c", {}),
    ("/i/12", {"query_string": "page=%00"}),
    ("/nowhere%00", {}),
    ("/", {"method": "POST", "data": {"name": "a\x00b"}}),
    ("/", {"method": "POST", "data": {"name": "ab"}}),
    ("/", {"method": "PUT", "data": {"na\x00me": "ab"}}),
    ("/", {"method": "DELETE", "data": {"name": "a\x00b"}}),  # no form check for DELETE, before as now
    ("/x/y", {"method": "HEAD", "query_string": "q=%00"}),
]


@pytest.mark.parametrize(("path", "kw"), REQUESTS)
def test_the_nul_check_agrees_with_the_plain_check(path: str, kw: dict[str, Any]) -> None:
    app = _app()
    assert _refused(app, refuse_nul_bytes, path, **kw) == _refused(app, _plain_refuse_nul_bytes, path, **kw)


def test_the_nul_check_refuses_what_it_must() -> None:
    app = _app()
    refused = [path for path, kw in REQUESTS if _refused(app, refuse_nul_bytes, path, **kw)]
    assert len(refused) == 9


HEADERS: list[dict[str, Any]] = [
    {},
    {"headers": {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"}},
    {"headers": {"User-Agent": "Mozilla/5.0", "X-Forwarded-For": "203.0.113.9, 10.0.0.1"}},
    {"headers": {"X-Forwarded-For": " 203.0.113.9 "}},
    {"headers": {"User-Agent": "Zürich-Browser/1.0"}},
    {"headers": {"User-Agent": "Mozilla/5.0"}, "environ_base": {"REMOTE_ADDR": "198.51.100.7"}},
    {"headers": {"User-Agent": "Mozilla/5.0"}, "environ_base": {"REMOTE_ADDR": "198.51.100.8"}},
]


def test_the_browser_identifier_is_flask_logins() -> None:
    app = _app()
    browser_identifier = remembered_identifier(_create_identifier)
    for _ in range(2):  # worked out, then remembered
        for kw in HEADERS:
            with app.test_request_context("/", **kw):
                assert browser_identifier() == _create_identifier(), kw
    assert len({_identifier_for(app, browser_identifier, kw) for kw in HEADERS}) == len(HEADERS)


def test_the_app_remembers_the_login_managers_own_identifier_once_however_often_it_is_made() -> None:
    from config import TestingConfig
    from volunteers.app import create_app
    from volunteers.extensions import login_manager

    create_app(TestingConfig), create_app(TestingConfig)
    generator = login_manager._session_identifier_generator
    assert getattr(generator, "original", None) is _create_identifier  # not a wrapper of a wrapper


def _identifier_for(app: Flask, browser_identifier: Any, kw: dict[str, Any]) -> str:
    with app.test_request_context("/", **kw):
        return str(browser_identifier())
