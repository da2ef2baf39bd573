"""The shift panel kept between views while its organisation's change mark and the clock say it is unchanged.

Why: a coordinator filling gaps opens panel after panel, and reloads the one
she is on; every view read a dozen statements (the shift, its places, leave,
cover, the waiting list, every member's facts, duties, hours, places and
contacts) and judged a dozen candidates, to make the same page again: a
sixth of a bare page's rate. The panel is a pure function of

* the organisation's data, whose change mark (``core.change_marks``: the
  database's own triggers change it on any write) is read first on every view
  and compared with the mark the kept page was made at;
* the clock, in few known ways: whether the shift has ended (``open``, and
  whether candidates are listed at all), and the candidates' would-be
  warnings, which hold over an open interval of instants on one local date
  (``wellbeing.prospective_warnings_for``'s ``steady``); a kept page serves
  only inside the interval it was made in, on the same local date (key);
* the key: the organisation and the viewer as the sign-in read loaded them
  (``core.change_marks.as_loaded``: read before the mark), the shift, "show
  all" and "more", the partial (htmx) or the page, the URL root;
* the request's CSRF token and (the page) ``page_top()``: split out where they
  go and put back on each view (``page_top`` is kept per viewer by
  ``core.layout``).

Not kept: a panel with an undo offer, a message, an error or an override
question (POST answers, or ``?undo=``), a page with flashed messages, and any
panel where Jinja reloads templates (development). The mark is read before
anything else, so a change committed while a panel is made is never kept
under the mark after it (``core.change_marks``).

Entries are kept per app; at most :data:`KEPT_AT_MOST` (a panel is ~17 KB,
~60 KB with "show all" in a large organisation: ~4 MB a worker at most),
dropped together past that.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, get_flashed_messages, request
from markupsafe import Markup

from volunteers.core import change_marks
from volunteers.core.kept_text import mark_to_keep_by
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date, zone
from volunteers.people.models import Membership

#: panels kept per app: a coordinator's few weeks of shifts, by viewer and listing; dropped together past this
KEPT_AT_MOST = 64
_EXTENSION = "autofill.panel_kept"
#: stand for the request's CSRF token (drawn once, written on every candidate's row) and for ``page_top()`` in
#: a kept panel: made anew per process, so no text typed in can hold them
TOKEN_MARK = f"\x1epanel-token-{secrets.token_hex(8)}\x1e"
TOP_MARK = f"\x1epanel-top-{secrets.token_hex(8)}\x1e"


@dataclass(frozen=True)
class KeptPanel:
    """A panel's text split where the token (and the page top) go, and what it holds for."""

    mark: int
    after: float  #: it holds for instants strictly after this (POSIX seconds) …
    before: float  #: … and strictly before this
    head: tuple[bytes, ...]  #: the page before ``page_top()`` (empty for the partial), split where the token goes
    body: tuple[bytes, ...]  #: the rest, split where the token goes


def _kept() -> dict[tuple[Any, ...], KeptPanel]:
    kept: dict[tuple[Any, ...], KeptPanel] | None = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions[_EXTENSION] = {}
    return kept


@dataclass
class Slot:
    """Where one view's panel is kept: its key, the mark read at the start of the view, and ``now``."""

    key: tuple[Any, ...]
    mark: int
    now: datetime
    partial: bool

    def served(self, token: str) -> bytes | None:
        """The kept panel with ``token`` (and this request's page top) in, if it still holds; else None."""
        found = _kept().get(self.key)
        if found is None or found.mark != self.mark or not found.after < self.now.timestamp() < found.before:
            return None
        return _joined(found.head, found.body, token.encode(), self.partial)

    def keep(self, text: str, after: float, before: float, token: str) -> bytes | None:
        """Keep ``text`` (made with :data:`TOKEN_MARK` for the token and, for the page, :data:`TOP_MARK` for
        ``page_top()``), holding strictly between ``after`` and ``before``; return it with ``token`` and the
        page top in. None (nothing kept) when the page top is not where it should be (the template's shape
        changed): the caller makes it again as always."""
        if text.count(TOP_MARK) != (0 if self.partial else 1):
            return None
        head, body = ("", text) if self.partial else text.split(TOP_MARK)
        if TOKEN_MARK in head:
            return None  # the title and head hold no form
        kept_head = () if self.partial else (head.encode(),)
        kept_body = tuple(piece.encode() for piece in body.split(TOKEN_MARK))
        if after < self.now.timestamp() < before:
            kept = _kept()
            if len(kept) >= KEPT_AT_MOST:
                kept.clear()
            kept[self.key] = KeptPanel(self.mark, after, before, kept_head, kept_body)
        return _joined(kept_head, kept_body, token.encode(), self.partial)


def _joined(head: tuple[bytes, ...], body: tuple[bytes, ...], token: bytes, partial: bool) -> bytes:
    if partial:
        return token.join(body)
    top = str(current_app.jinja_env.globals["page_top"]()).encode()  # type: ignore[operator]
    return b"".join((head[0], top, token.join(body)))


def slot(org: Organisation, shift_id: int, viewer: Membership, now: datetime, *, show_all: bool, more: bool,
         partial: bool) -> Slot | None:
    """The view's slot, the organisation's mark read first; None when nothing may be kept or served.

    Reads one statement (the mark) when kept panels may be used.
    """
    env = current_app.jinja_env
    if env.auto_reload or (not partial and get_flashed_messages()):
        return None
    mark = mark_to_keep_by(org.id)
    if mark is None:
        return None
    day = local_date(now, zone(org.timezone)).toordinal()
    key = (org.id, shift_id, show_all, more, partial, request.script_root, day,
           current_app.config.get("WTF_CSRF_ENABLED", True),  # whether "People needed" carries its token
           change_marks.as_loaded(org, viewer))
    return Slot(key, mark, now, partial)


def page_top_mark() -> Markup:
    """What the page's template is given for ``page_top()`` when it is made to be kept."""
    return Markup(TOP_MARK)


def forget() -> None:
    """Drop this app's kept panels (tests: the panel made afresh)."""
    _kept().clear()
