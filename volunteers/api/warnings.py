"""The coordinator's load warnings: the list (open by default), acknowledging and snoozing one (services audit)."""
from __future__ import annotations

from datetime import date, time
from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.paging import page
from volunteers.api.schemas.warnings import AcknowledgeArgs, SnoozeArgs, WarningArgs, WarningPageSchema, WarningSchema
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR, local_to_utc, utcnow
from volunteers.extensions import db
from volunteers.wellbeing import services as wellbeing
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.queries import visible_warnings


def warning_json(row: LoadWarning) -> dict[str, Any]:
    return {"id": row.id, "membership_id": row.membership_id, "rule": row.rule, "severity": row.severity,
            "status": row.status, "prospective": row.prospective, "window_start": row.window_start,
            "window_end": row.window_end, "value": float(row.value), "threshold": float(row.threshold),
            "message": row.message, "snoozed_until": row.snoozed_until, "acknowledged_at": row.acknowledged_at}


def _warning_or_404(warning_id: int) -> LoadWarning:
    """The warning if the token's coordinator may see it (another organisation's, or another site's for one
    limited to some sites, is a 404: the /warnings page's rule)."""
    warning = db.session.scalar(visible_warnings(current_organisation(), current_membership())
                                .where(LoadWarning.id == warning_id))
    if warning is None:
        raise ApiProblem(404, "not-found", "No such warning.")
    return warning


@bp.arguments(WarningArgs, location="query", as_kwargs=True)
@bp.response(200, WarningPageSchema)
@coordinator_call
def list_warnings(status: str, severity: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    """The organisation's load warnings, oldest first: `open` (default), `acknowledged`, `resolved` or `all`."""
    stmt = visible_warnings(current_organisation(), current_membership()).order_by(LoadWarning.id)
    if status != "all":
        stmt = stmt.where(LoadWarning.status == status)
    if severity:
        stmt = stmt.where(LoadWarning.severity == severity)
    rows = list(db.session.scalars(stmt))
    result = page(rows, lambda w: ("", w.id), limit, cursor)
    result["items"] = [warning_json(w) for w in result["items"]]
    return result


@bp.arguments(AcknowledgeArgs, as_kwargs=True, required=False)
@bp.response(200, WarningSchema)
@coordinator_call
def acknowledge(warning_id: int, note: str | None) -> dict[str, Any]:
    """Mark a warning seen and dealt with (a note optional); it reopens if it gets worse. 422 once resolved."""
    org = current_organisation()
    warning = _warning_or_404(warning_id)
    try:
        wellbeing.acknowledge(org, warning, current_membership().person, note, utcnow())
    except ServiceError as error:
        raise ApiProblem(422, "unprocessable", str(error),
                         [{"field": error.field or "warning", "message": str(error)}]) from None
    return warning_json(warning)


@bp.arguments(SnoozeArgs, as_kwargs=True)
@bp.response(200, WarningSchema)
@coordinator_call
def snooze(warning_id: int, until: date, note: str | None) -> dict[str, Any]:
    """Hide a warning until a local date (within 90 days) unless it gets worse; 400 names `until` otherwise."""
    org = current_organisation()
    warning = _warning_or_404(warning_id)
    if not MIN_YEAR < until.year < MAX_YEAR:
        raise field_problem("until", "a date within the next 90 days")
    try:
        wellbeing.snooze(org, warning, current_membership().person, local_to_utc(until, time(0), org.timezone),
                         note, utcnow())
    except ServiceError as error:
        if error.field == "until":
            raise field_problem("until", str(error)) from None
        raise ApiProblem(422, "unprocessable", str(error),
                         [{"field": error.field or "warning", "message": str(error)}]) from None
    return warning_json(warning)
