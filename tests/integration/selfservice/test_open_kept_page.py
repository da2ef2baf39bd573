"""/me/shifts/open's text is kept between views (``selfservice.open_kept_page``) and served again only while
what it is made of is unchanged: each step below changes one input, and the page served must be the page made
afresh (kept texts dropped) at every step."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import template_rendered

from tests.factories import make_member, make_org, make_role, make_site, utc
from tests.integration.selfservice.conftest import shift_at
from volunteers.extensions import db as _db
from volunteers.selfservice import open_kept_page
from volunteers.selfservice.open_pages import PAGE_SIZE, encode_key

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT
_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture(autouse=True)
def _none_kept(app):
    with app.app_context():
        open_kept_page.forget()


def _text(response) -> str:
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = _TOKEN.search(page)
    return page.replace(found.group(1), "TOKEN") if found else page


def _page(client, url: str = "/me/shifts/open", **kw) -> str:
    """The page as served (kept text where there is one), checked against the page made afresh."""
    served = _text(client.get(url, **kw))
    again = _text(client.get(url, **kw))  # served from the kept text
    open_kept_page.forget()
    fresh = _text(client.get(url, **kw))
    assert served == fresh
    assert again == fresh
    return served


def _views(client, url: str = "/me/shifts/open", **kw) -> str:
    """Served as the second view of the step (after the first made or checked the kept text); not forgotten."""
    client.get(url, **kw)
    return _text(client.get(url, **kw))


def _fresh(client, url: str = "/me/shifts/open", **kw) -> str:
    kept = dict(open_kept_page.PAGES.texts())
    open_kept_page.forget()
    try:
        return _text(client.get(url, **kw))
    finally:
        open_kept_page.PAGES.texts().clear()
        open_kept_page.PAGES.texts().update(kept)


def _step(client, url: str = "/me/shifts/open", **kw) -> str:
    """This step's page as served after the last step's kept text, and the same as the page made afresh."""
    served = _text(client.get(url, **kw))
    assert served == _fresh(client, url, **kw)
    assert _views(client, url, **kw) == served
    return served


def test_kept_page_follows_every_input(world, client, auth, clock, app) -> None:
    clock.now = NOW
    shop = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    full = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 4, 9), needed=1)
    full.filled = 1
    _db.session.commit()
    auth.login("ann@example.org")
    first = _page(client)
    assert f"shift-{shop.id}" in first and f"full-{full.id}" in first
    assert open_kept_page.PAGES.texts()  # kept

    world.shop.name = "Shop till"  # a row's value (the role's name) changed
    _db.session.commit()
    assert "Shop till" in _step(client)

    shop.needed = 3  # only the open list changes (places left)
    _db.session.commit()
    assert "3 places left" in _step(client)

    full.ends_at = full.ends_at + timedelta(hours=1)  # only the full list changes (its time)
    _db.session.commit()
    assert "09:00–14:00" in _step(client)

    make_role(world.org, "Café")  # only the filters' roles change
    _db.session.commit()
    assert "Café" in _step(client)

    make_site(world.org, "Post room")  # only the filters' sites change
    _db.session.commit()
    assert "Post room" in _step(client)

    shop.needed, shop.filled = 2, 2  # the open shift is now full: both lists change
    _db.session.commit()
    page = _step(client)
    assert f"shift-{shop.id}" not in page and f"full-{shop.id}" in page

    # a filter that lets through every row: the same rows, the page still says it is filtered
    page = _step(client, f"/me/shifts/open?role={world.shop.id}")
    assert "selected" in page and "Show every open shift" in page

    # one more membership, in an organisation with nothing open: the same rows, each now with its badge
    other = make_org("other")
    make_member(other, "ann@example.org", name="Ann")
    _db.session.commit()
    assert 'class="badge org"' in _step(client)

    # another URL root: the same rows but for their URLs; the filters' form, the nav's links
    assert 'action="/vol/me/shifts/open"' in _step(client, base_url="http://localhost/vol/")


def test_kept_page_follows_the_page_asked_for_and_the_stylesheet(world, client, auth, clock, app,
                                                                monkeypatch) -> None:
    clock.now = NOW
    auth.login("ann@example.org")
    assert "No open shifts you can take right now." in _page(client)
    # past every shift: nothing on either page, but this is not the first page
    assert "No more open shifts you can take here." in _step(client, "/me/shifts/open?after=20261201T090000-1")
    assert "No open shifts you can take right now." in _step(client)
    # another URL root, nothing else: the filters' form and the nav's links
    assert 'action="/vol/me/shifts/open"' in _step(client, base_url="http://localhost/vol/")

    url_for = app.url_for

    def new_fingerprint(endpoint: str, **values):
        found = url_for(endpoint, **values)
        return f"{found}?v=2" if endpoint == "static" and values.get("filename") == "me.css" else found

    # the stylesheet changed (a development server): what views and templates call
    monkeypatch.setattr(app, "url_for", new_fingerprint)
    monkeypatch.setitem(app.jinja_env.globals, "url_for", new_fingerprint)
    assert re.search(r"me\.css[^\"]*\?v=2\"", _step(client))


def test_kept_page_is_not_served_over_a_flashed_message(world, client, auth, clock) -> None:
    clock.now = NOW
    shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    auth.login("ann@example.org")
    _page(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Left the waiting list.")]
    assert "Left the waiting list." in _text(client.get("/me/shifts/open"))
    assert "Left the waiting list." not in _text(client.get("/me/shifts/open"))  # shown once, as before


def test_kept_page_is_served_without_drawing_it_again(world, client, auth, clock, monkeypatch) -> None:
    clock.now = NOW
    shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    auth.login("ann@example.org")
    first = _text(client.get("/me/shifts/open"))
    drawn: list[str] = []
    monkeypatch.setattr(open_kept_page, "render_template", lambda name, **kw: drawn.append(name) or "")
    assert _text(client.get("/me/shifts/open")) == first
    assert drawn == []


def test_a_value_holding_the_mark_is_drawn_not_kept(world, client, auth, clock) -> None:
    clock.now = NOW
    shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    world.hall.name = "Hall \x01 east"
    _db.session.commit()
    auth.login("ann@example.org")
    page = _page(client)
    assert "Hall \x01 east" in page
    assert not open_kept_page.PAGES.texts()


@pytest.mark.parametrize("limit", ["KEPT_AT_MOST", "LONGEST"])
def test_kept_pages_are_bounded(world, client, auth, clock, monkeypatch, limit) -> None:
    clock.now = NOW
    shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    auth.login("ann@example.org")
    if limit == "KEPT_AT_MOST":
        monkeypatch.setattr(open_kept_page.PAGES, "at_most", 2)
    else:
        monkeypatch.setattr(open_kept_page, "LONGEST", 100)
    open_kept_page.forget()
    for weekday in range(4):
        _page(client, f"/me/shifts/open?weekday={weekday}")
        texts = open_kept_page.PAGES.texts()
        assert len(texts) <= 2 if limit == "KEPT_AT_MOST" else not texts


def _a_page_and_one_more(world, auth, clock) -> list:
    """A page of open shifts five hours apart and one more, and Ann signed in to see them."""
    clock.now = NOW
    shifts = [shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9) + timedelta(hours=5 * n))
              for n in range(PAGE_SIZE + 1)]
    _db.session.commit()
    auth.login("ann@example.org")
    return shifts


def test_kept_page_follows_whether_more_come_later(world, client, auth, clock) -> None:
    """A page and one more shift: the same page of rows, with or without the link to later shifts."""
    shifts = _a_page_and_one_more(world, auth, clock)
    assert "Later shifts" in _page(client)
    shifts[-1].status = "cancelled"
    _db.session.commit()
    assert "Later shifts" not in _step(client)


def test_kept_page_follows_whether_more_come_earlier(world, client, auth, clock) -> None:
    """Paging back: the same page of rows, with or without the link to earlier shifts."""
    shifts = _a_page_and_one_more(world, auth, clock)
    url = f"/me/shifts/open?before={encode_key((utc(2026, 12, 1, 9), 1))}"
    assert "Earlier shifts" in _page(client, url)
    shifts[0].status = "cancelled"
    _db.session.commit()
    assert "Earlier shifts" not in _step(client, url)


def test_a_page_too_long_to_keep_is_drawn_once_and_is_the_page(world, client, auth, clock, app,
                                                               monkeypatch) -> None:
    clock.now = NOW
    shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    auth.login("ann@example.org")
    open_kept_page.forget()
    kept = _text(client.get("/me/shifts/open"))
    monkeypatch.setattr(open_kept_page, "LONGEST", 100)
    open_kept_page.forget()
    drawn: list[str] = []

    def rendered(sender, template, context, **extra) -> None:
        drawn.append(template.name)

    template_rendered.connect(rendered, app)
    try:
        too_long = _text(client.get("/me/shifts/open"))
    finally:
        template_rendered.disconnect(rendered, app)
    assert too_long == kept and drawn.count("me/open.html") == 1
    assert not open_kept_page.PAGES.texts()
