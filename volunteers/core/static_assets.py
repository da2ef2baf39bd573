"""Static files with fingerprinted URLs, cached by browsers for a year.

Every ``url_for('static', filename=...)`` (and a blueprint's ``bp.static``)
gets ``?v=<first 12 hex digits of the file's SHA-256>`` added in one place,
an ``url_defaults`` callback, so no template has to change. A request for a
static file whose ``v`` is the file's current fingerprint is answered with
``Cache-Control: public, max-age=31536000, immutable``: the browser need not
even ask again, and a changed file gets a new URL, so nobody keeps a stale
stylesheet. A request without ``v``, or with an old one, keeps Flask's
default (revalidate with the ETag each time).

Fingerprints are computed once per file version (keyed by the file's path,
size and modification time), so building a URL costs one ``stat`` in
development and tests, where files are edited under a running server. In
production (neither debug nor testing) a worker serves the files it started
with (a deploy restarts the workers), so each URL's fingerprint is looked up
once per process and then read from a dictionary: a page links about ten
static files. There the whole URL is kept too (``core.urls``, which keeps
every URL a page builds): building one through the routing map for each of
a page's nine static links was a measurable share of a small page.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from typing import Any

from flask import Flask, Response, request
from werkzeug.security import safe_join

from volunteers.core import urls

#: how long a browser may keep a fingerprinted file without asking: a year
MAX_AGE_S = 365 * 24 * 3600
#: the query parameter carrying the fingerprint
PARAM = "v"


@lru_cache(maxsize=512)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:12]


def fingerprint(folder: str | None, filename: str) -> str | None:
    """Return the fingerprint of ``filename`` under ``folder``, or None when there is no such file."""
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _digest(path, stat.st_size, stat.st_mtime_ns)


def _static_folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return blueprint.static_folder if blueprint is not None else None


def is_static(endpoint: str | None) -> bool:
    """Tell whether ``endpoint`` serves static files (the app's ``static`` or a blueprint's ``bp.static``)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def register(app: Flask) -> None:
    """Fingerprint the URLs of static files and let browsers keep fingerprinted files for a year."""
    files_may_change = bool(app.debug or app.testing or app.config.get("DEBUG"))
    known: dict[tuple[str, str], str | None] = {}  # production: (endpoint, filename) -> fingerprint, per process

    def current(endpoint: str, filename: str) -> str | None:
        if files_may_change:
            return fingerprint(_static_folder(app, endpoint), filename)
        key = (endpoint, filename)
        if key not in known:
            known[key] = fingerprint(_static_folder(app, endpoint), filename)
        return known[key]

    # every URL a page builds is kept once made (core.urls); a static one only where files stay as they are
    remembered = urls.remembering(app.url_for, is_static=is_static, remember_static=not files_may_change)
    app.jinja_env.globals["url_for"] = remembered
    app.url_for = remembered  # type: ignore[method-assign]  # flask.url_for in views: current_app.url_for

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if not is_static(endpoint) or PARAM in values or not isinstance(values.get("filename"), str):
            return
        digest = current(endpoint, values["filename"])
        if digest is not None:
            values[PARAM] = digest

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if not is_static(request.endpoint) or response.status_code != 200 or request.view_args is None:
            return response
        wanted = request.args.get(PARAM)
        filename = request.view_args.get("filename")
        if wanted and isinstance(filename, str) and request.endpoint is not None and \
                wanted == current(request.endpoint, filename):
            response.cache_control.public = True
            response.cache_control.max_age = MAX_AGE_S
            response.cache_control.immutable = True
        return response
