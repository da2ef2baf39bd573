"""base.html's header and menu (``_site_header.html``) and head links (``_site_head.html``), rendered once.

Every page extends ``base.html``, whose header used to be worked out on
each request: a dozen links, a dozen tests of the endpoint for
``aria-current``, the role, the organisation's name and peer-support
setting, the switcher's organisations. That was ~0.4-1 ms of every page,
yet it depends on a handful of values only. :func:`site_header` reads those
values (:class:`Header`), renders the partial once for each distinct
``Header`` and keeps it; the partial sees nothing but ``h``, so the kept
text cannot depend on anything the key leaves out.

The CSRF token is per person and per session: the partial is rendered
with a stand-in for it, the text kept split at the stand-ins, and each
request's own token is put back in (escaped, as ``{{ csrf_token() }}``
would). The head's links (static files, ~1 KB) depend only on the path the
app is served under, where files stay as they are (production: their URLs
carry each file's fingerprint). At most :data:`LIMIT` texts are kept per
process; past that the memory starts again (a header is ~2 KB).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Flask, g, request
from flask_login import current_user
from markupsafe import Markup, escape

#: how many distinct headers a worker keeps before it forgets them all and starts again
LIMIT = 256
#: what the partial is given for csrf_token(): no character of it is escaped, none is in a token, and it is
#: made anew per process so no organisation's name can hold it (the kept text is split wherever it stands)
_STAND_IN = f"\x1ecsrf-token-{secrets.token_hex(8)}\x1e"


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
    """Return ``render(**context)``: the partial ``name``'s text, split at the CSRF token's places."""
    def render(**context: Any) -> tuple[str, ...]:
        return tuple(app.jinja_env.get_template(name).render(csrf_token=_stand_in, **context).split(_STAND_IN))

    return render


def register(app: Flask) -> None:
    """Give templates ``site_head()`` and ``site_header()``, from the kept text where there is one."""
    render_head, render_header = renderer(app, "_site_head.html"), renderer(app, "_site_header.html")
    # as core.static_assets: where files may change under a running server, their URLs (fingerprints) may too
    files_may_change = bool(app.debug or app.testing or app.config.get("DEBUG"))
    kept: dict[Any, tuple[str, ...]] = {}

    def keep(key: Any, parts: tuple[str, ...]) -> None:
        if not app.jinja_env.auto_reload:  # templates may change under a development server: keep nothing
            if len(kept) >= LIMIT:
                kept.clear()
            kept[key] = parts

    def site_head() -> Markup:
        key = request.script_root
        parts = None if files_may_change else kept.get(key)
        if parts is None:
            parts = render_head()
            if not files_may_change:
                keep(key, parts)
        return Markup(_join(parts))

    def site_header() -> Markup:
        header = header_of(current_user.is_authenticated, g.get("membership"), g.get("memberships") or (),
                           request.endpoint, request.script_root)
        parts = kept.get(header)
        if parts is None:
            parts = render_header(h=header)
            keep(header, parts)
        return Markup(_join(parts))

    def _join(parts: tuple[str, ...]) -> str:
        if len(parts) == 1:
            return parts[0]
        return str(escape(app.jinja_env.globals["csrf_token"]())).join(parts)  # type: ignore[operator]

    app.jinja_env.globals["site_head"] = site_head
    app.jinja_env.globals["site_header"] = site_header
