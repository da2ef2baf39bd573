"""The security headers every response carries: the one place they are set.

``volunteers.app`` registers :func:`add_security_headers` after each request.

* ``Content-Security-Policy``: scripts only from this site, never inline (the
  templates' behaviour lives in ``static/app.js``, hooked up by data
  attributes). Styles may be inline: the templates use ``style=`` attributes
  and the server-rendered pygal charts embed a ``<style>`` in their SVG; a
  style can restyle a page but cannot run code. ``data:`` images are Pico's
  SVG icons (select arrows, checkboxes).
* ``Strict-Transport-Security``: only in production (not debug, not testing),
  where the app sits behind HTTPS.
* ``Cache-Control: no-store``: on every response to a signed-in person and on
  every page under /me, /people and /reports, so a shared computer's cache or
  a proxy keeps nobody's data. Static files stay cacheable.
"""
from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
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


def register(app: Flask) -> None:
    """Set the headers on every response ``app`` sends."""
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in ALWAYS.items():
            response.headers.setdefault(name, value)
        if is_production(app):
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        if _private():
            response.headers["Cache-Control"] = "no-store"
        return response


def _private() -> bool:
    if request.endpoint == "static":
        return False
    path = request.path if request.path.endswith("/") else request.path + "/"
    return path.startswith(PRIVATE_PREFIXES) or bool(current_user.is_authenticated)
