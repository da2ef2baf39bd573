"""The installable app: the service worker, served from the site's root so its scope is the whole site.

The worker itself is a plain static file (``static/sw.js``, no build step);
only its URL is special: a worker controls the pages under the folder it is
served from, and "My shifts" lives at ``/me/shifts``, not under ``/static/``.
It is answered with ``Cache-Control: no-cache`` (``no-store`` when someone is
signed in, like every response then): browsers compare it with the installed
worker on each visit, so a new version reaches phones on their next page.
The manifest and icons are ordinary fingerprinted static files.
"""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app
from flask.typing import ResponseReturnValue

#: the worker's file in the app's static folder
WORKER = "sw.js"


def service_worker() -> ResponseReturnValue:
    """Serve ``static/sw.js`` at ``/sw.js`` (scope ``/``)."""
    folder = current_app.static_folder
    if folder is None:  # pragma: no cover - the app always has one
        return Response(status=404)
    # read whole (a few kilobytes): no file handle left open on the response
    response = Response(Path(folder, WORKER).read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
