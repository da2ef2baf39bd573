"""Views of pages served at their organisations' change marks (``core.change_marks``), for the tests of each page:
whether a view was served at the marks, and the page with what differs between two draws masked."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g
from flask.testing import FlaskClient

from tests.page_text import MADE_AT, TOKENS
from tests.querycount import statements_run


def same(page: str) -> str:
    """The page with its CSRF token and the time its top was made masked."""
    return MADE_AT.sub("", TOKENS.sub("", page))


def view(client: FlaskClient, url: str, rows: tuple[str, ...], marks: int = 1, status: int = 200) -> tuple[str, bool]:
    """The page, and whether it was served at the marks: after signing in, the marks read and nothing else.

    ``rows``: SQL that reads the page's own rows, none of which may run before the marks are read; ``marks``:
    the marks a view reads (one per organisation; none for a page never kept). ``g`` is cleared first: the
    test's requests share one app context, and each request's sign-in read must be its own.
    """
    g.__dict__.clear()
    with statements_run() as statements:
        response = client.get(url)
    assert response.status_code == status
    read = [n for n, sql in enumerate(statements) if "FROM organisation_changes" in sql]
    assert len(read) == marks  # read on every view, before any of the page's rows
    if not read:
        return response.get_data(as_text=True), False
    assert not any(part in sql for sql in statements[:read[0]] for part in rows)
    return response.get_data(as_text=True), read[-1] == len(statements) - 1


def afresh(app: Flask, forget: Callable[[], None], viewed: Callable[[], tuple[str, bool]]) -> str:
    """The page made with nothing kept (``forget``), masked; it is kept again as it is made."""
    with app.app_context():
        forget()
    page, served = viewed()
    assert not served
    return same(page)
