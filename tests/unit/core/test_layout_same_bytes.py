"""base.html with its header kept per process (core.layout) writes the very bytes the old base.html wrote.

``base_before.html`` is base.html as it was, working the header out on every
render from ``g``, ``request`` and ``current_user``. Both are rendered for each
kind of viewer (signed out, signed in without a membership, volunteer,
coordinator, admin, peer-support organisation, member of two organisations on
either, an organisation name that needs escaping) on every endpoint of the URL
map and none, twice each for the new one (made, then kept), with one CSRF token;
and with the head's links kept too, as where the app is not testing.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, g, request
from flask_login import AnonymousUserMixin

from config import TestingConfig
from volunteers.app import create_app

BEFORE = (Path(__file__).parent / "base_before.html").read_text()


def _org(org_id: int, name: str, peer_support: bool = False) -> SimpleNamespace:
    settings = {"peer_support": True} if peer_support else {}
    return SimpleNamespace(id=org_id, name=name, timezone="Europe/London", currency="GBP",
                           setting=lambda key, default=None: settings.get(key, default))


def _member(member_id: int, org: SimpleNamespace, role: str) -> SimpleNamespace:
    return SimpleNamespace(id=member_id, organisation_id=org.id, organisation=org, role=role,
                           is_coordinator=role in ("coordinator", "admin"))


TACKLEY, SURESTART, ODD = _org(1, "Tackley Village Hall"), _org(2, "Sure Start", True), _org(3, "St <Ann's> & \"Co\"")
TWO = [_member(10, TACKLEY, "coordinator"), _member(11, SURESTART, "volunteer")]
VIEWERS: dict[str, tuple[bool, Any, list[Any]]] = {
    "signed out": (False, None, []),
    "no membership": (True, None, []),
    "volunteer": (True, _member(1, TACKLEY, "volunteer"), None),
    "coordinator": (True, _member(2, TACKLEY, "coordinator"), None),
    "admin": (True, _member(3, TACKLEY, "admin"), None),
    "peer-support volunteer": (True, _member(4, SURESTART, "volunteer"), None),
    "peer-support coordinator": (True, _member(5, SURESTART, "coordinator"), None),
    "peer-support admin": (True, _member(6, SURESTART, "admin"), None),
    "two organisations, first": (True, TWO[0], TWO),
    "two organisations, second": (True, TWO[1], TWO),
    "odd name, two": (True, _member(7, ODD, "admin"), [_member(7, ODD, "admin"), _member(8, SURESTART, "volunteer")]),
}


@pytest.fixture(scope="module")
def kept_head_app() -> Flask:
    """An app that is not testing, so the head's links are kept as in production (files stay as they are)."""
    return create_app(TestingConfig, TESTING=False)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_base_writes_the_same_bytes_for_every_viewer_on_every_endpoint(app: Flask, viewer: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _same_bytes(app, viewer, monkeypatch)


@pytest.mark.parametrize("viewer", ["signed out", "two organisations, second", "peer-support admin"])
def test_the_kept_head_writes_the_same_bytes(kept_head_app: Flask, viewer: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _same_bytes(kept_head_app, viewer, monkeypatch)


def _same_bytes(app: Flask, viewer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in, membership, memberships = VIEWERS[viewer]
    monkeypatch.setitem(app.jinja_env.globals, "rendered_at", lambda: datetime(2026, 12, 6, 1, 2, tzinfo=UTC))
    before = app.jinja_env.from_string(BEFORE)
    after = app.jinja_env.get_template("base.html")
    rules = [None, *app.url_map.iter_rules()]
    with app.test_request_context("/"):
        g._login_user = SimpleNamespace(is_authenticated=True) if signed_in else AnonymousUserMixin()
        g.membership = membership
        g.memberships = memberships if memberships is not None else [membership]
        token = app.jinja_env.globals["csrf_token"]()
        for rule in rules:
            request.url_rule = rule  # request.endpoint is the rule's
            context: dict[str, Any] = {}
            app.update_template_context(context)
            old = before.render(context)
            assert after.render(context) == old, (viewer, rule)
            assert after.render(context) == old, (viewer, rule)  # kept
            assert old.count(token) == 2 + signed_in + (len(g.memberships) > 1)  # meta, htmx; sign out, switch


def test_a_kept_top_takes_each_request_s_own_time_zone_and_token(kept_head_app: Flask,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The top is kept per header: two requests with the same header, at other times, in another zone and with
    other sessions' tokens, each get their own (a kept top with the first one's baked in would still pass above)."""
    app = kept_head_app
    london, new_york = _org(21, "Same Name"), _org(21, "Same Name")
    new_york.timezone = "America/New_York"
    seen = []
    for org, when in ((london, datetime(2026, 12, 6, 1, 2, tzinfo=UTC)), (new_york, datetime(2026, 7, 1, 13, 45,
                                                                                              tzinfo=UTC))):
        member = _member(31, org, "coordinator")
        monkeypatch.setitem(app.jinja_env.globals, "rendered_at", lambda when=when: when)
        with app.test_request_context("/"):
            g._login_user = SimpleNamespace(is_authenticated=True)
            g.membership, g.memberships = member, [member]
            token = app.jinja_env.globals["csrf_token"]()
            top = app.jinja_env.globals["page_top"]()
            assert top.count(token) == 3  # meta, htmx, sign out
            seen.append((token, top))
    (first_token, first), (second_token, second) = seen
    assert first_token != second_token and first_token not in second
    assert 'content="2026-12-06T01:02:00+00:00"' in first and 'data-local="6 Dec, 01:02"' in first
    assert 'content="2026-07-01T13:45:00+00:00"' in second and 'data-local="1 Jul, 09:45"' in second
