"""Every URL rule of ``/api/v1``, in one place, and how the API is plugged into the app.

``register(app)`` (called by ``create_app``) configures flask-smorest, which
serves the OpenAPI document at ``/api/v1/openapi.json`` (no token), and
registers the API blueprint (bearer tokens, problem+json errors, per-token
rate limits, no CSRF: see ``api.auth``) and the pages: the docs and /me/tokens.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app
from flask.typing import ResponseReturnValue
from flask_smorest.spec.plugins import integerconverter2paramschema
from werkzeug.exceptions import HTTPException

from volunteers.api import (
    assignments,
    auth,
    cases,
    contributions,
    docs,
    hours,
    me,
    people,
    people_details,
    reports,
    shift_writes,
    shifts,
    token_views,
    warnings,
    webhook_views,
)
from volunteers.api.base import api, bp, configure
from volunteers.api.errors import from_http_exception, from_unexpected
from volunteers.core.webparams import IdConverter
from volunteers.extensions import csrf, limiter

bp.add_url_rule("/me/shifts", view_func=me.my_shifts, methods=["GET"], tags=["me"])
bp.add_url_rule("/me/shifts/open", view_func=me.open_shifts, methods=["GET"], tags=["me"])
bp.add_url_rule("/me/shifts/<int:shift_id>/sign-up", view_func=me.sign_up, methods=["POST"], tags=["me"])
bp.add_url_rule("/me/places/<int:assignment_id>/cancel", view_func=me.cancel, methods=["POST"], tags=["me"])
bp.add_url_rule("/me/places/<int:assignment_id>/offer", view_func=me.offer, methods=["POST"], tags=["me"])
bp.add_url_rule("/me/offers", view_func=me.open_offers, methods=["GET"], tags=["me"])
bp.add_url_rule("/me/offers/<int:offer_id>/accept", view_func=me.accept_offer, methods=["POST"], tags=["me"])
bp.add_url_rule("/me/load-note", view_func=me.load_note, methods=["GET"], tags=["me"])
bp.add_url_rule("/me/hours", view_func=hours.my_hours, methods=["GET"], tags=["me"])
bp.add_url_rule("/me/hours", endpoint="log_hours", view_func=hours.log_hours, methods=["POST"], tags=["me"])
bp.add_url_rule("/shifts", view_func=shifts.list_shifts, methods=["GET"], tags=["shifts"])
bp.add_url_rule("/shifts", endpoint="create_shift", view_func=shift_writes.create_shift, methods=["POST"],
                tags=["shifts"])
bp.add_url_rule("/shifts/<int:shift_id>", view_func=shift_writes.update_shift, methods=["PATCH"], tags=["shifts"])
bp.add_url_rule("/shifts/<int:shift_id>/cancel", view_func=shift_writes.cancel_shift, methods=["POST"],
                tags=["shifts"])
bp.add_url_rule("/shifts/<int:shift_id>/assignments", view_func=assignments.assign, methods=["POST"],
                tags=["assignments"])
bp.add_url_rule("/assignments/<int:assignment_id>", view_func=assignments.remove, methods=["DELETE"],
                tags=["assignments"])
bp.add_url_rule("/people", view_func=people.list_people, methods=["GET"], tags=["people"])
bp.add_url_rule("/people", endpoint="create_person", view_func=people.create_person, methods=["POST"],
                tags=["people"])
bp.add_url_rule("/people/<int:membership_id>", view_func=people.read_person, methods=["GET"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>", endpoint="update_person", view_func=people.update_person,
                methods=["PATCH"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/availability", view_func=people_details.availability, methods=["GET"],
                tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/availability", endpoint="set_availability",
                view_func=people_details.set_availability, methods=["PUT"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/leave", view_func=people_details.leave, methods=["GET"],
                tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/leave", endpoint="add_leave", view_func=people_details.add_leave,
                methods=["POST"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/leave/<int:leave_id>", view_func=people_details.remove_leave,
                methods=["DELETE"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/qualifications", view_func=people_details.qualifications,
                methods=["GET"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/qualifications", endpoint="add_qualification",
                view_func=people_details.add_qualification, methods=["POST"], tags=["people"])
bp.add_url_rule("/people/<int:membership_id>/qualifications/<int:qualification_id>",
                view_func=people_details.remove_qualification, methods=["DELETE"], tags=["people"])
bp.add_url_rule("/warnings", view_func=warnings.list_warnings, methods=["GET"], tags=["warnings"])
bp.add_url_rule("/warnings/<int:warning_id>/acknowledge", view_func=warnings.acknowledge, methods=["POST"],
                tags=["warnings"])
bp.add_url_rule("/warnings/<int:warning_id>/snooze", view_func=warnings.snooze, methods=["POST"], tags=["warnings"])
bp.add_url_rule("/contributions", endpoint="record_contribution", view_func=contributions.record, methods=["POST"],
                tags=["contributions"])
bp.add_url_rule("/contributions/<int:contribution_id>/approve", view_func=contributions.approve, methods=["POST"],
                tags=["contributions"])
bp.add_url_rule("/contributions/<int:contribution_id>/reject", view_func=contributions.reject, methods=["POST"],
                tags=["contributions"])
bp.add_url_rule("/contributions/<int:contribution_id>/reverse", view_func=contributions.reverse, methods=["POST"],
                tags=["contributions"])
bp.add_url_rule("/reports/monthly/<month>", view_func=reports.monthly_report, methods=["GET"], tags=["reports"],
                parameters=[{"in": "path", "name": "month", "required": True,
                             "schema": {"type": "string", "pattern": reports.MONTH_PATTERN}}])
bp.add_url_rule("/cases", view_func=cases.list_cases, methods=["GET"], tags=["peer support"])
bp.add_url_rule("/cases/due", view_func=cases.cases_due, methods=["GET"], tags=["peer support"])
bp.add_url_rule("/cases/<int:case_id>", view_func=cases.read_case, methods=["GET"], tags=["peer support"])
bp.add_url_rule("/cases/<int:case_id>/contacts", view_func=cases.log_contact, methods=["POST"],
                tags=["peer support"])
bp.add_url_rule("/load/assess", view_func=reports.assess_load, methods=["POST"], tags=["load"])

pages = Blueprint("api_pages", __name__)
pages.add_url_rule("/api/v1/docs", view_func=docs.docs_page, methods=["GET"])
pages.add_url_rule("/me/tokens", view_func=token_views.tokens_page, methods=["GET", "POST"])
pages.add_url_rule("/me/tokens/<int:token_id>/revoke", view_func=token_views.revoke, methods=["POST"])
pages.add_url_rule("/settings/webhooks", view_func=webhook_views.webhooks_page, methods=["GET", "POST"])
pages.add_url_rule("/settings/webhooks/<int:endpoint_id>/remove", view_func=webhook_views.remove, methods=["POST"],
                  endpoint="remove_webhook")

#: calls that are POSTs but change nothing, so a read token may make them
WRITE_NOTHING = frozenset({"api.assess_load"})


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "300/minute"))


@bp.before_request
def _authenticate() -> None:
    auth.authenticate(writes_nothing=WRITE_NOTHING)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    return from_http_exception(error)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if current_app.testing:
        raise error
    return from_unexpected(error)


csrf.exempt(bp)  # bearer tokens only: session cookies are never read under /api/v1 (api.auth)
limiter.limit(_rate_limit, key_func=auth.rate_limit_key)(bp)


def register(app: Flask) -> None:
    """Plug the API into ``app``: flask-smorest, the blueprint and its documentation, the pages."""
    configure(app)
    api.init_app(app)
    api.register_converter(IdConverter, integerconverter2paramschema)  # path ids: integers within the id range
    api.register_blueprint(bp)
    app.register_blueprint(pages)

