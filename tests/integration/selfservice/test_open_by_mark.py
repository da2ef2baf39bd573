"""/me/shifts/open served at its organisations' change marks (``selfservice.open_kept_page.BY_MARK``) is the page
made afresh, for as long as the clock lets it stand (``domain.open_steady``), and only for its own viewer."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from tests import at_mark
from tests.at_mark import same
from tests.factories import make_member, make_org, make_role, make_site, put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from tests.querycount import statements_run
from volunteers.extensions import db as _db
from volunteers.selfservice import open_kept_page
from volunteers.selfservice.open_pages import encode_key
from volunteers.selfservice.services import OPEN_SHIFT_DAYS

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT
WINDOW = timedelta(days=OPEN_SHIFT_DAYS)


@pytest.fixture(autouse=True)
def _none_kept(app):
    with app.app_context():
        open_kept_page.forget()


def view(client, url: str = "/me/shifts/open", orgs: int = 1) -> tuple[str, bool]:
    return at_mark.view(client, url, orgs)


def afresh(client, app, url: str = "/me/shifts/open", orgs: int = 1) -> str:
    return at_mark.afresh(app, open_kept_page.forget, lambda: view(client, url, orgs))


@pytest.fixture()
def ann(world, client, auth, clock):
    clock.now = NOW
    auth.login("ann@example.org")
    return world


@pytest.mark.parametrize("url", ["/me/shifts/open", "/me/shifts/open?weekday=1", "/me/shifts/open?role={shop}"])
def test_served_at_the_mark_is_the_page_made_afresh(ann, client, app, url) -> None:
    shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9))
    full = shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 10, 9), needed=1)  # a Tuesday too
    full.filled = 1
    _db.session.commit()
    url = url.format(shop=ann.shop.id)
    made, served_made = view(client, url)
    kept, served_kept = view(client, url)
    assert served_kept and not served_made
    assert same(kept) == same(made) == afresh(client, app, url)
    assert "Tue 3 Nov, 09:00–13:00" in kept and f"full-{full.id}" in kept


def test_a_write_from_elsewhere_shows_on_the_next_view(ann, client, app) -> None:
    shift = shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9), needed=1)
    shift.filled = 1
    _db.session.commit()
    before, _ = view(client)
    assert f"full-{shift.id}" in before and f"shift-{shift.id}" not in before
    with _db.engine.begin() as conn:  # not the app: a console, another worker
        conn.execute(text("UPDATE shifts SET needed = 2 WHERE id = :id"), {"id": shift.id})
    after, served = view(client)
    assert not served and f"shift-{shift.id}" in after
    assert same(after) == afresh(client, app)


def _at(client, clock, when) -> tuple[str, bool]:
    clock.now = when
    return view(client)


def test_a_shift_leaves_the_page_as_it_starts(ann, client, app, clock) -> None:
    starts = utc(2026, 11, 2, 10)
    shift = shift_at(ann.org, ann.shop, ann.hall, starts)
    _db.session.commit()
    view(client)
    page, served = _at(client, clock, starts - timedelta(microseconds=1))
    assert served and f"shift-{shift.id}" in page
    page, served = _at(client, clock, starts)
    assert not served and f"shift-{shift.id}" not in page
    assert same(page) == afresh(client, app)


def test_a_shift_comes_in_as_the_window_reaches_it(ann, client, app, clock) -> None:
    starts = NOW + WINDOW + timedelta(hours=3)
    shift = shift_at(ann.org, ann.shop, ann.hall, starts)
    _db.session.commit()
    page, _ = view(client)
    assert f"shift-{shift.id}" not in page
    page, served = _at(client, clock, starts - WINDOW)  # its start is the window's end: not in it yet
    assert not served and f"shift-{shift.id}" not in page
    page, served = _at(client, clock, starts - WINDOW + timedelta(seconds=1))
    assert not served and f"shift-{shift.id}" in page
    assert same(page) == afresh(client, app)


def test_a_shift_comes_in_as_it_is_published(ann, client, app, clock) -> None:
    shift = shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 10, 9))
    shift.published_at = NOW + timedelta(hours=1)
    _db.session.commit()
    page, _ = view(client)
    assert f"shift-{shift.id}" not in page
    page, served = _at(client, clock, NOW + timedelta(minutes=59))
    assert served and f"shift-{shift.id}" not in page
    page, served = _at(client, clock, NOW + timedelta(hours=1))
    assert not served and f"shift-{shift.id}" in page
    assert same(page) == afresh(client, app)


def test_a_clock_set_back_makes_the_page_again(ann, client, app, clock) -> None:
    shift = shift_at(ann.org, ann.shop, ann.hall, NOW - timedelta(minutes=30))
    _db.session.commit()
    page, _ = view(client)
    assert f"shift-{shift.id}" not in page  # begun
    page, served = _at(client, clock, NOW - timedelta(hours=1))
    assert not served and f"shift-{shift.id}" in page


def test_the_page_stands_until_the_next_local_midnight_with_nothing_else_to_cross(ann, client, app, clock) -> None:
    shift = shift_at(ann.org, ann.shop, ann.hall, NOW - timedelta(hours=1))  # begun: no start left to cross
    _db.session.commit()
    view(client)
    assert _at(client, clock, utc(2026, 11, 2, 23, 59))[1]
    page, served = _at(client, clock, utc(2026, 11, 3))  # Tue 3 Nov, 00:00 GMT
    assert not served and same(page) == afresh(client, app)
    assert f"shift-{shift.id}" not in page


def test_each_volunteer_is_served_their_own_page(ann, client, app) -> None:
    mine = shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9))
    put_on(mine, ann.bob)
    _db.session.commit()
    bob, = at_mark.signed_in(app, "bob@example.org")
    anns, _ = view(client)
    assert view(client)[1]
    bobs, served = view(bob)
    assert not served
    assert f"shift-{mine.id}" in anns and f"shift-{mine.id}" not in bobs  # Bob is on it already
    assert same(bobs) == afresh(bob, app)


def test_another_organisations_write_leaves_the_page_kept_and_a_second_membership_adds_its_mark(
        ann, client, app, auth) -> None:
    shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    view(client)
    other = make_world("elsewhere", prefix="x")
    _db.session.commit()
    assert view(client)[1]  # Ann is no member there: its mark is not hers
    org = make_org("second")
    role, site = make_role(org, "Café"), make_site(org, "Café")
    make_member(org, "ann@example.org", name="Ann")
    theirs = shift_at(org, role, site, utc(2026, 11, 5, 9))
    _db.session.commit()
    page, served = view(client, orgs=2)
    assert not served and f"shift-{theirs.id}" in page
    assert view(client, orgs=2)[1]
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE shifts SET needed = 3 WHERE id = :id"), {"id": theirs.id})
    page, served = view(client, orgs=2)
    assert not served and same(page) == afresh(client, app, orgs=2)
    assert other.org.id != org.id


def test_a_page_with_a_message_is_not_kept(ann, client, app) -> None:
    shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    view(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Signed up")]
    with statements_run() as statements:
        page = client.get("/me/shifts/open").get_data(as_text=True)
    assert "Signed up" in page and any("FROM shifts" in sql for sql in statements)  # neither served nor kept
    page, served = view(client)
    assert served and "Signed up" not in page


def test_the_pages_kept_at_the_marks_are_bounded(ann, client, app, monkeypatch) -> None:
    shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9))
    _db.session.commit()
    for day in range(open_kept_page.KEPT_AT_MOST + 3):
        view(client, f"/me/shifts/open?day=2026-11-{day % 28 + 1:02d}&weekday={day // 28}")
    with app.app_context():
        assert 0 < len(open_kept_page.BY_MARK.texts()) <= open_kept_page.KEPT_AT_MOST


def test_a_page_is_answered_and_kept_with_its_own_text_when_another_thread_keeps_another_meanwhile(
        ann, client, app, monkeypatch) -> None:
    """Two later pages of one viewer share the made-of store's key: another thread keeping its page there
    between this view's keeping and its answer must not become this view's answer, nor be kept at its marks."""
    shifts = [shift_at(ann.org, ann.shop, ann.hall, utc(2026, 11, 3, 9) + timedelta(hours=5 * n)) for n in range(40)]
    _db.session.commit()
    mine = "/me/shifts/open?after=" + encode_key((shifts[0].starts_at, shifts[0].id))
    theirs = "/me/shifts/open?after=" + encode_key((shifts[5].starts_at, shifts[5].id))
    view(client, theirs)
    with app.app_context():
        (their_key, their_text), = open_kept_page.PAGES.texts().items()
        open_kept_page.forget()
    keep = open_kept_page.PAGES.keep

    def keep_then_theirs_kept(key, made_of, text, tokens, *args, **kwargs):
        pieces = keep(key, made_of, text, tokens, *args, **kwargs)
        assert key == their_key  # the same viewer, filters, and not the first page
        open_kept_page.PAGES.texts()[key] = their_text
        return pieces

    monkeypatch.setattr(open_kept_page.PAGES, "keep", keep_then_theirs_kept)
    answered, _ = view(client, mine)
    monkeypatch.setattr(open_kept_page.PAGES, "keep", keep)
    again, served = view(client, mine)
    assert served
    assert same(answered) == same(again) == afresh(client, app, mine)
