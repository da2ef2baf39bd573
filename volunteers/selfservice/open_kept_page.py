"""/me/shifts/open's text kept between views while what it is made of is unchanged (issue 13).

Once the page's statements are read and its rows judged, a third of the view
drew the same text again from the same values: ``me/open.html`` inside
``base.html`` (the filters' choices, the pager, the two lists' kept rows
joined, the menu's include). The text below the page top is a pure function of

* what the view gives the template, compared on every view with what the kept
  text was made of (``made_of``): the open and full rows (each shift's time as
  printed, role, site, organisation, places, my waiting-list entry and place,
  its form's URL), the filters' roles and sites, the pager's two URLs;
* the key: whether the viewer has several memberships (the organisation's
  badge), the filters asked for (and so whether any is), first page or not,
  the URL root and the volunteer pages' stylesheet URL (its fingerprint, and
  the root again); and
  the viewer, which the text does not depend on beyond their rows (compared)
  but which gives each volunteer a text of their own rather than one shared
  by all, remade at each change of viewer;
* the request's CSRF token, which is not kept (the text is split where it goes,
  as ``core.kept_text`` does), and the page top (``core.layout.page_top``: the
  header, the time the page was made and the token), drawn on every view.

Not kept, and drawn as before: a page with a message flashed (drawn once, then
gone), a page with an error (the sign-up refused), and pages of a development
server (templates may change under it). At most :data:`KEPT_AT_MOST` texts of
at most :data:`LONGEST` characters each (the demo volunteer's page is ~80 K),
dropped together past that. A kept page holds its text (two bytes a character:
the page is not all Latin-1) and the rows it was made of (about half as much
again): ~400 KB at most, ~25 MB for a full store.

**At the change mark** (:data:`BY_MARK`): before anything else the view reads
the change mark of each organisation the viewer is an active member of
(``core.change_marks``: the database changes it at every write to that
organisation's data), and serves the text made at the same marks, for the same
viewer and memberships as the sign-in read loaded them (``as_loaded``), the
same filters and cursor, root, stylesheet and CSRF setting, while the clock is
still inside the stretch the page was made for (from when it was made until
``open_list``'s ``steady_until``: the next instant at which the clock alone
would change it, ``domain.open_steady``). None of the page's statements run.
The same bounds and exclusions as above; the text is the same one (no rows
held): ~16 MB at most.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app, render_template, request, url_for
from markupsafe import Markup, escape

from volunteers.core import change_marks
from volunteers.core.kept_text import TOKEN_MARK, KeptTexts, keeps_page, mark_to_keep_by
from volunteers.people.models import Membership

#: pages kept per app (a volunteer's page per filter and page asked for); dropped together past this
KEPT_AT_MOST = 64
#: a longer text is not kept (a volunteer with many full shifts to wait for in six weeks)
LONGEST = 128 * 1024
PAGES = KeptTexts("selfservice.open_kept_page", KEPT_AT_MOST)
#: the same texts by the organisations' change marks (made of: the marks, when made, until when it stands)
BY_MARK = KeptTexts("selfservice.open_kept_page.by_mark", KEPT_AT_MOST)

#: the values of the view's context the text is made of (compared on every view); the rest are in the key
MADE_OF = ("items", "full", "roles", "sites", "earlier_url", "later_url")


def _top_stand_in() -> Markup:
    return Markup(TOKEN_MARK)


class AtMark(NamedTuple):
    """What a view read to find, or keep, its page at the change marks."""

    key: tuple[Any, ...]
    marks: tuple[int, ...] | None  #: the active memberships' organisations' marks (None: keep nothing by them)
    now: datetime


def at_mark(person_id: int, memberships: list[Membership], asked: tuple[Any, ...], now: datetime) -> AtMark:
    """Read the change marks of the viewer's organisations (first: before any of the page's rows) and the key
    of the page ``asked`` (filters and cursors) for this viewer, as the sign-in read loaded them."""
    marks: tuple[int, ...] | None = None
    if keeps_page():
        read = [mark_to_keep_by(m.organisation_id)
                for m in memberships if m.status == "active"]
        marks = tuple(mark for mark in read if mark is not None) if None not in read else None
    key = (person_id, tuple(change_marks.as_loaded(m.organisation, m) for m in memberships), asked,
           request.script_root, url_for("static", filename="me.css"), current_app.config.get("WTF_CSRF_ENABLED"))
    return AtMark(key, marks, now)


def served_at_mark(at: AtMark) -> str | None:
    """The page kept at these marks for this key, if the clock is still where it stands; else None."""
    found = BY_MARK.texts().get(at.key) if at.marks is not None else None
    if found is None:
        return None
    marks, made_at, until = found.made_of
    if marks != at.marks or not made_at <= at.now < until:
        return None
    return _joined(found.pieces)


def _joined(pieces: tuple[str, ...]) -> str:
    """The kept text with this request's page top and CSRF token put back."""
    page_top: Callable[[], Markup] = current_app.jinja_env.globals["page_top"]  # type: ignore[assignment]
    token_of: Callable[[], str] = current_app.jinja_env.globals["csrf_token"]  # type: ignore[assignment]
    return f"{pieces[0]}{page_top()}{str(escape(token_of())).join(pieces[1:])}"


def open_page(context: dict[str, Any], person_id: int, at: AtMark | None = None) -> str:
    """``render_template("me/open.html", **context)``, from the kept text when made of the same values; kept at
    ``at``'s marks too until ``context["steady_until"]``."""
    env = current_app.jinja_env
    if not keeps_page():
        return render_template("me/open.html", **context)
    token_of: Callable[[], str] = env.globals["csrf_token"]  # type: ignore[assignment]
    page_top: Callable[[], Markup] = env.globals["page_top"]  # type: ignore[assignment]
    token = str(escape(token_of()))
    key = (person_id, bool(context["many"]), context["filters"], bool(context["first_page"]), request.script_root,
           url_for("static", filename="me.css"))
    made_of = tuple(context[name] for name in MADE_OF)
    found = PAGES.texts().get(key)
    if found is not None and found.made_of == made_of:
        pieces = found.pieces
    else:
        text = render_template("me/open.html", page_top=_top_stand_in, **context)
        # the page top's place, then the token's: one per open row and one per full row
        tokens = 1 + len(context["items"]) + len(context["full"])
        # this view's own pieces, never the store's again: another thread may keep another page under the key
        # (two later pages of one viewer share it) or empty the store in between
        kept = (PAGES.keep(key, made_of, text.replace(token, TOKEN_MARK), tokens)
                if len(text) <= LONGEST and TOKEN_MARK not in token else None)
        if kept is None:
            forget(key)
            if text.count(TOKEN_MARK) == 1:  # too long: this text, with the page top where it stands
                return text.replace(TOKEN_MARK, str(page_top()))
            return render_template("me/open.html", **context)  # the mark typed into a value: drawn as always
        pieces = kept
    until = context.get("steady_until")
    if at is not None and at.marks is not None and until is not None:
        BY_MARK.keep(at.key, (at.marks, at.now, until), TOKEN_MARK.join(pieces), len(pieces) - 1)
    return f"{pieces[0]}{page_top()}{token.join(pieces[1:])}"


def forget(key: tuple[Any, ...] | None = None) -> None:
    """Drop the text kept under ``key`` (None: all of this app's, by mark too)."""
    if key is None:
        PAGES.forget()
        BY_MARK.forget()
    else:
        PAGES.texts().pop(key, None)
