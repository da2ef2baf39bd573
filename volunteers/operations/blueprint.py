"""Every URL rule of ``volunteers.operations``, and the hooks it adds to every request.

Registering the blueprint also connects this package to Flask's
``request_started`` and ``request_finished`` signals, so the app factory only
lists it like any other feature. Signals rather than before/after-request
hooks: ``request_started`` comes before every hook (session loading is
timed too) and ``request_finished`` after them all, the commit included.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response, request_finished, request_started
from flask.sansio.blueprints import BlueprintSetupState

from volunteers.operations import metrics, requestlog, views

bp = Blueprint("operations", __name__)
bp.add_url_rule("/metrics", view_func=views.show_metrics, methods=["GET"])
bp.add_url_rule("/readyz", view_func=views.readyz, methods=["GET"])
bp.after_app_request(requestlog.note_organisation)  # runs before the app's commit (after-hooks run last-first)


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    app = state.app
    assert isinstance(app, Flask)
    requestlog.configure_logging(app)
    metrics.watch_pools()
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)


def _started(sender: Flask, **_: object) -> None:
    metrics.start_timer()
    requestlog.start_request()


def _finished(sender: Flask, response: Response, **_: object) -> None:
    metrics.observe_request(response)
    requestlog.finish_request(response)


BLUEPRINTS = (bp,)
