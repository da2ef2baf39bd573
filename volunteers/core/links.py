"""Absolute links for e-mails and calendar feeds, pointing where the app is served.

``BASE_URL`` (config ``BASE_URL``) wins when it is set. When it is not, a
link built while answering a request uses that request's own address
(``request.host_url``: scheme, host and port as the browser reached us), so
an app run on another port or host sends links that work. Jobs and
commands have no request: they use ``SERVER_NAME_FOR_LINKS`` (BASE_URL, or
``http://127.0.0.1:5000``).

The request's address comes from its Host header; in production set
``BASE_URL``, or ``TRUSTED_HOSTS`` so that Flask refuses any other host.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request


def base_url() -> str:
    """Return the site's address without a trailing slash."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return str(current_app.config["SERVER_NAME_FOR_LINKS"]).rstrip("/")


def absolute(path: str) -> str:
    """Return ``path`` (starting with ``/``) as an absolute link to this site."""
    return f"{base_url()}{path}"
