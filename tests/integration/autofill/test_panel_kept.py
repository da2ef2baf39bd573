"""The shift panel kept under its organisation's change mark is the panel made afresh (autofill.panel_kept)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import g
from sqlalchemy import text

from tests.at_mark import marks_read
from tests.factories import DEFAULT_PASSWORD, make_member, make_org, make_shift, make_site, put_on
from tests.page_text import TOKENS
from tests.querycount import statements_run
from volunteers.autofill import panel_kept, panel_views
from volunteers.autofill.panel_views import _holds
from volunteers.autofill.ranking import CandidateList
from volunteers.rota.models import CoordinatorSite

HX = {"HX-Request": "true"}
NOW = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)  # a Monday morning in winter
DAY = date(2027, 1, 20)
TOKEN = re.compile(r'(name="csrf_token" type="hidden" value="|name="csrf_token" value="|content=")[^"]*"')


def same_but_tokens(page: str) -> str:
    """The page with every CSRF token masked (its timestamp moves with the second: each view makes its own)."""
    return TOKENS.sub("", TOKEN.sub(r'\1"', page))


@pytest.fixture()
def panel(rota, auth, db, clock, app, monkeypatch):
    """A shift with a gap, Ann on it, the coordinator signed in, forms checking CSRF as in production."""
    clock.now = NOW
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=2)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context():
        panel_kept.forget()
    return rota, shift


def view(client, url: str, headers: dict[str, str] | None = None) -> tuple[str, bool]:
    """The page, and whether it was served kept: the sign-in read (which reads the mark) and nothing else."""
    g.__dict__.clear()  # the test's requests share one app context: each request's sign-in read its own
    with statements_run() as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    return response.get_data(as_text=True), marks_read(statements) == len(statements) - 1  # read on every view


@pytest.mark.parametrize("query", ["", "?all=1", "?more=1", "?all=1&more=1"])
@pytest.mark.parametrize("headers", [{}, HX])
def test_a_kept_panel_is_the_panel_made_afresh(client, panel, app, query, headers) -> None:
    _, shift = panel
    url = f"/rota/shifts/{shift.id}{query}"
    made, made_kept = view(client, url, headers)
    kept, served_kept = view(client, url, headers)
    assert served_kept and not made_kept
    with app.app_context():
        panel_kept.forget()
    afresh, _ = view(client, url, headers)
    assert same_but_tokens(kept) == same_but_tokens(afresh) == same_but_tokens(made)
    assert "Bob Baker" in kept and "Who could take it" in kept
    assert ("<html" in kept) is (headers == {})


def test_the_kept_panels_token_is_the_requests_own(client, panel) -> None:
    rota, shift = panel
    view(client, f"/rota/shifts/{shift.id}", HX)
    kept, served_kept = view(client, f"/rota/shifts/{shift.id}", HX)
    assert served_kept
    tokens = set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', kept))
    assert len(tokens) == 1 and panel_kept.TOKEN_MARK not in kept
    response = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id,
                                                                   "csrf_token": tokens.pop()}, headers=HX)
    assert response.status_code == 200 and "Bob Baker is on the shift." in response.get_data(as_text=True)


def test_a_write_from_anywhere_makes_the_panel_again(client, panel, db) -> None:
    rota, shift = panel
    url = f"/rota/shifts/{shift.id}"
    view(client, url, HX)
    assert view(client, url, HX)[1]
    with db.engine.begin() as conn:  # not the app: a console, another worker
        conn.execute(text("UPDATE people SET name = 'Robert Baker' WHERE id = :id"), {"id": rota.bob.person_id})
    page, served_kept = view(client, url, HX)
    assert "Robert Baker" in page and "Bob Baker" not in page and not served_kept
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE shifts SET notes = 'Bring the float' WHERE id = :id"), {"id": shift.id})
    db.session.expire_all()  # the test's session (the requests' here) still holds the shift it loaded
    page, served_kept = view(client, url, HX)
    assert not served_kept
    assert "Bring the float" in page
    client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id,
                                                        "csrf_token": _token(client, url)}, headers=HX)
    page, _ = view(client, url, HX)
    assert "2/2 filled" in page and "This shift is full" in page


def _token(client, url: str) -> str:
    page, _ = view(client, url, HX)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_the_panel_is_made_again_once_the_shift_has_ended(client, panel, clock) -> None:
    _, shift = panel
    url = f"/rota/shifts/{shift.id}"
    assert "Who could take it" in view(client, url, HX)[0]
    clock.now = shift.ends_at + timedelta(minutes=1)
    page, _ = view(client, url, HX)
    assert "Who could take it" not in page and "Change or cancel" not in page


def test_a_kept_panel_serves_only_inside_its_interval_and_local_date(client, panel, app, clock, db) -> None:
    rota, shift = panel
    # Bob works later today: his would-be warnings hold until that shift starts (worked from then, not planned)
    today = make_shift(rota.org, rota.role, rota.site, NOW.date(), time(12), time(15), needed=1)
    put_on(today, rota.bob)
    db.session.commit()
    url = f"/rota/shifts/{shift.id}"
    view(client, url, HX)
    with app.app_context():
        (entry,) = panel_kept._kept().values()
    assert entry.after < NOW.timestamp() < entry.before <= today.starts_at.timestamp()
    clock.now = datetime.fromtimestamp(entry.before, UTC) - timedelta(seconds=1)
    assert view(client, url, HX)[1]
    clock.now = datetime.fromtimestamp(entry.before, UTC) + timedelta(milliseconds=500)
    assert not view(client, url, HX)[1]
    clock.now = NOW + timedelta(days=1)  # the next local date: the would-be warnings count days
    assert not view(client, url, HX)[1]


def test_holds_is_where_the_shifts_end_and_the_candidates_warnings_allow() -> None:
    shift = type("S", (), {"ends_at": datetime(2027, 1, 20, 13, tzinfo=UTC)})()
    listing = CandidateList(shift, None, [], [], steady=(100.0, 2e9))  # type: ignore[arg-type]
    assert _holds(shift, listing, NOW) == (100.0, shift.ends_at.timestamp())
    assert _holds(shift, None, NOW) == (float("-inf"), shift.ends_at.timestamp())
    assert _holds(shift, None, shift.ends_at) == (shift.ends_at.timestamp(), float("inf"))
    assert _holds(shift, CandidateList(shift, None, [], [], steady=None), NOW) is None  # type: ignore[arg-type]


def test_another_viewer_and_another_organisation_are_never_served_it(client, panel, db, app, monkeypatch) -> None:
    rota, shift = panel
    url = f"/rota/shifts/{shift.id}"
    # a coordinator limited to another site (the shift is not theirs to see), and another organisation's
    elsewhere = make_site(rota.org, "Church hall")
    lead = make_member(rota.org, "lead@tackley.example", role="coordinator", name="Lee Limited")
    db.session.add(CoordinatorSite(organisation_id=rota.org.id, membership_id=lead.id, site_id=elsewhere.id))
    other = make_org("elsewhere", "Elsewhere")
    make_member(other, "boss@elsewhere.example", role="coordinator")
    db.session.commit()
    # each request its own ``g``, as in production (here the test's app context, and so ``g``, outlives them)
    fresh_g = g.__dict__.clear
    others = []
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the sign-in form's token is not the point
    for email in ("lead@tackley.example", "boss@elsewhere.example"):
        others.append(app.test_client())
        fresh_g()
        assert others[-1].post("/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    fresh_g()
    view(client, url, HX)  # made at the mark after everyone signed in
    fresh_g()
    assert view(client, url, HX)[1]
    for other_client in others:
        fresh_g()
        assert other_client.get(url, headers=HX).status_code == 404
    fresh_g()
    assert view(client, url, HX)[1]  # still kept: nothing changed


def test_an_undo_offer_and_flashed_messages_are_never_kept_or_served(client, panel, app) -> None:
    rota, shift = panel
    url = f"/rota/shifts/{shift.id}"
    view(client, url)
    response = client.post(f"/rota/shifts/{shift.id}/assign",
                            data={"membership_id": rota.bob.id, "csrf_token": _token(client, url)})
    assert response.status_code == 302 and "undo=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bob Baker is on the shift." in page and "Undo" in page
    with app.app_context():
        assert all(entry.mark is not None for entry in panel_kept._kept().values())
    again, _ = view(client, url)
    assert "Bob Baker is on the shift." not in again and "Undo" not in again


def test_a_page_with_flashed_messages_is_never_kept_or_served(client, panel) -> None:
    _, shift = panel
    url = f"/rota/shifts/{shift.id}"
    token = _token(client, url)
    response = client.post(f"/rota/shifts/{shift.id}/needed", data={"needed": "3", "csrf_token": token})
    assert response.status_code == 302
    assert "Saved." in client.get(response.headers["Location"]).get_data(as_text=True)
    page, _ = view(client, url)
    assert "Saved." not in page and 'value="3"' in page
    assert "Saved." not in view(client, url)[0]


def test_at_most_so_many_panels_are_kept(client, panel, app, db, monkeypatch) -> None:
    rota, _ = panel
    monkeypatch.setattr(panel_kept, "KEPT_AT_MOST", 2)
    shifts = [make_shift(rota.org, rota.role, rota.site, DAY + timedelta(days=n), time(9), time(12))
              for n in range(1, 4)]
    db.session.commit()
    for shift in shifts:
        view(client, f"/rota/shifts/{shift.id}", HX)
        with app.app_context():
            assert 1 <= len(panel_kept._kept()) <= 2


@pytest.mark.parametrize("extra", [{"message": "Saved."}, {"error": "Full."}])
def test_a_panel_answering_something_is_never_kept(panel, app, extra) -> None:
    """POST answers render the panel with a message, an error, an undo offer or a question: never kept."""
    rota, shift = panel
    with app.test_request_context(f"/rota/shifts/{shift.id}", headers=HX):
        slot = panel_kept.Slot(("a test's key",), 1, NOW, partial=True)
        answered = panel_views.panel(rota.org, shift, now=NOW, slot=slot, **extra)
        assert next(iter(extra.values())) in answered.get_data(as_text=True)
        assert ("a test's key",) not in panel_kept._kept()
        panel_views.panel(rota.org, shift, now=NOW, slot=slot)
        assert ("a test's key",) in panel_kept._kept()
