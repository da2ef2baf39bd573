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
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, render_template, request, session, url_for
from markupsafe import Markup, escape

from volunteers.core.kept_text import TOKEN_MARK, KeptTexts

#: pages kept per app (a volunteer's page per filter and page asked for); dropped together past this
KEPT_AT_MOST = 64
#: a longer text is not kept (a volunteer with many full shifts to wait for in six weeks)
LONGEST = 128 * 1024
PAGES = KeptTexts("selfservice.open_kept_page", KEPT_AT_MOST)

#: the values of the view's context the text is made of (compared on every view); the rest are in the key
MADE_OF = ("items", "full", "roles", "sites", "earlier_url", "later_url")


def _top_stand_in() -> Markup:
    return Markup(TOKEN_MARK)


def open_page(context: dict[str, Any], person_id: int) -> str:
    """``render_template("me/open.html", **context)``, from the kept text when made of the same values."""
    env = current_app.jinja_env
    if current_app.debug or env.auto_reload or "_flashes" in session:
        return render_template("me/open.html", **context)
    token_of: Callable[[], str] = env.globals["csrf_token"]  # type: ignore[assignment]
    page_top: Callable[[], Markup] = env.globals["page_top"]  # type: ignore[assignment]
    token = str(escape(token_of()))
    key = (person_id, bool(context["many"]), context["filters"], bool(context["first_page"]), request.script_root,
           url_for("static", filename="me.css"))
    made_of = tuple(context[name] for name in MADE_OF)
    found = PAGES.texts().get(key)
    if found is None or found.made_of != made_of:
        text = render_template("me/open.html", page_top=_top_stand_in, **context)
        # the page top's place, then the token's: one per open row and one per full row
        tokens = 1 + len(context["items"]) + len(context["full"])
        kept = (len(text) <= LONGEST and TOKEN_MARK not in token
                and PAGES.keep(key, made_of, text.replace(token, TOKEN_MARK), tokens))
        if not kept:
            forget(key)
            if text.count(TOKEN_MARK) == 1:  # too long: this text, with the page top where it stands
                return text.replace(TOKEN_MARK, str(page_top()))
            return render_template("me/open.html", **context)  # the mark typed into a value: drawn as always
        found = PAGES.texts()[key]
    pieces = found.pieces
    return f"{pieces[0]}{page_top()}{token.join(pieces[1:])}"


def forget(key: tuple[Any, ...] | None = None) -> None:
    """Drop the text kept under ``key`` (None: all of this app's)."""
    if key is None:
        PAGES.forget()
    else:
        PAGES.texts().pop(key, None)
