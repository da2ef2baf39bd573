"""/me/shifts' text is kept between views (``selfservice.me_kept_page``) and served again only while it would come
out the same: each step below changes one input (a row, a membership, an organisation's settings, the clock),
and the page served must be the page made afresh (kept pages dropped) at every step."""
from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import g, template_rendered

from tests.factories import DEFAULT_PASSWORD, make_member, make_org, put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core import csrf_tokens
from volunteers.extensions import db as _db
from volunteers.selfservice import announcements, me_kept_page, swaps
from volunteers.selfservice.domain.announcements import Audience, Draft
from volunteers.wellbeing.models import LoadWarning

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT
#: what differs between two loads of the same page: the request's CSRF token and the time it was made
_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}")
_STAMP = re.compile(r'<meta name="rendered-at"[^>]*>|<time[^>]*>[^<]*</time>')


@pytest.fixture(autouse=True)
def _none_kept(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # put back after the test (see ``_sign_in``)
    with app.app_context():
        me_kept_page.forget()


def _sign_in(app, client, email: str) -> None:
    """Sign in (the tests' forms carry no token), then turn CSRF on: a page is kept only with its token, as in
    production."""
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True


def _text(response) -> str:
    assert response.status_code == 200
    return _STAMP.sub("", _TOKEN.sub("TOKEN", response.get_data(as_text=True)))


class Drawn:
    """Counts the renderings of ``me/shifts.html`` (a page served from the kept text renders nothing)."""

    def __init__(self, app) -> None:
        self.count = 0
        template_rendered.connect(self._seen, app)

    def stop(self, app) -> None:
        template_rendered.disconnect(self._seen, app)

    def _seen(self, sender, template, context, **extra) -> None:
        if template.name == "me/shifts.html":
            self.count += 1


def _fresh(client, **kw) -> str:
    """The page made afresh (the kept pages put back after)."""
    kept = dict(me_kept_page._kept())
    me_kept_page.forget()
    try:
        return _text(client.get("/me/shifts", **kw))
    finally:
        me_kept_page._kept().clear()
        me_kept_page._kept().update(kept)


def _step(client) -> str:
    """This step's page as served after the last step's kept page, and the same as the page made afresh; then
    served again (from the page kept by this step)."""
    served = _text(client.get("/me/shifts"))
    assert served == _fresh(client)
    assert _text(client.get("/me/shifts")) == served
    return served


def _kept_served(app, client) -> str:
    """The page, served from the kept text (nothing drawn)."""
    drawn = Drawn(app)
    page = _text(client.get("/me/shifts"))
    drawn.stop(app)
    assert drawn.count == 0
    return page


def test_kept_page_follows_every_row_and_setting(world, client, clock, app) -> None:
    clock.now = NOW
    first = put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9)), world.ann)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    page = _step(client)
    assert me_kept_page._kept() and "Nobody else is on yet." in page
    assert _kept_served(app, client) == page

    steps = [
        lambda: put_on(first.shift, world.bob),  # the others on it (a row per person)
        lambda: setattr(world.bob.person, "name", "Robert"),
        lambda: put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9)), world.ann),
        lambda: put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 10, 20, 9)), world.ann),  # recent
        lambda: setattr(world.shop, "name", "Shop <counter>"),
        lambda: setattr(world.hall, "name", "Hall & shop"),
        lambda: setattr(first, "status", "cancelled"),
        lambda: setattr(world.org, "settings", {**(world.org.settings or {}), "self_cancel_notice_hours": 12}),
        lambda: setattr(world.org, "name", "Tackley Village Shop"),
        # the load note from my week's hours (4 h): beyond a pledge of 2 h, not 3 h (short of 2 h over), but
        # beyond 3 h by my own tighter limit; none when the organisation switches the rule off. No finding is
        # stored (28 days: 8 h, not over 1.5 x the pledge): the note is the kept page's own
        lambda: setattr(world.ann, "pledged_hours_per_week", Decimal("2")),
        lambda: setattr(world.ann, "pledged_hours_per_week", Decimal("3")),
        lambda: setattr(world.ann, "limits", {"over_pledge": {"min_excess_hours": 0.5}}),
        lambda: setattr(world.org, "settings", {**(world.org.settings or {}),
                                                "load_policy": {"over_pledge": {"enabled": False}}}),
        lambda: setattr(world.org, "timezone", "America/New_York"),
        lambda: announcements.announce(world.org, world.coordinator, Draft(
            "Stock <take>", "Friday.\n\nBring tea.", Audience("everyone"), NOW + timedelta(days=7)), NOW),
        lambda: setattr(world.ann.person, "calendar_token", "t" * 40),
        lambda: make_member(make_org("surestart", "Sure Start"), "ann@example.org"),  # several organisations
        lambda: setattr(world.org, "name", "Tackley Shop"),  # now on each card's badge
    ]
    seen = [page]
    for change in steps:
        change()
        _db.session.commit()
        seen.append(_step(client))
    assert all(seen[i] != seen[i - 1] for i in range(1, len(seen)))  # every step changed the page
    assert me_kept_page._kept()  # kept, with the last step's rows
    notes = [page.count("beyond your") for page in seen[9:14]]
    assert notes == [0, 1, 0, 1, 0] and "beyond your 3 h" in seen[12]
    assert "Robert" in seen[2] and "webcal://" in seen[-3] and "Bring tea." in seen[-3]
    assert '<span class="badge org">Tackley Shop</span>' in seen[-1]


