"""base.html from its head's links to its site header (``_page_top.html``), rendered once for what it shows.

Every page extends ``base.html``, whose header used to be worked out on
each request: a dozen links, a dozen tests of the endpoint for
``aria-current``, the role, the organisation's name and peer-support
setting, the switcher's organisations. That was ~0.4-1 ms of every page,
yet it depends on a handful of values only. :func:`page_top` reads those
values (:class:`Header`), renders the partial once for each distinct
``Header`` and keeps it; the partial sees nothing but ``h``, so the kept
text cannot depend on anything the key leaves out. The head's links
(``_site_head.html``: static files, ~1 KB), the "signed in" mark and the
service worker's script are part of it: they depend only on the path the
app is served under and on being signed in, both in the key, and on the
static files, which stay as they are where the text is kept (production:
their URLs carry each file's fingerprint).

Three values are the request's own: the CSRF token (per person and per
session) and when the page was made, as an ISO instant and as the
organisation's local time. The partial is rendered with a stand-in for
each, the text kept split at the stand-ins, and each request's values put
back in (escaped, as ``{{ csrf_token() }}`` would be). Rendered as one
kept text rather than base.html's nine calls (two kept partials, the time
twice, the sign-in test, the script's URL, the token): a page's fixed cost.
At most :data:`LIMIT` texts are kept per process; past that the memory
starts again (a top is ~3 KB).
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Flask, g, request
from flask_login import current_user
from markupsafe import Markup, escape

#: how many distinct headers a worker keeps before it forgets them all and starts again
LIMIT = 256
#: what the partial is given for csrf_token() and the page's time: no character of them is escaped, none is in a
#: token or a time, and they are made anew per process so no organisation's name can hold one (the kept text is
#: split wherever they stand)
_STAND_IN = f"\x1ecsrf-token-{secrets.token_hex(8)}\x1e"
_ISO_STAND_IN = f"\x1erendered-at-{secrets.token_hex(8)}\x1e"
_LOCAL_STAND_IN = f"\x1erendered-local-{secrets.token_hex(8)}\x1e"
_STAND_INS = re.compile("(" + "|".join(map(re.escape, (_STAND_IN, _ISO_STAND_IN, _LOCAL_STAND_IN))) + ")")
#: how base.html wrote the page's local time (``made_at|local_dt(...)``)
LOCAL_TIME_FORMAT = "%-d %b, %H:%M"


class Current(NamedTuple):
    """Which menu items say ``aria-current="page"`` on this endpoint."""

    rota: bool
    people: bool
    requests: bool
    hours: bool
    cases: bool
    warnings: bool
    settings: bool
    audit: bool
    mine: bool
    mothers: bool
    security: bool


class Header(NamedTuple):
    """All the header shows: the kept text's key."""

    script_root: str  # url_for's links start with it
    org_name: str
    signed_in: bool
    member: bool  # has a current membership
    coordinator: bool
    admin: bool
    peer_support: bool
    current: Current
    my_shifts: bool  # a volunteer's "My shifts" (left out on their own pages, whose menu starts with it)
    switch: tuple[tuple[Any, bool, str], ...]  # two organisations or more: (organisation id, current, name)


_MINE = ("me.", "availability.", "hours.", "privacy.my_")
_OWN_MENU = (*_MINE, "reports.statement_page", "peersupport.my_mothers")


def current_items(endpoint: str | None) -> Current:
    """The menu items current on ``endpoint`` (as base.html's tests of ``request.endpoint`` said)."""
    ep = endpoint or ""
    return Current(rota=ep == "rota.board", people=ep.startswith("people."),
                   requests=ep == "requests.list_requests", hours=ep.startswith(("contributions.", "reports.")),
                   cases=ep.startswith("peersupport.") and ep != "peersupport.my_mothers",
                   warnings=ep.startswith("wellbeing."), settings=ep.startswith("settings."),
                   audit=ep.startswith("auditing."), mine=ep.startswith(_MINE),
                   mothers=ep == "peersupport.my_mothers", security=ep == "account.security")


def header_of(signed_in: bool, membership: Any, memberships: Any, endpoint: str | None, script_root: str) -> Header:
    """What the header shows for this viewer on this endpoint."""
    current = _current.get(endpoint)
    if current is None:
        current = _current[endpoint] = current_items(endpoint)  # one per endpoint of the URL map
    if membership is None:
        org_name, coordinator, admin, peer_support = "volunteers", False, False, False
    else:
        organisation = membership.organisation
        org_name, coordinator = organisation.name, bool(membership.is_coordinator)
        admin, peer_support = membership.role == "admin", bool(organisation.setting("peer_support"))
    switch: tuple[tuple[Any, bool, str], ...] = ()
    if len(memberships) > 1:
        switch = tuple((m.organisation_id, membership is not None and m.id == membership.id, m.organisation.name)
                       for m in memberships)
    return Header(script_root, org_name, signed_in, membership is not None, coordinator, admin, peer_support,
                  current, membership is not None and not (endpoint or "").startswith(_OWN_MENU), switch)


_current: dict[str | None, Current] = {}


def _stand_in() -> str:
    return _STAND_IN


def renderer(app: Flask, name: str) -> Callable[..., tuple[str, ...]]:
    """Return ``render(**context)``: the partial ``name``'s text, split at its stand-ins (kept at the odd places)."""
    def render(**context: Any) -> tuple[str, ...]:
        text = app.jinja_env.get_template(name).render(csrf_token=_stand_in, rendered_at_iso=_ISO_STAND_IN,
                                                         rendered_at_local=_LOCAL_STAND_IN, **context)
        return tuple(_STAND_INS.split(text))

    return render


def register(app: Flask) -> None:
    """Give templates ``page_top()``, from the kept text where there is one."""
    render_top = renderer(app, "_page_top.html")
    # as core.static_assets: where files may change under a running server, their URLs (fingerprints) may too
    files_may_change = bool(app.debug or app.testing or app.config.get("DEBUG"))
    kept: dict[Header, tuple[str, ...]] = {}
    env = app.jinja_env

    def page_top() -> Markup:
        header = header_of(current_user.is_authenticated, g.get("membership"), g.get("memberships") or (),
                           request.endpoint, request.script_root)
        parts = None if files_may_change else kept.get(header)
        if parts is None:
            parts = render_top(h=header)
            if not (files_may_change or env.auto_reload):  # templates may change under a development server
                if len(kept) >= LIMIT:
                    kept.clear()
                kept[header] = parts
        made_at = env.globals["rendered_at"]()  # type: ignore[operator]
        values = {_STAND_IN: str(escape(env.globals["csrf_token"]())),  # type: ignore[operator]
                  _ISO_STAND_IN: str(escape(made_at.isoformat())),
                  _LOCAL_STAND_IN: str(escape(env.filters["local_dt"](made_at, LOCAL_TIME_FORMAT)))}
        pieces = list(parts)
        for place in range(1, len(pieces), 2):  # the stand-ins' places
            pieces[place] = values[pieces[place]]
        return Markup("".join(pieces))

    app.jinja_env.globals["page_top"] = page_top
