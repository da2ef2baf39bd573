"""/warnings at an unchanged change mark (``core.change_marks``) reuses the rows read at it: no page statement.

A view at the mark the page's rows were read at serves the page without reading them, and is the page made
afresh; any write to the organisation's data (through the ORM or as bare SQL) shows at once; each viewer
(a coordinator limited to some sites beside one who is not) has rows of their own.
"""
from __future__ import annotations

from flask import g
from sqlalchemy import text, update

from tests.integration.rota.test_site_scope import areas
from tests.integration.wellbeing.test_kept_page import nights
from tests.integration.wellbeing.test_site_scope_warnings import warned
from tests.page_text import MADE_AT as _MADE_AT
from tests.page_text import TOKENS as _TOKENS
from tests.querycount import statements_run
from volunteers.people.models import Person
from volunteers.wellbeing import kept_page, views

__all__ = ["areas", "nights", "warned"]


def _view(client, url: str = "/warnings") -> tuple[str, list[str]]:
    g.__dict__.clear()  # the test's requests share one app context: each request's sign-in read its own
    with statements_run() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return _MADE_AT.sub("T", _TOKENS.sub("", response.get_data(as_text=True))), list(statements)


def _page_read(statements: list[str]) -> bool:
    return any(statement.lstrip().startswith("SELECT load_warnings.id") for statement in statements)


def _afresh(client, url: str = "/warnings") -> str:
    kept_page.forget()
    page, statements = _view(client, url)
    assert _page_read(statements)
    return page


def test_a_view_at_the_same_mark_reads_no_rows_and_is_the_page(client, auth, nights) -> None:
    auth.login("janet@example.org")
    for url in ("/warnings", "/warnings?severity=warning"):
        first, statements = _view(client, url)
        kept, again = _view(client, url)
        assert not _page_read(again) and len(again) < len(statements) + 1
        assert kept == first == _afresh(client, url)


def test_a_write_to_the_organisation_shows_at_once(db, client, auth, nights) -> None:
    auth.login("janet@example.org")
    _view(client)
    _view(client)  # served at the mark
    db.session.execute(update(Person).where(Person.email == "leanne@example.org").values(name="Leanne Renamed"))
    db.session.commit()
    page, statements = _view(client)
    assert "Leanne Renamed" in page and _page_read(statements)
    assert page == _afresh(client)
    _view(client)
    db.session.execute(text("UPDATE load_warnings SET message = 'Told by bare SQL' WHERE severity = 'warning'"))
    db.session.commit()
    page, statements = _view(client)
    assert "Told by bare SQL" in page and _page_read(statements)
    assert page == _afresh(client)


def test_each_viewer_has_rows_of_their_own(client, auth, areas, warned, monkeypatch) -> None:
    # signing in writes to the organisation (the mark moves): hold it still, as between two viewers' requests
    monkeypatch.setattr(views.change_marks, "mark_to_keep_by", lambda *args: 7)
    auth.login("dora@surestart.example")  # no limit: every warning
    assert "Ann Archer" in _view(client)[0]
    auth.logout()
    auth.login("gail@surestart.example")  # limited to Gateshead
    page, statements = _view(client)
    assert "Bea Gateshead" in page and "Ann Archer" not in page and _page_read(statements)