def test_kept_page_follows_the_clock(world, client, clock, app) -> None:
    """Served from the kept text only while no comparison with now changes: the cancelling cutoff, the start,
    the end, and the local date ("Today", "Tomorrow") across the clocks going back."""
    start = utc(2026, 10, 26, 9)  # Monday 26 Oct 2026 09:00 GMT; the clocks went back on Sunday 25th
    place = put_on(shift_at(world.org, world.shop, world.hall, start), world.ann)
    _db.session.commit()
    clock.now = utc(2026, 10, 24, 7)
    _sign_in(app, client, "ann@example.org")
    pages = {"early": _step(client)}
    assert "You can cancel yourself until Sat 24 Oct, 10:00." in pages["early"]  # 48 h: 09:00 GMT is 10:00 BST
    clock.now = utc(2026, 10, 24, 8, 59)
    assert _kept_served(app, client) == pages["early"]
    for name, now in [("late", utc(2026, 10, 24, 9, 0, 1)),  # past the cutoff (09:00 UTC)
                      ("sunday", utc(2026, 10, 24, 23, 30)),  # Sun 25th 00:30 BST
                      ("tomorrow", utc(2026, 10, 25, 0, 30)),  # 01:30 BST; then the clocks go back
                      ("tomorrow2", utc(2026, 10, 25, 23, 59)),  # 23:59 GMT
                      ("today", utc(2026, 10, 26, 0, 0, 1)),
                      ("on", start + timedelta(seconds=1)),
                      ("past", start + timedelta(hours=4, seconds=1))]:
        clock.now = now
        pages[name] = _step(client)
    assert "Within the notice period" in pages["late"] and "Within the notice period" not in pages["early"]
    assert "Tomorrow" not in pages["late"] and "Tomorrow" in pages["sunday"]
    assert pages["sunday"] == pages["tomorrow"] == pages["tomorrow2"] != pages["late"]
    assert "Today" in pages["today"] and "On now" in pages["on"] and "On now" not in pages["today"]
    assert f'id="place-{place.id}"' in pages["on"] and f'id="place-{place.id}"' not in pages["past"]
    clock.now = utc(2026, 10, 24, 9, 0)  # at the cutoff itself: still in time, and not kept
    at_cutoff = _step(client)
    assert "You can cancel yourself until" in at_cutoff
    assert at_cutoff == pages["early"]
    clock.now = utc(2026, 10, 24, 9, 0, 0, 1)  # just past it
    assert _step(client) == pages["late"]


def test_a_page_with_rarely_filled_parts_is_drawn_as_before(world, client, clock, app) -> None:
    clock.now = NOW
    place = put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 9, 9)), world.ann)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    _step(client)
    swaps.offer_place(world.org, world.ann, place.id, NOW)  # a pending offer on my place
    _db.session.commit()
    drawn = Drawn(app)
    page = _step(client)
    assert "You offered this shift to" in page
    assert drawn.count == 3  # drawn on every view


def test_each_volunteer_is_served_their_own_page(world, client, clock, app) -> None:
    clock.now = NOW
    shift = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9))
    put_on(shift, world.ann)
    put_on(shift, world.bob)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    ann = _step(client)
    _sign_in(app, client, "bob@example.org")
    bob = _step(client)
    assert "With Ann." in bob and "With Bob." in ann
    _sign_in(app, client, "ann@example.org")
    assert _kept_served(app, client) == ann


