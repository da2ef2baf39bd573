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
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, get_flashed_messages, render_template
from markupsafe import Markup

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
                 drivers: Any, hours: dict[int, list[float]], token: str) -> bytes | None:
    """The content kept under ``key`` with ``token`` in it (UTF-8), if it is still what would be made of ``rows``
    (the warning rows read now) and the rest; else None."""
    found = _kept().get(key)
    if found is None or found.org_id != org_id or not found.after < now.timestamp() < found.before:
        return None
    if found.rows != rows:
        return None
    if found.figures is not figures or found.drivers is not drivers or len(found.hours) != len(hours):
        return None
    if any(found.hours.get(member) is not weeks for member, weeks in hours.items()):
        return None
    return token.encode().join(found.pieces)


def keep(key: tuple[Any, ...], org_id: int, rows: list[tuple[Any, ...]], now: datetime, flips: set[float],
         text: str, tokens: int, token: str, figures: Any, drivers: Any,
         hours: dict[int, list[float]]) -> bytes | None:
    """Keep ``text`` (made with :data:`TOKEN_MARK` for the token, ``tokens`` times) under ``key``; return it
    with ``token`` in, as UTF-8.

    ``flips`` are the instants at which a comparison with ``now`` changes; at one of them the text holds
    for that instant only and is not kept. Text holding the mark elsewhere (typed in) is not kept: None
    then, and the caller makes it again with the token.
    """
    if text.count(TOKEN_MARK) != tokens:
        return None
    pieces = tuple(piece.encode() for piece in text.split(TOKEN_MARK))
    at = now.timestamp()
    if at not in flips:
        kept = _kept()
        if len(kept) >= KEPT_AT_MOST:
            kept.clear()
        kept[key] = KeptContent(org_id, rows, pieces, max((t for t in flips if t < at), default=float("-inf")),
                                min((t for t in flips if t > at), default=float("inf")), figures, drivers,
                                dict(hours))
    return token.encode().join(pieces)


def forget() -> None:
    """Drop this app's kept content (tests: the page made afresh)."""
    _kept().clear()


#: what the page's template is given for ``page_top()`` and for the content when its frame is made: made anew per
#: process, so no organisation's name or warning's text can hold one (the frame is split where they stand)
_TOP = f"\x1epage-top-{secrets.token_hex(8)}\x1e"
_CONTENT = f"\x1econtent-{secrets.token_hex(8)}\x1e"
_FRAMES = "wellbeing.kept_page.frames"


class _Text:
    """Text that is already markup, for a template to write as it is (what ``escape`` makes of it: a copy).

    Not a ``Markup``: escaping one (as ``{{ content }}`` does) copies it into a new ``Markup``, which for
    this long, non-ASCII text took ~0.2 ms; ``escape`` of this makes one plain copy (~0.01 ms).
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return self.text


def whole_page(template: str, content: bytes) -> bytes | str:
    """The page ``template`` (base.html around ``{{ content }}``: nothing else) with ``content`` (UTF-8) in.

    ``base.html``'s own text around the content depends on no request but through ``page_top()`` (kept by
    ``core.layout``: the head's links, the header, the token and the time) and the flashed messages, so it
    is rendered once per app and template, with stand-ins for those two, and kept as UTF-8: a view joins
    the bytes of the frame, of this request's ``page_top()`` and of the content. Rendering base.html (a new
    template context, its globals, the context processors, the macros' import and the error summary's empty
    loop) and encoding the page's text were a sixth of /warnings' CPU time once its content was kept.

    Rendered as always (``render_template``: text) when there are messages to flash, and where templates may
    change under a running server (Jinja's ``auto_reload``: development). At most one frame per template
    (~0.5 KB).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy once
    env = app.jinja_env
    if env.auto_reload or get_flashed_messages():
        return render_template(template, content=_Text(content.decode()))
    frames: dict[str, tuple[bytes, bytes, bytes]] | None = app.extensions.get(_FRAMES)
    if frames is None:
        frames = app.extensions[_FRAMES] = {}
    frame = frames.get(template)
    if frame is None:
        text = render_template(template, content=Markup(_CONTENT), page_top=lambda: Markup(_TOP))
        if text.count(_TOP) != 1 or text.count(_CONTENT) != 1 or text.index(_TOP) > text.index(_CONTENT):
            return render_template(template, content=_Text(content.decode()))  # not the shape it is kept in
        head, rest = text.split(_TOP)
        middle, tail = rest.split(_CONTENT)
        frame = frames[template] = (head.encode(), middle.encode(), tail.encode())
    return b"".join((frame[0], str(env.globals["page_top"]()).encode(), frame[1], content, frame[2]))
