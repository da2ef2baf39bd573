"""The volunteer's own pages' menu (``me/_nav.html``) rendered once per endpoint and app root (issue 13).

The menu's seven links and its ``aria-current`` mark depend on nothing but the
endpoint of the page it is on and the path the app is served under (its links
start with it): ``me/_nav_links.html`` is rendered once for each and kept, rather
than its loop and seven ``url_for`` on every view of every volunteer page.
"""
from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

#: (endpoint, script root) → the menu; a few dozen endpoints include it, under one root: ~0.7 KB each,
#: dropped together past this (~200 KB at most)
_KEPT: dict[tuple[str | None, str], Markup] = {}
KEPT_AT_MOST = 256


def me_nav() -> Markup:
    """The menu of ``me/_nav_links.html`` for this request's endpoint and root."""
    key = (request.endpoint, request.script_root)
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= KEPT_AT_MOST:
            _KEPT.clear()
        found = _KEPT[key] = Markup(render_template("me/_nav_links.html"))
    return found
