"""/warnings' content kept between views (``wellbeing.kept_page``) is the content made afresh, for every change.

Each test views the page twice (made, then kept) after a change and compares it with the page made with
nothing kept: an acknowledged or snoozed warning, a snooze that ends, an episode leaving its reported weeks,
a rota write (the figures), another organisation, the request's own CSRF token. Run against the in-process
store and, when ``TEST_REDIS_URL`` names one, a Redis.
"""
from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select, update

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from tests.integration.wellbeing.conftest import MONDAY, NOW, commit_behind_the_scan
from tests.page_text import TOKENS as _TOKENS
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing import kept_page
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.scan import REPORT_DAYS
from volunteers.wellbeing.services import scan


@pytest.fixture()
def nights(db, helpline, member, clock, cached):
    """Leanne with three helpline nights this week and Sam with a week of shop days, scanned; Janet coordinates;
    Pat with a few mornings, unwarned.

    Tackley beside it: Olive coordinates Tom, with nights of his own.
    """
    clock.now = NOW
    member("janet@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=6)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    sam = member("sam@example.org", pledge=2)
    for k in range(6):
        helpline.place(sam, MONDAY - timedelta(days=6) + timedelta(days=k), "09:00", "17:00")
    pat = member("pat@example.org")  # no warning: only in the figures
    helpline.weekly(pat, MONDAY - timedelta(weeks=5), 3, "09:00", "12:00")
    helpline.place(pat, MONDAY + timedelta(days=1), "09:00", "12:00")  # tomorrow: enters the figures as it starts
    other = make_org("tackley", "Tackley")
    make_member(other, "olive@example.org", role="coordinator")
    tom = make_member(other, "tom@example.org")
    on_call = make_role(other, "Night line", on_call=True)
    site = make_site(other)
    for k in range(3):
        put_on(make_shift(other, on_call, site, MONDAY + timedelta(days=2 + k), time(23), time(7)), tom)
    scan(helpline.org, NOW)
    scan(other, NOW)
    db.session.commit()
    return helpline, other, pat


def _people(html: str) -> list[str]:
    return re.findall(r'<h3 id="person-\d+-name">([^<]+)</h3>', html)


def _view(client, url: str = "/warnings") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKENS.sub("", response.get_data(as_text=True))


@pytest.fixture()
def afresh(client, monkeypatch):
    """The page as the view makes it with nothing kept: its content neither found nor kept for this view."""
    from volunteers.wellbeing import views

    def view(email: str, url: str = "/warnings") -> str:
        with monkeypatch.context() as patch:
            patch.setattr(views, "kept_content", lambda *args: None)
            patch.setattr(views.kept_page, "content_by_mark", lambda *args: None)
            patch.setattr(views, "keep", lambda *args: None)  # made again with the token, as for refused forms
            return _view(client, url)
    return view


def _same_made_and_kept(client, afresh, email: str = "janet@example.org", url: str = "/warnings") -> str:
    """The page twice (the second from what the first kept, or made again when it must) and made afresh."""
    first, second = _view(client, url), _view(client, url)
    fresh = afresh(email, url)
    assert first == fresh and second == fresh
    return fresh


def test_a_kept_page_is_the_page_made_afresh_for_each_severity(client, auth, nights, afresh) -> None:
    auth.login("janet@example.org")
    for url in ("/warnings", "/warnings?severity=warning", "/warnings?severity=notice", "/warnings?severity=x"):
        _same_made_and_kept(client, afresh, url=url)
    assert client.application.extensions[kept_page._EXTENSION], "nothing was kept"


def test_the_kept_page_carries_each_request_s_own_token(client, auth, nights) -> None:
    auth.login("janet@example.org")
    for _ in range(2):
        html = client.get("/warnings").get_data(as_text=True)
        header = re.search(r'csrf-token" content="([^"]+)"', html)
        forms = set(re.findall(r'csrf_token" value="([^"]+)"', html))
        assert header and forms == {header.group(1)}
        assert kept_page.TOKEN_MARK not in html


def test_acknowledging_and_snoozing_show_at_once(db, client, auth, nights, afresh) -> None:
    auth.login("janet@example.org")
    before = _same_made_and_kept(client, afresh)
    first, second = db.session.scalars(select(LoadWarning.id).order_by(LoadWarning.id)).all()[:2]
    assert client.post(f"/warnings/{first}/acknowledge", data={f"ack{first}-note": "Talked"},
                       follow_redirects=True).status_code == 200  # the flash shown
    acknowledged = _same_made_and_kept(client, afresh)
    assert acknowledged != before and "Talked" in acknowledged
    until = (NOW + timedelta(days=2)).date().isoformat()
    assert client.post(f"/warnings/{second}/snooze", data={f"snooze{second}-until": until},
                       follow_redirects=True).status_code == 200
    assert "snoozed until" in _same_made_and_kept(client, afresh)


def _instants(db) -> list:
    """Where the page's comparisons with now flip: each snooze's end, each episode's start, end and the end
    of its four reported weeks."""
    rows = db.session.execute(select(LoadWarning.episode_start, LoadWarning.episode_end,
                                     LoadWarning.snoozed_until)).all()
    return sorted({t for start, end, until in rows for t in (start, end, end + REPORT_DAYS, until) if t})


def test_the_page_moves_with_the_clock_past_each_flip(db, client, auth, nights, afresh, clock) -> None:
    """A minute before each such instant, at it and a minute after (the kept figures still true): kept or
    made, the same page; and some instants change it."""
    auth.login("janet@example.org")
    second = db.session.scalars(select(LoadWarning.id).order_by(LoadWarning.id)).all()[1]
    until = (NOW + timedelta(days=2)).date().isoformat()
    client.post(f"/warnings/{second}/snooze", data={f"snooze{second}-until": until}, follow_redirects=True)
    changed = 0
    for at in _instants(db):
        pages = []
        for now in (at - timedelta(minutes=1), at, at + timedelta(minutes=1)):
            clock.now = now
            pages.append(_same_made_and_kept(client, afresh))
        changed += pages[0] != pages[-1]
    assert changed >= 2  # the snooze's end and a card leaving its reported weeks at least


def test_a_rota_write_shows_in_the_figures_at_once(db, client, auth, nights, afresh) -> None:
    """Pat's places cancelled: the figures change, and neither the warnings nor the warned people's hours."""
    auth.login("janet@example.org")
    before = _same_made_and_kept(client, afresh)
    db.session.execute(update(Assignment).where(Assignment.membership_id == nights[2].id).values(status="cancelled"))
    commit_behind_the_scan(db)
    after = _same_made_and_kept(client, afresh)
    assert after != before and _people(after) == _people(before)


def test_a_place_starting_shows_in_the_figures_at_once(db, client, auth, nights, afresh, clock) -> None:
    """Pat's place of tomorrow enters the 90 days as it starts: the figures change, though no row was written
    and the warned people's kept hours still hold."""
    start = db.session.scalar(select(func.min(Shift.starts_at)).join(Assignment, Assignment.shift_id == Shift.id)
                              .where(Assignment.membership_id == nights[2].id, Shift.starts_at > NOW))
    auth.login("janet@example.org")
    clock.now = start - timedelta(minutes=1)
    before = _same_made_and_kept(client, afresh)
    clock.now = start + timedelta(minutes=1)
    after = _same_made_and_kept(client, afresh)
    assert after != before and _people(after) == _people(before)


def test_each_organisation_sees_only_its_own_kept_page(db, client, auth, nights, afresh) -> None:
    auth.login("janet@example.org")
    janet = _same_made_and_kept(client, afresh)
    auth.logout()
    auth.login("olive@example.org")
    olive = _same_made_and_kept(client, afresh, "olive@example.org")
    assert _people(olive) == ["Tom"] and "Tom" not in _people(janet) and "Leanne" in _people(janet)


def test_content_kept_for_one_organisation_is_never_served_to_another(app, nights) -> None:
    helpline, other, _ = nights

    def served(key: str, org_id: int, rows: list) -> bytes | None:
        found = kept_page.kept_content((key,), org_id, rows, NOW, None, None, {})
        return None if found is None else b"U".join(found.pieces)

    with app.test_request_context():
        rows = [(1, "a")]
        made = kept_page.keep(("k",), helpline.org.id, rows, NOW, set(), "a\x01b", 1, None, None, {})
        assert b"T".join(made.pieces) == b"aTb"
        assert served("k", helpline.org.id, [(1, "a")]) == b"aUb"
        assert served("k", other.id, rows) is None
        assert served("k", helpline.org.id, [(1, "b")]) is None
        # typed-in text holding the mark is not kept, and the caller makes it again
        assert kept_page.keep(("m",), helpline.org.id, rows, NOW, set(), "a\x01b\x01", 1, None, None, {}) is None
        assert served("m", helpline.org.id, rows) is None
        kept_page.forget()


def test_a_note_holding_the_mark_is_shown_as_typed(db, client, auth, nights, afresh) -> None:
    auth.login("janet@example.org")
    first = db.session.scalars(select(LoadWarning.id).order_by(LoadWarning.id)).first()
    note = f"odd{kept_page.TOKEN_MARK}note"
    assert client.post(f"/warnings/{first}/acknowledge", data={f"ack{first}-note": note},
                       follow_redirects=True).status_code == 200
    html = _same_made_and_kept(client, afresh)
    assert note in html


def test_the_rows_compared_as_the_driver_gave_them_type_as_the_core_read_does(db, nights) -> None:
    """``driver_rows`` reads the cursor unconverted; typed, its rows are the Core read's, value and type."""
    from volunteers.extensions import db as database
    from volunteers.people.models import Membership
    from volunteers.rota import site_scope
    from volunteers.wellbeing.queries import _page_statement, driver_rows

    for membership in database.session.scalars(select(Membership).order_by(Membership.id)):
        connection = database.session.connection()
        statement = _page_statement(membership.role, connection.dialect.name == "sqlite")
        core = [tuple(row) for row in connection.execute(
            statement, {"org_id": membership.organisation_id, **site_scope.viewer_params(membership)})]
        typed = driver_rows(membership.organisation, membership).typed()
        assert typed == core
        assert [[type(value) for value in row] for row in typed] == [[type(value) for value in row] for row in core]
    assert core, "no warning read"


def test_the_rows_type_as_the_core_read_does_with_the_columns_type_codes_kept(db, nights, monkeypatch) -> None:
    """The columns' type codes are read from the cursor once per statement text and kept: typed rows of later
    reads are still the Core read's, value and type (on PostgreSQL the codes pick the instants' conversions)."""
    from volunteers.core import compiled_sql
    from volunteers.extensions import db as database
    from volunteers.people.models import Membership
    from volunteers.rota import site_scope
    from volunteers.wellbeing import queries

    monkeypatch.setattr(compiled_sql, "_CODES", {})
    for membership in database.session.scalars(select(Membership).order_by(Membership.id)):
        connection = database.session.connection()
        shape = (membership.role, connection.dialect.name == "sqlite")
        assert compiled_sql.compiled(queries._page_statement, shape, connection.dialect) is not None  # not execute
        statement = queries._page_statement(*shape)
        core = [tuple(row) for row in connection.execute(
            statement, {"org_id": membership.organisation_id, **site_scope.viewer_params(membership)})]
        for _ in range(2):
            typed = queries.driver_rows(membership.organisation, membership).typed()
            assert typed == core
            assert [[type(v) for v in row] for row in typed] == [[type(v) for v in row] for row in core]
    assert compiled_sql._CODES and all(len(codes) == len(queries._PAGE_COLUMNS)
                                       for codes in compiled_sql._CODES.values())
