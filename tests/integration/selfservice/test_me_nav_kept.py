"""The volunteer pages' menu kept per endpoint and app root is the menu rendered afresh (issue 13).

Requests follow one another with the kept menus never cleared, on different pages (the current one is
marked) and under different roots (every link starts with it): each kept menu must be the one
``me/_nav_links.html`` renders now. With the endpoint or the root left out of the key, a request would
get an earlier one's menu and this fails.
"""
from __future__ import annotations

from flask import render_template

from volunteers.selfservice import me_nav

REQUESTS = [("/me/shifts", ""), ("/me/shifts/open", ""), ("/me/hours", ""), ("/me/shifts", "/vol"),
            ("/me/shifts/open", "/vol"), ("/me/places/1/cancel", ""), ("/me/messages", "/other")]


def test_kept_menus_are_the_menus_rendered_afresh(app) -> None:
    me_nav._KEPT.clear()
    seen = set()
    for _ in range(2):  # the second time round every menu is kept
        for path, root in REQUESTS:
            with app.test_request_context(path, base_url=f"http://localhost{root}/"):
                kept = me_nav.me_nav()
                assert kept == render_template("me/_nav_links.html"), (path, root)
                seen.add(str(kept))
    assert len(seen) == len(REQUESTS)  # each marks another page, or starts its links with another root


def test_the_kept_menus_are_bounded(app, monkeypatch) -> None:
    me_nav._KEPT.clear()
    monkeypatch.setattr(me_nav, "KEPT_AT_MOST", 3)
    for path, root in REQUESTS:
        with app.test_request_context(path, base_url=f"http://localhost{root}/"):
            me_nav.me_nav()
            assert len(me_nav._KEPT) <= 3
