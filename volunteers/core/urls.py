"""``url_for`` that builds each URL once per worker and then reads it from a dictionary.

A page asks for the same handful of URLs on every request: the menu's
links, a row's ``url_for('people.edit_person', membership_id=…)``, its
static files. Building one through Flask's routing map costs ~0.02 ms, and
a list page built 40 to 80 of them. Inside a request a relative URL depends
only on the endpoint, its arguments and the path the app is served under
(``request.script_root``): the URL map is fixed once the app serves, and
the only ``url_defaults`` callback (``core.static_assets``'s fingerprint)
depends on the file alone. So the URL is kept under those, and the next
request with the same arguments gets the very same text.

Built each time as before, never kept:

* outside a request (e-mails rendered by jobs, the command line);
* ``_external``, ``_anchor``, ``_scheme`` or ``_method`` given (not None), and a relative endpoint (``.name``);
* arguments other than ``str``, ``int`` or ``None`` (a float, a date, a list: their text
  or equality is not simply their value's);
* static files where files may change under a running server (debug, tests),
  since the URL carries the file's fingerprint (``core.static_assets``).

At most :data:`LIMIT` URLs are kept; past that the memory starts again, so a
page listing thousands of rows cannot grow a worker without bound.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.globals import _cv_request  # the request context itself: two proxies cost more than the lookup

#: how many URLs a worker keeps before it forgets them all and starts again
LIMIT = 4096
#: argument types whose value alone decides the URL's text (``bool`` is left out: True == 1)
_PLAIN = frozenset({str, int, type(None)})


def remembering(build: Callable[..., str], *, is_static: Callable[[str], bool],
                remember_static: bool) -> Callable[..., str]:
    """Return a ``url_for(endpoint, **values)`` that keeps what ``build`` (the app's ``url_for``) made.

    ``is_static`` tells a static endpoint, whose URL is kept only when ``remember_static``.
    """
    built: dict[tuple[Any, ...], str] = {}

    def url_for(endpoint: str, /, **values: Any) -> str:
        context = _cv_request.get(None)
        if context is None or endpoint[:1] == "." or (not remember_static and is_static(endpoint)):
            return build(endpoint, **values)
        for name, value in values.items():
            # flask.url_for passes _anchor, _method, _scheme and _external, None unless asked for
            if type(value) not in _PLAIN or (name[:1] == "_" and value is not None):
                return build(endpoint, **values)
        key = (context.request.script_root, endpoint, *values.items())
        url = built.get(key)
        if url is None:
            url = build(endpoint, **values)
            if len(built) >= LIMIT:
                built.clear()
            built[key] = url
        return url

    return url_for
