"""A page's frame (base.html around its content) rendered once and kept as UTF-8; a view joins the bytes.

Why: once a page's content is kept (/warnings, /people, a person's page, /me/hours), rendering base.html
around it on every view was a large part of what was left: a new template context, its globals, the
context processors, the macros' import and the error summary's empty loop, then encoding the whole page's
text (not ASCII: dashes) to UTF-8. ``base.html``'s own text around the content depends on no request but
through ``page_top()`` (kept by ``core.layout``: the head's links, the header, the token and the time), the
flashed messages and the page's title, so it is rendered once per app, template and title, with stand-ins
for ``page_top()``, the content and the title, and a view joins the bytes of the frame, of this request's
``page_top()``, of the title (escaped as ``{{ }}`` escapes it) and of the content.

Rendered as always (``render_template``: text) when there are messages to flash, and where templates may
change under a running server (Jinja's ``auto_reload``: development). Frames are at most
:data:`FRAMES_AT_MOST` per app (~0.6 KB each), dropped together past that.

Here in ``people`` (the lowest package of the pages that use it: people, contributions, rota's series,
wellbeing) rather than in ``core``, whose layout helpers another part of the team keeps.
"""
from __future__ import annotations

import secrets

from flask import current_app, get_flashed_messages, render_template
from markupsafe import Markup, escape

#: what the page's template is given for ``page_top()``, for the content and for the title when its frame is
#: made: made anew per process, so no organisation's name or page's text can hold one (the frame is split there)
_TOP = f"\x1epage-top-{secrets.token_hex(8)}\x1e"
_CONTENT = f"\x1econtent-{secrets.token_hex(8)}\x1e"
_TITLE = f"\x1etitle-{secrets.token_hex(8)}\x1e"
_FRAMES = "core.page_frame.frames"
#: frames kept per app (one per template, and per title where the page has one of its own)
FRAMES_AT_MOST = 64
Frame = tuple[bytes, ...]


class _Text:
    """Text that is already markup, for a template to write as it is (what ``escape`` makes of it: a copy).

    Not a ``Markup``: escaping one (as ``{{ content }}`` does) copies it into a new ``Markup``, which for
    long, non-ASCII text took ~0.2 ms; ``escape`` of this makes one plain copy (~0.01 ms).
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __html__(self) -> str:
        return self.text


def _frame(template: str, titled: bool) -> Frame | None:
    """``template`` rendered with the stand-ins, split where they stand (None: not the shape it is kept in)."""
    context = {"content": Markup(_CONTENT), "page_top": lambda: Markup(_TOP)}
    if titled:
        context["title"] = Markup(_TITLE)
    text = render_template(template, **context)
    marks = (_TITLE, _TOP, _CONTENT) if titled else (_TOP, _CONTENT)
    if any(text.count(mark) != 1 for mark in marks):
        return None
    places = [text.index(mark) for mark in marks]
    if places != sorted(places):
        return None
    pieces, rest = [], text
    for mark in marks:
        piece, rest = rest.split(mark)
        pieces.append(piece.encode())
    pieces.append(rest.encode())
    return tuple(pieces)


def whole_page(template: str, content: bytes, title: str | None = None) -> bytes | str:
    """The page ``template`` (base.html around ``{{ content }}``, and ``{{ title }}`` in its title block when
    ``title`` is given: nothing else) with ``content`` (UTF-8) in."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy once
    env = app.jinja_env
    titled = title is not None
    if env.auto_reload or get_flashed_messages():
        return _rendered(template, content, title)
    frames: dict[tuple[str, bool], Frame | None] | None = app.extensions.get(_FRAMES)
    if frames is None:
        frames = app.extensions[_FRAMES] = {}
    key = (template, titled)
    if key not in frames:
        if len(frames) >= FRAMES_AT_MOST:
            frames.clear()
        frames[key] = _frame(template, titled)
    frame = frames[key]
    if frame is None:
        return _rendered(template, content, title)
    top = str(env.globals["page_top"]()).encode()
    if titled:
        return b"".join((frame[0], str(escape(title)).encode(), frame[1], top, frame[2], content, frame[3]))
    return b"".join((frame[0], top, frame[1], content, frame[2]))


def _rendered(template: str, content: bytes, title: str | None) -> str:
    """The page rendered as always (no frame)."""
    if title is None:
        return render_template(template, content=_Text(content.decode()))
    return render_template(template, content=_Text(content.decode()), title=title)