def test_other_organisations_kept_pages_are_never_served(client, clock, app, db) -> None:
    """Two volunteers of two organisations with the same shifts and names: each sees their own organisation's."""
    clock.now = NOW
    pages = []
    for slug in ("tackley", "surestart"):
        made = make_world(slug, prefix="" if slug == "tackley" else "ss-")
        put_on(shift_at(made.org, made.shop, made.hall, utc(2026, 11, 5, 9)), made.ann)
        _db.session.commit()
        _sign_in(app, client, made.ann.person.email)
        pages.append(_step(client))
    assert pages[0] != pages[1]


def test_a_page_kept_under_one_url_root_or_host_is_not_served_under_another(world, client, clock, app) -> None:
    clock.now = NOW
    put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9)), world.ann)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    _step(client)
    page = _text(client.get("/me/shifts", base_url="http://localhost/volunteers/"))  # the links' root
    assert 'href="/volunteers/me/shifts/open"' in page
    assert page == _fresh(client, base_url="http://localhost/volunteers/")
    world.ann.person.calendar_token = "t" * 40
    _db.session.commit()
    _step(client)
    page = _text(client.get("/me/shifts", base_url="http://example.org/"))  # the calendar feed's host
    assert "//example.org/calendar/" in page
    assert page == _fresh(client, base_url="http://example.org/")


def test_a_stored_finding_for_the_load_note_is_read_on_every_view(world, client, clock, app) -> None:
    """A page with a stored finding the load note may speak of is drawn as before: the finding is read by a
    statement whose rows the kept page does not compare."""
    clock.now = NOW
    put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9)), world.ann)
    _db.session.commit()  # (re-judged at this commit: the finding below is stored after)
    warning = LoadWarning(organisation_id=world.org.id, membership_id=world.ann.id, rule="consecutive_days",
                          episode_key="consecutive_days:2026-11-02", severity="warning", status="open",
                          window_start=utc(2026, 11, 2), window_end=utc(2026, 11, 8), episode_start=utc(2026, 11, 2),
                          episode_end=utc(2026, 11, 8), value=6, threshold=6, message="m", evidence={})
    _db.session.add(warning)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    assert "on duty 6 days in a row" in _step(client)
    warning.value = 7
    _db.session.commit()
    assert "on duty 7 days in a row" in _step(client)


def test_text_holding_the_token_or_its_mark_is_not_kept(world, client, clock, app, monkeypatch) -> None:
    """The page is split where the request's token goes: text typed in holding the token (a later request's
    token would replace it) or the mark standing for it is drawn afresh on every view."""
    clock.now = NOW
    put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9)), world.ann)
    _db.session.commit()
    _sign_in(app, client, "ann@example.org")
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/me/shifts").get_data(as_text=True))[1]
    announcements.announce(world.org, world.coordinator, Draft(
        "Note", f"Code {token}.", Audience("everyone"), NOW + timedelta(days=7)), NOW)
    _db.session.commit()
    first = client.get("/me/shifts").get_data(as_text=True)
    assert f"Code {token}." in first
    later = time.time() + 10
    monkeypatch.setattr(csrf_tokens.time, "time", lambda: later)  # a later second: another token
    g.pop("csrf_token", None)  # (the tests' requests share the test's app context, and so ``g``)
    again = client.get("/me/shifts").get_data(as_text=True)
    assert f"Code {token}." in again and again.count(token) == 1
    world.shop.name = "Shop\x01counter"
    _db.session.commit()
    assert "Shop\x01counter" in _step(client)


def test_the_store_is_bounded(world, client, clock, app, monkeypatch) -> None:
    """At most ``KEPT_AT_MOST`` pages (the oldest dropped); a page too long, or made of too many rows, not kept."""
    clock.now = NOW
    shift = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9), needed=3)
    for member in (world.ann, world.bob, world.cat):
        put_on(shift, member)
    _db.session.commit()
    monkeypatch.setattr(me_kept_page, "KEPT_AT_MOST", 2)
    for email in ("ann@example.org", "bob@example.org", "cat@example.org"):
        _sign_in(app, client, email)
        _step(client)
        assert len(me_kept_page._kept()) <= 2
    assert [key[0] for key in me_kept_page._kept()] == [world.bob.person_id, world.cat.person_id]
    me_kept_page.forget()
    monkeypatch.setattr(me_kept_page, "ROWS_AT_MOST", 2)  # Cat's place: a row for each of the three on it
    _step(client)
    assert not me_kept_page._kept()
    monkeypatch.setattr(me_kept_page, "ROWS_AT_MOST", 3)
    monkeypatch.setattr(me_kept_page, "LONGEST", 1000)
    _step(client)
    assert not me_kept_page._kept()
    monkeypatch.setattr(me_kept_page, "LONGEST", 100_000)
    _step(client)
    assert me_kept_page._kept()
