"""Views of pages served at their organisations' change marks (``core.change_marks``), for the tests of each page:
whether a view was served at the marks, and the page with what differs between two draws masked."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.conftest import AuthActions
from tests.factories import DEFAULT_PASSWORD
from tests.page_text import MADE_AT, TOKENS
from tests.querycount import statements_run
from volunteers.extensions import db


def same(page: str) -> str:
    """The page with its CSRF token and the time its top was made masked."""
    return MADE_AT.sub("", TOKENS.sub("", page))


def signed_in(app: Flask, *emails: str, password: str = DEFAULT_PASSWORD) -> list[FlaskClient]:
    """A client signed in as each of ``emails``. Sign everyone in before the views a test compares: signing in
    writes the person's last login, which changes their organisations' marks. ``g`` is cleared before each sign-in:
    the test's requests share one app context."""
    clients = []
    for email in emails:
        clients.append(app.test_client())
        g.__dict__.clear()
        AuthActions(clients[-1]).login(email, password)
    return clients


def marks_read(statements: list[str]) -> int:
    """Where the organisations' change marks were read among a request's ``statements``: in the sign-in read, the
    request's first statement, with the viewer's memberships (``people.sessions.signed_in``), and nowhere else."""
    read = [n for n, sql in enumerate(statements) if "organisation_changes" in sql]
    assert read == [0], read
    return 0


def view(client: FlaskClient, url: str, marks: int = 1, status: int = 200) -> tuple[str, bool]:
    """The page, and whether it was served at the marks: the sign-in read (which reads them) and nothing else.

    ``marks``: the organisations whose marks the sign-in read brought (the viewer's); 0 for a page never kept
    (never served). ``g`` is cleared first: the test's requests share one app context, and each request's sign-in
    read must be its own.
    """
    g.__dict__.clear()
    with statements_run() as statements:
        response = client.get(url)
    assert response.status_code == status
    served = marks_read(statements) == len(statements) - 1
    if not marks:
        assert not served
    else:
        assert len(g.sign_in_marks) == marks
    return response.get_data(as_text=True), served


def afresh(app: Flask, forget: Callable[[], None], viewed: Callable[[], tuple[str, bool]]) -> str:
    """The page made with nothing kept (``forget``), masked; it is kept again as it is made."""
    with app.app_context():
        forget()
    page, served = viewed()
    assert not served
    return same(page)


def changed_behind_the_mark(org_id: int, sql: str, params: dict[str, Any]) -> None:
    """Commit a change made with ``sql``, then set the organisation's mark back to what it was before it: as if the
    change were committed between a request's sign-in read and its mark read, so that the page it makes holds
    the values loaded before the change under the mark after it (three transactions: on PostgreSQL the change's
    own COMMIT changes the mark)."""
    with db.engine.begin() as conn:
        (mark,) = conn.execute(text("SELECT mark FROM organisation_changes WHERE organisation_id = :o"),
                               {"o": org_id}).one()
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE organisation_changes SET mark = :m WHERE organisation_id = :o"),
                     {"m": mark, "o": org_id})
    db.session.expire_all()  # the next request's sign-in read loads the rows afresh, as its own session would
