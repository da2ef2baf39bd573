"""The board's content (``rota/_board.html``) kept between views while what it is made of is unchanged.

Why: once its statements' rows are read, most of the board's own time made the
same text again from the same rows (cards, the month's table, the template's
filters, pager and links): a coordinator's board is reloaded on every
"rota-changed" refresh and by everyone looking at the same week. The content
is a pure function of

* the rows of the board's statements (the shifts, their people and leave, the
  month's sums; the roles and sites of the filters), read on every view and
  compared with those it was made of, so any change to a shift, place, name,
  leave, role or site is drawn again;
* the key: the organisation and its zone, the viewer, the period and filters
  asked for (and the day of a paged week), today, the bank holidays shown,
  the paging limits and the URL root;
* the request's CSRF token, which the kept text leaves out: it is split where
  the token goes (``core.kept_text``).

Entries are kept per app; at most :data:`KEPT_AT_MOST` (a large month ~0.3 MB
with its rows), dropped together past that.

Before any of that, a view reads the organisation's change mark
(``core.change_marks``: the database's triggers change it on every write to
the organisation's data) and looks for the content made at that mark under a
key of everything else (:data:`BY_MARK`, keyed as above with the period's
first date and the day asked for in place of the rows): found, none of the
board's statements run. A large organisation's month read tens of thousands
of rows to compare on every view.
"""
from __future__ import annotations

from typing import Any

from volunteers.core.kept_text import TOKEN_MARK, KeptTexts

__all__ = ["TOKEN_MARK", "by_mark", "forget", "keep", "keep_by_mark", "kept_board"]

#: entries kept per app: the boards of a few organisations, periods and filters; dropped together past this
KEPT_AT_MOST = 32
BOARDS = KeptTexts("rota.board_kept", KEPT_AT_MOST)
#: the same contents by change mark (no rows held: ~0.1 MB a large month's text at most)
BY_MARK = KeptTexts("rota.board_kept.by_mark", KEPT_AT_MOST)


def by_mark(key: tuple[Any, ...], mark: int | None, token: str) -> str | None:
    """The content kept under ``key`` at the organisation's change ``mark`` with ``token`` in; else None."""
    return None if mark is None else BY_MARK.get(key, mark, token)


def keep_by_mark(key: tuple[Any, ...], mark: int | None, kept_under: tuple[Any, ...], rows: tuple[Any, ...]) -> None:
    """Keep the content :data:`BOARDS` holds under ``kept_under`` (just made or found) under ``key`` at ``mark``,
    if it is made of ``rows`` (those this view read after the mark: another thread may have kept another since)."""
    found = BOARDS.texts().get(kept_under)
    if mark is not None and found is not None and found.made_of == rows:
        BY_MARK.keep(key, mark, TOKEN_MARK.join(found.pieces), len(found.pieces) - 1)


def kept_board(key: tuple[Any, ...], rows: tuple[Any, ...], token: str) -> str | None:
    """The content kept under ``key`` with ``token`` in it, if it was made of these ``rows``; else None."""
    return BOARDS.get(key, rows, token)


def keep(key: tuple[Any, ...], rows: tuple[Any, ...], text: str, tokens: int, token: str) -> str | None:
    """Keep ``text`` (made with :data:`TOKEN_MARK` for the token, ``tokens`` times) under ``key``; return it with
    ``token`` in. Text holding the mark elsewhere (typed in): None, and the caller makes it again with the token."""
    pieces = BOARDS.keep(key, rows, text, tokens)
    return None if pieces is None else token.join(pieces)


def forget() -> None:
    """Drop this app's kept boards (tests: the board made afresh)."""
    BOARDS.forget()
    BY_MARK.forget()
