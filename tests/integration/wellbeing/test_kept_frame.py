"""/warnings' frame (base.html around its content, ``kept_page.whole_page``) kept as UTF-8 is the page rendered.

Each view is compared with the same view rendered by ``render_template`` (as where templates may change):
viewers of two organisations and one of both (the header's switcher), each filter, a flashed message after
an acknowledgement, and the request's own token and time.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy import select

from tests.factories import make_member, make_org
from tests.integration.wellbeing.conftest import MONDAY, NOW
from volunteers.wellbeing import kept_page
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import scan

_TOKENS = re.compile(r'(?<=csrf_token" value=")[^"]+|(?<=csrf-token" content=")[^"]+|(?<="X-CSRFToken": ")[^"]+')
_MADE_AT = re.compile(r'(?<=rendered-at" content=")[^"]+')


@pytest.fixture()
def two_orgs(db, helpline, member, clock):
    """Leanne warned in Sure Start (Janet coordinates), Tom in Tackley (Olive coordinates); Ada admin of both."""
    clock.now = NOW
    member("janet@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=6)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    other = make_org("tackley", "Tackley")
    make_member(other, "olive@example.org", role="coordinator")
    make_member(helpline.org, "ada@example.org", role="admin")
    make_member(other, "ada@example.org", role="admin")
    scan(helpline.org, NOW)
    db.session.commit()
    return helpline, other


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rendered(client, url: str) -> str:
    """The page as ``render_template`` writes it: no frame kept or used (templates may change)."""
    env = client.application.jinja_env
    env.auto_reload = True
    try:
        return _text(client.get(url))
    finally:
        env.auto_reload = False


def _same_framed_and_rendered(client, url: str = "/warnings") -> str:
    """The page framed (twice: the frame made, then kept) is the page rendered, but for the token and the time."""
    framed = [_text(client.get(url)) for _ in range(2)]
    rendered = _rendered(client, url)
    for page in (*framed, rendered):
        assert page.count("csrf-token") == 1 and _MADE_AT.search(page)
    plain = [_MADE_AT.sub("", _TOKENS.sub("", page)) for page in (*framed, rendered)]
    assert plain[0] == plain[2] and plain[1] == plain[2]
    return plain[2]


def test_the_framed_page_is_the_rendered_page_for_each_viewer_and_filter(client, auth, two_orgs) -> None:
    helpline, other = two_orgs
    pages = []
    for email in ("janet@example.org", "olive@example.org", "ada@example.org"):
        auth.logout()
        auth.login(email)
        for url in ("/warnings", "/warnings?severity=warning", "/warnings?severity=notice"):
            pages.append(_same_framed_and_rendered(client, url))
    assert client.post("/switch", data={"organisation_id": other.id}).status_code == 302
    assert "Now working in Tackley." in _text(client.get("/warnings"))  # the switch's message, once
    pages.append(_same_framed_and_rendered(client))
    assert client.application.extensions[kept_page._FRAMES], "no frame was kept"
    # each viewer's own header: Janet's and Olive's organisations, Ada's switcher; Leanne shown to Sure Start only
    assert "Sure Start" in pages[0] and "Tackley" not in pages[0] and "Leanne" in pages[0]
    assert "Tackley" in pages[3] and "Sure Start" not in pages[3] and "Leanne" not in pages[3]
    assert "Tackley" in pages[6] and "Sure Start" in pages[6] and "Leanne" in pages[6]
    assert "Leanne" not in pages[-1]


def test_each_view_carries_its_own_token_and_time(client, auth, two_orgs, clock) -> None:
    auth.login("janet@example.org")
    first = _text(client.get("/warnings"))
    clock.now = NOW + timedelta(minutes=3)
    second = _text(client.get("/warnings"))
    for page in (first, second):
        assert kept_page._TOP not in page and kept_page._CONTENT not in page
        header = re.search(r'csrf-token" content="([^"]+)"', page)
        assert header and set(re.findall(r'csrf_token" value="([^"]+)"', page)) == {header.group(1)}
    assert _MADE_AT.findall(first) != _MADE_AT.findall(second)


def test_a_flashed_message_shows_on_the_page_after_the_frame_is_kept(db, client, auth, two_orgs) -> None:
    auth.login("janet@example.org")
    _same_framed_and_rendered(client)  # the frame made and kept
    warning = db.session.scalars(select(LoadWarning).order_by(LoadWarning.id)).first()
    page = _text(client.post(f"/warnings/{warning.id}/acknowledge", data={f"ack{warning.id}-note": "Talked"},
                             follow_redirects=True))
    assert "Acknowledged: Leanne" in page and 'class="flash flash-success"' in page
    assert "Acknowledged: Leanne" not in _text(client.get("/warnings"))  # shown once
    _same_framed_and_rendered(client)


def test_where_templates_may_change_the_page_is_rendered_every_time(app, client, auth, two_orgs) -> None:
    auth.login("janet@example.org")
    names: list[str] = []

    def record(_sender, template, **_extra) -> None:
        names.append(template.name)

    app.extensions.pop(kept_page._FRAMES, None)
    template_rendered.connect(record, app)
    app.jinja_env.auto_reload = True
    try:
        for _ in range(2):
            _text(client.get("/warnings"))
    finally:
        app.jinja_env.auto_reload = False
        template_rendered.disconnect(record, app)
    assert names.count("wellbeing/warnings.html") == 2
    assert kept_page._FRAMES not in app.extensions
