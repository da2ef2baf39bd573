"""/people at an unchanged change mark (``core.change_marks``) serves the page kept at it: no rows read.

A view at the mark the page was made at is the page made afresh and reads no members; a write to the
organisation's data (through the ORM or as bare SQL) shows at once; each viewer (a coordinator limited to some
sites beside one who is not) and each day have pages of their own.
"""
from __future__ import annotations

from datetime import timedelta

from flask import g
from sqlalchemy import text

from tests.integration.rota.test_site_scope import areas
from tests.page_text import MADE_AT as _MADE_AT
from tests.page_text import TOKENS as _TOKENS
from tests.querycount import statements_run
from volunteers.people import kept_pages, views

__all__ = ["areas"]


def _view(client, url: str = "/people") -> tuple[str, list[str]]:
    g.__dict__.clear()  # the test's requests share one app context: each request's sign-in read its own
    with statements_run() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return _MADE_AT.sub("T", _TOKENS.sub("", response.get_data(as_text=True))), list(statements)


def _members_read(statements: list[str]) -> bool:
    return any(statement.lstrip().startswith("SELECT page.id") for statement in statements)


def _afresh(client, url: str = "/people") -> str:
    kept_pages.forget()
    page, statements = _view(client, url)
    assert _members_read(statements)
    return page


def test_a_view_at_the_same_mark_reads_no_members_and_is_the_page(client, auth, areas) -> None:
    auth.login("dora@surestart.example")
    for url in ("/people", "/people?sort=-name", "/people?q=ann"):
        first, _ = _view(client, url)
        kept, statements = _view(client, url)
        assert not _members_read(statements)
        assert kept == first == _afresh(client, url)


def test_a_write_to_the_organisation_shows_at_once(db, client, auth, areas) -> None:
    auth.login("dora@surestart.example")
    _view(client)
    _view(client)  # served at the mark
    db.session.execute(text("UPDATE people SET name = 'Ann Renamed' WHERE email = 'ann@example.org'"))
    db.session.commit()
    page, statements = _view(client)
    assert "Ann Renamed" in page and _members_read(statements)
    assert page == _afresh(client)


def test_each_viewer_and_day_has_a_page_of_its_own(client, auth, areas, clock, monkeypatch) -> None:
    # signing in writes to the organisation (the mark moves): hold it still, as between two viewers' requests
    monkeypatch.setattr(views.change_marks, "mark_to_keep_by", lambda *args: 7)
    auth.login("dora@surestart.example")  # no limit: every member
    assert "Ann Archer" in _view(client)[0]
    auth.logout()
    auth.login("gail@surestart.example")  # limited to Gateshead: Ann's place is in Sunderland
    page, statements = _view(client)
    assert "Ann Archer" not in page and _members_read(statements)
    clock.now = clock.now + timedelta(days=1)  # the badges are judged on the day
    assert _members_read(_view(client)[1])
