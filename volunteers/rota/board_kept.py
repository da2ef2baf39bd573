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
  the token goes, as ``wellbeing.kept_page`` does.

Entries are kept per app; at most :data:`KEPT_AT_MOST` (a large month ~0.3 MB
with its rows), dropped together past that.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

#: stands for the request's CSRF token in kept text (no token holds it; text that did is not kept)
TOKEN_MARK = "\x01"
#: entries kept per app: the boards of a few organisations, periods and filters; dropped together past this
KEPT_AT_MOST = 32
_EXTENSION = "rota.board_kept"


@dataclass(frozen=True)
class KeptBoard:
    """A board's content split where the token goes, and the rows it was made of (compared on reading)."""

    rows: tuple[Any, ...]
    pieces: tuple[str, ...]


def _kept() -> dict[tuple[Any, ...], KeptBoard]:
    kept: dict[tuple[Any, ...], KeptBoard] | None = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions[_EXTENSION] = {}
    return kept


def kept_board(key: tuple[Any, ...], rows: tuple[Any, ...], token: str) -> str | None:
    """The content kept under ``key`` with ``token`` in it, if it was made of these ``rows``; else None."""
    found = _kept().get(key)
    if found is None or found.rows != rows:
        return None
    return token.join(found.pieces)


def keep(key: tuple[Any, ...], rows: tuple[Any, ...], text: str, tokens: int, token: str) -> str | None:
    """Keep ``text`` (made with :data:`TOKEN_MARK` for the token, ``tokens`` times) under ``key``; return it with
    ``token`` in. Text holding the mark elsewhere (typed in): None, and the caller makes it again with the token."""
    pieces = text.split(TOKEN_MARK)
    if len(pieces) != tokens + 1:
        return None
    kept = _kept()
    if len(kept) >= KEPT_AT_MOST:
        kept.clear()
    kept[key] = KeptBoard(rows, tuple(pieces))
    return token.join(pieces)


def forget() -> None:
    """Drop this app's kept boards (tests: the board made afresh)."""
    _kept().clear()
