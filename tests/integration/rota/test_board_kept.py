"""The board's content kept between views (rota.board_kept): served again only while the rows it was made of are
unchanged, and always with the requester's own CSRF token."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from flask import g
from sqlalchemy import text

from tests.at_mark import marks_read
from tests.conftest import AuthActions
from tests.factories import make_shift, put_on
from tests.page_text import TOKENS
from tests.querycount import statements_run
from volunteers.core import change_marks
from volunteers.core.timeutil import local_date
from volunteers.people.models import Leave
from volunteers.rota import board_kept

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
META = re.compile(r'name="csrf-token" content="([^"]+)"')


def _monday(now: datetime) -> date:
    today = local_date(now, "Europe/London")
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def _board(client, url: str) -> str:
    return client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)


def test_a_kept_board_is_drawn_again_once_what_it_shows_changes(client, auth, db, rota, clock) -> None:
    monday = _monday(clock.now)
    shift = make_shift(rota.org, rota.role, rota.site, monday, needed=3)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    week, month = f"/rota?week={monday.isoformat()}", f"/rota?view=month&month={monday:%Y-%m}"
    for url in (week, month):
        assert "1/3" in _board(client, url) and _board(client, url) == _board(client, url)
    put_on(shift, rota.bob)  # a place taken
    db.session.commit()
    for url in (week, month):
        assert "2/3" in _board(client, url) and "1/3" not in _board(client, url)
    rota.role.name = "Shop floor"  # the role renamed
    db.session.commit()
    for url in (week, month):
        assert "Shop floor" in _board(client, url)
    rota.ann.person.name = "Ann Archer-Smith"  # a holder renamed: the week names them
    db.session.commit()
    assert "Ann Archer-Smith" in _board(client, week)


def test_leave_declared_after_a_board_was_kept_shows(client, auth, db, rota, clock) -> None:
    monday = _monday(clock.now)
    shift = make_shift(rota.org, rota.role, rota.site, monday, time(9), time(13), needed=2)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    week, month = f"/rota?week={monday.isoformat()}", f"/rota?view=month&month={monday:%Y-%m}"
    assert "is away" not in _board(client, week) and "is away" not in _board(client, month)
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.ann.id, starts_on=monday,
                         ends_on=monday + timedelta(days=2)))
    db.session.commit()
    assert "is away" in _board(client, week) and "is away" in _board(client, month)


def test_a_kept_board_carries_each_requester_s_own_token(app, client, auth, db, rota, clock) -> None:
    monday = _monday(clock.now)
    make_shift(rota.org, rota.role, rota.site, monday, needed=2)
    db.session.commit()
    url = f"/rota?week={monday.isoformat()}"
    tokens = []
    other = app.test_client()
    for each, signing_in in ((client, auth), (other, AuthActions(other))):  # two sessions
        signing_in.login("coordinator@tackley.example")
        for headers in ({}, {"HX-Request": "true"}, {}):  # all but the first view are the kept content
            body = each.get(url, headers=headers).get_data(as_text=True)
            found = set(TOKEN.findall(body))
            assert len(found) == 1 and board_kept.TOKEN_MARK not in body
            tokens.append(found.pop())
            if not headers:  # the page's own (base.html's) token, drawn afresh: the same
                meta = META.search(body)
                assert meta is not None and meta.group(1) == tokens[-1]
    assert len(set(tokens[:3])) == 1 and len(set(tokens[3:])) == 1
    kept = board_kept.BOARDS.texts()
    assert kept and all(token not in piece for entry in kept.values() for piece in entry.pieces for token in tokens)
    assert all(len(entry.pieces) == 3 for entry in kept.values())  # split where the board's two forms' tokens go


def _statements_after_signing_in(client, url: str) -> tuple[str, list[str]]:
    """The board, and the statements of its view after the mark's (read first, with the sign-in read, on every
    view)."""
    g.__dict__.clear()  # the test's requests share one app context: each request's sign-in read its own
    with statements_run() as statements:
        body = _board(client, url)
    return TOKENS.sub("", body), statements[marks_read(statements) + 1:]  # each view's own CSRF token masked


def test_a_board_kept_at_the_organisations_mark_runs_none_of_its_statements(client, auth, db, rota, clock) -> None:
    monday = _monday(clock.now)
    shift = make_shift(rota.org, rota.role, rota.site, monday, needed=3)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    for url in (f"/rota?week={monday.isoformat()}", f"/rota?view=month&month={monday:%Y-%m}"):
        made, made_statements = _statements_after_signing_in(client, url)
        kept, kept_statements = _statements_after_signing_in(client, url)
        assert made_statements and kept_statements == [] and kept == made
        with db.engine.begin() as conn:  # a write from outside the app (a console, another worker)
            conn.execute(text("UPDATE shifts SET needed = 4 WHERE id = :id"), {"id": shift.id})
        again, again_statements = _statements_after_signing_in(client, url)
        assert again_statements and "1/4" in again and "1/3" not in again
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE shifts SET needed = 3 WHERE id = :id"), {"id": shift.id})


def test_a_board_kept_at_a_mark_is_made_again_on_the_next_local_date(client, auth, db, rota, clock) -> None:
    monday = _monday(clock.now) - timedelta(days=7)  # this week: today is on it
    make_shift(rota.org, rota.role, rota.site, monday, needed=3)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    url = f"/rota?week={monday.isoformat()}"
    first, _ = _statements_after_signing_in(client, url)
    assert _statements_after_signing_in(client, url)[1] == []
    clock.now += timedelta(days=1)
    following, statements = _statements_after_signing_in(client, url)
    assert statements and following != first


def test_a_change_to_the_organisation_between_signing_in_and_the_mark_is_never_served_late(
        client, auth, db, rota, clock, app, monkeypatch) -> None:
    """The sign-in read loads the organisation before the mark is read: a board made of its old settings under
    the mark after their change is never found by a view that loaded the new ones (change_marks.as_loaded)."""
    clock.now = datetime(2027, 11, 25, 10, 0, tzinfo=UTC)  # the week of St Andrew's Day (Tue 30 Nov 2027)
    make_shift(rota.org, rota.role, rota.site, date(2027, 11, 30))
    db.session.commit()
    auth.login("coordinator@tackley.example")
    org_id, real, changed = rota.org.id, change_marks.mark_to_keep_by, []

    def changing_first(session, table, org, known=None):
        # the mark read in a statement of its own (as where the sign-in read brought none), not the sign-in read's
        if not changed:  # another worker's commit, just before this view's mark is read
            changed.append(True)
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE organisations SET settings = :s WHERE id = :i"),
                             {"s": '{"bank_holiday_nation": "SCT"}', "i": org_id})
        return real(session, table, org)

    monkeypatch.setattr(change_marks, "mark_to_keep_by", changing_first)
    url = "/rota?week=2027-11-29"
    pages = []
    for _ in range(2):
        g.__dict__.clear()  # each request its own g and objects, as in production (the test's context outlives them)
        db.session.expire_all()
        pages.append(client.get(url).get_data(as_text=True))
    assert "Andrew" not in pages[0] and "Andrew" in pages[1]
