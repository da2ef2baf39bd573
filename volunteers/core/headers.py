"""The security headers every response carries: the one place they are set.

``volunteers.app`` registers :func:`add_security_headers` after each request.

* ``Content-Security-Policy``: scripts and styles only from this site, never
  inline. The templates' behaviour lives in ``static/app.js`` (hooked up by
  data attributes) and their looks in ``static/*.css`` (classes, never
  ``style=``); the report charts are drawn without pygal's ``<style>``
  (``static/charts.css`` holds its rules), and htmx is told not to inject its
  indicator ``<style>``. Injected CSS can still exfiltrate (attribute
  selectors loading images) and redress a page, hence no ``'unsafe-inline'``.
  A standalone document that must carry its own ``<style>`` (the monthly
  report, read from disk or in a mail client) is served with
  :func:`allow_inline_styles`: that response alone accepts those exact style
  texts, by their SHA-256 hash. ``data:`` images are Pico's SVG icons (select
  arrows, checkboxes).
* ``Strict-Transport-Security``: only in production (not debug, not testing),
  where the app sits behind HTTPS.
* ``Cache-Control: no-store``: on every response to a signed-in person and on
  every page under /me, /people and /reports, so a shared computer's cache or
  a proxy keeps nobody's data. Static files stay cacheable.
"""
from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, request
from flask_login import current_user

from volunteers.core import static_assets

#: where styles may come from; :func:`allow_inline_styles` adds hashes to it for one response
STYLE_SRC = "style-src 'self'"
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    STYLE_SRC,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
#: pages about people: never stored, whoever asks
PRIVATE_PREFIXES = ("/me/", "/people/", "/reports/")
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def is_production(app: Flask) -> bool:
    """Production is neither debug nor testing (the rule ``create_app`` uses for the secret key)."""
    return not (app.debug or app.testing or app.config.get("DEBUG"))


def style_hash(css: str) -> str:
    """Return the CSP source that allows a ``<style>`` element whose text is exactly ``css``."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allow_inline_styles(response: Response, *styles: str) -> Response:
    """Let ``response`` (a standalone document) apply these exact ``<style>`` texts, and no other inline style.

    The rest of the policy stays the site's; ``style=`` attributes stay refused.
    """
    hashes = " ".join(style_hash(css) for css in styles)
    policy = CONTENT_SECURITY_POLICY.replace(STYLE_SRC, f"{STYLE_SRC} {hashes}" if hashes else STYLE_SRC)
    response.headers["Content-Security-Policy"] = policy
    return response


def register(app: Flask) -> None:
    """Set the headers on every response ``app`` sends.

    Every response pays for this, so what can be is worked out once here: the
    headers to add, in order, and the lower-case names to look for (a response
    that sets one of them itself keeps its own, and gets the others).
    """
    always = tuple(ALWAYS.items())
    if is_production(app):
        always += (("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY),)
    names = frozenset(name.lower() for name, _ in always)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        adding = always
        if any(name.lower() in names for name, _ in headers):  # rare: it set some itself (allow_inline_styles)
            present = {name.lower() for name, _ in headers}
            adding = tuple((name, value) for name, value in always if name.lower() not in present)
        add = headers.add
        for name, value in adding:
            add(name, value)
        if _private():
            headers["Cache-Control"] = "no-store"
        return response


def _private() -> bool:
    req = request._get_current_object()  # type: ignore[attr-defined]  # the proxy once, not once per attribute
    if static_assets.is_static(req.endpoint):  # the app's and a blueprint's static files
        return False
    path = req.path if req.path.endswith("/") else req.path + "/"
    return path.startswith(PRIVATE_PREFIXES) or bool(current_user.is_authenticated)
