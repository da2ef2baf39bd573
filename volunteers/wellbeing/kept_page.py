"""/warnings' content (all but the site's header and menu) kept between views while what it shows is unchanged.

Why: once the rows are read, most of /warnings' time went on making the same text again from the same
rows: views, cards, sections, forms and the template's loops (two thirds of the page's own work). The
content is a pure function of

* the warning rows the viewer may see (read on every view and compared with those it was made of, so an
  acknowledged, snoozed, rescanned or renamed warning is made again; the key holds their ids, so
  viewers limited to other sites keep entries of their own);
* the organisation's figures and the warned people's weekly hours, as ``org_figures_cache`` serves
  them: kept with the content and compared by identity (that module decodes an unchanged stored entry
  to the same objects), so figures made again after a rota write or the window moving never match;
* ``now``, through a few comparisons only: whether a snooze has ended, and where ``now`` stands to each
  episode's start, end and the end of its four reported weeks (``warning_cards``); an entry holds the
  open interval between the nearest such instants around the ``now`` it was made at and serves only
  inside it; and the sparkline's week (in the key);
* the severity filter, the zone and the URLs (in the key);
* the request's CSRF token, which the kept text leaves out: it is split where the token goes.

Entries are kept per app and carry their organisation's id, checked on reading; at most
:data:`KEPT_AT_MOST` (0.1-0.3 MB each with their rows: ~5 MB a worker at most), dropped together past that.
They are kept as UTF-8, as the response sends them: encoding a page's ~60-130 KB of text (not ASCII: dashes,
times signs) on every view cost more than the rest of serving it from here.

At an unchanged change mark (:data:`BY_MARK`) the same content is served without reading or comparing anything
of the above, while the clock is inside the stretch it stands for: at most :data:`BY_MARK_AT_MOST` of them
(the text alone: ~4.5 MB a worker at most).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from volunteers.core.compiled_sql import DriverRows
from volunteers.core.kept_text import KeptTexts

# the frame around the content (base.html) is kept by core.page_frame, which other pages share; its names here
# are those the views and tests of /warnings use
from volunteers.core.page_frame import _CONTENT as _CONTENT
from volunteers.core.page_frame import _FRAMES as _FRAMES
from volunteers.core.page_frame import _TOP as _TOP
from volunteers.core.page_frame import whole_page as whole_page

#: stands for the request's CSRF token in kept text (no token holds it; text that did is not kept)
TOKEN_MARK = "\x01"
#: entries kept per app: an organisation's pages by severity and viewer's sites; dropped together past this
KEPT_AT_MOST = 16
_EXTENSION = "wellbeing.kept_page"


@dataclass(frozen=True)
class KeptContent:
    """A page's content split where the token goes, and what it was made of that the key does not hold."""

    org_id: int
    #: the warning rows it shows, compared on reading (hashing their text each view cost more)
    rows: list[tuple[Any, ...]]
    #: the content's UTF-8, split where the token goes
    pieces: tuple[bytes, ...]
    #: the open interval of ``now`` (POSIX seconds) in which every comparison with ``now`` stays as made
    after: float
    before: float
    #: the figures, drivers and weekly hours it shows: compared by identity (and so held, so no id is reused)
    figures: Any
    drivers: Any
    hours: dict[int, list[float]]


def _kept() -> dict[tuple[Any, ...], KeptContent]:
    kept: dict[tuple[Any, ...], KeptContent] | None = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions[_EXTENSION] = {}
    return kept


def kept_content(key: tuple[Any, ...], org_id: int, rows: list[tuple[Any, ...]], now: datetime, figures: Any,
                 drivers: Any, hours: dict[int, list[float]]) -> KeptContent | None:
    """The content kept under ``key``, if it is still what would be made of ``rows`` (the warning rows read now)
    and the rest; else None."""
    found = _kept().get(key)
    if found is None or found.org_id != org_id or not found.after < now.timestamp() < found.before:
        return None
    if found.rows != rows:
        return None
    if found.figures is not figures or found.drivers is not drivers or len(found.hours) != len(hours):
        return None
    if any(found.hours.get(member) is not weeks for member, weeks in hours.items()):
        return None
    return found


