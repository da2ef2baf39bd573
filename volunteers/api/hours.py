"""The volunteer's own hours: log hours given outside the rota (pending approval), and list my entries."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from volunteers.api.auth import current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import field_problem
from volunteers.api.paging import page
from volunteers.api.schemas.common import PageArgs
from volunteers.api.schemas.contributions import HoursEntrySchema, HoursPageSchema, LogHoursArgs
from volunteers.contributions import services as contributions
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db


def entry_json(entry: Contribution) -> dict[str, Any]:
    return {"id": entry.id, "date": entry.occurred_on, "hours": float(entry.hours), "kind": entry.kind,
            "status": entry.status, "role_id": entry.role_id, "note": entry.note}


@bp.arguments(PageArgs, location="query", as_kwargs=True)
@bp.response(200, HoursPageSchema)
def my_hours(limit: int, cursor: str | None) -> dict[str, Any]:
    """My entries in this organisation's ledger (shifts attended, hours logged), oldest first."""
    membership = current_membership()
    rows = list(db.session.scalars(
        scoped(Contribution, membership.organisation_id)
        .where(Contribution.membership_id == membership.id).order_by(Contribution.id)))
    result = page(rows, lambda c: ("", c.id), limit, cursor)
    result["items"] = [entry_json(c) for c in result["items"]]
    return result


@bp.arguments(LogHoursArgs, as_kwargs=True)
@bp.response(201, HoursEntrySchema)
def log_hours(day: date, hours: float, role_id: int | None, note: str | None) -> dict[str, Any]:
    """Log hours given outside the rota; they wait for a coordinator's approval (400 names the field)."""
    try:
        entry = contributions.log_hours(current_organisation(), current_membership(), day, Decimal(str(hours)),
                                        role_id, note, utcnow())
    except ServiceError as error:
        field = {"day": "date", "membership": "token"}.get(error.field or "hours", error.field or "hours")
        raise field_problem(field, str(error)) from None
    return entry_json(entry)