def keep(key: tuple[Any, ...], org_id: int, rows: list[tuple[Any, ...]], now: datetime, flips: set[float],
         text: str, tokens: int, figures: Any, drivers: Any, hours: dict[int, list[float]]) -> KeptContent | None:
    """Keep ``text`` (made with :data:`TOKEN_MARK` for the token, ``tokens`` times) under ``key``; return what
    was kept.

    ``flips`` are the instants at which a comparison with ``now`` changes; at one of them the text holds
    for that instant only and is not kept (its pieces are still returned, with an empty interval). Text
    holding the mark elsewhere (typed in) is not kept: None then, and the caller makes it again with the token.
    """
    if text.count(TOKEN_MARK) != tokens:
        return None
    pieces = tuple(piece.encode() for piece in text.split(TOKEN_MARK))
    at = now.timestamp()
    if at in flips:
        return KeptContent(org_id, rows, pieces, at, at, figures, drivers, dict(hours))
    made = KeptContent(org_id, rows, pieces, max((t for t in flips if t < at), default=float("-inf")),
                       min((t for t in flips if t > at), default=float("inf")), figures, drivers, dict(hours))
    kept = _kept()
    if len(kept) >= KEPT_AT_MOST:
        kept.clear()
    kept[key] = made
    return made


def forget() -> None:
    """Drop this app's kept content (tests: the page made afresh)."""
    _kept().clear()
    _at_marks().clear()
    BY_MARK.forget()


#: the warning rows a viewer's page was made of, by the page's key and the organisation's change mark
#: (``core.change_marks``) read before them: while the mark reads the same, no row of the organisation changed
#: (the warnings, their people and memberships, the viewer's sites are all its watched tables), so the rows read
#: now would be these and the page's statement is not run; the content is then served as :func:`kept_content`
#: judges it (``now``'s interval, the figures' identity). At most :data:`KEPT_AT_MOST`, dropped together.
_AT_MARKS = "wellbeing.kept_page.at_marks"


def _at_marks() -> dict[tuple[Any, ...], tuple[int, DriverRows]]:
    kept: dict[tuple[Any, ...], tuple[int, DriverRows]] | None = current_app.extensions.get(_AT_MARKS)
    if kept is None:
        kept = current_app.extensions[_AT_MARKS] = {}
    return kept


def rows_at(key: tuple[Any, ...], mark: int | None) -> DriverRows | None:
    """The rows kept under ``key`` at the change ``mark`` read now (None: none, or another mark)."""
    found = _at_marks().get(key)
    if mark is None or found is None or found[0] != mark:
        return None
    return found[1]


def keep_rows_at(key: tuple[Any, ...], mark: int | None, rows: DriverRows) -> None:
    """Keep ``rows``, read after the change ``mark`` was, under ``key`` (nothing for no mark)."""
    if mark is None:
        return
    kept = _at_marks()
    if len(kept) >= KEPT_AT_MOST:
        kept.clear()
    kept[key] = (mark, rows)


#: contents kept by mark: one per viewer and filter (a coordinator's four), dropped together past this (~4.5 MB at most)
BY_MARK_AT_MOST = 32
#: the whole content by the organisation's change mark, for a viewer as the sign-in read loaded them (made of:
#: the mark, when it was made, until when it stands). While the mark reads the same no row of the organisation
#: changed (the warnings, the rota the figures and hours are made of, people, memberships, sites), so what is
#: left is the clock: the content stands from when it was made until the earliest of its next flip (above), the
#: figures' and hours' ``until`` (``org_figures_cache.for_page``: a place entering or leaving the 90 days, the
#: sparkline's week ending, ten minutes). Served without the rows, the store of figures or any comparison.
BY_MARK = KeptTexts("wellbeing.kept_page.by_mark", BY_MARK_AT_MOST)


def content_by_mark(key: tuple[Any, ...], mark: int | None, now: datetime) -> tuple[bytes, ...] | None:
    """The content's pieces (split where the token goes) kept under ``key`` at ``mark``, if ``now`` is in the
    stretch it stands for; else None."""
    return BY_MARK.at_mark(key, mark, now)


def keep_by_mark(key: tuple[Any, ...], mark: int | None, now: datetime, until: datetime | None,
                 content: KeptContent) -> None:
    """Keep ``content``, made at ``now`` after ``mark`` was read, under ``key`` until ``until`` (or its next
    flip, if sooner); nothing for no mark, no end or an empty stretch."""
    if until is not None and content.before != float("inf"):
        until = min(until, datetime.fromtimestamp(content.before, UTC))
    if not content.after < now.timestamp():
        return
    BY_MARK.keep_at_mark(key, mark, now, until, content.pieces)
