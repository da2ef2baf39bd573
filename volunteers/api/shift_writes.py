"""The coordinator's shift writes: create a one-off shift, change how many it needs, cancel it.

The same services as the board's forms (``rota.services``), audited with
the same actions (``shifts.create``, ``shifts.update``, ``shifts.cancel_shift``).
"""
from __future__ import annotations

from datetime import date, time
from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import field_problem
from volunteers.api.me import shift_json
from volunteers.api.schemas.common import ReasonArgs
from volunteers.api.schemas.shifts import NewShiftArgs, ShiftCancelledSchema, ShiftSchema, ShiftUpdateArgs
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR, utcnow
from volunteers.extensions import db
from volunteers.rota import services as rota
from volunteers.rota import site_scope
from volunteers.rota.models import Site

#: the services' field names, as the API's body names them
FIELDS = {"day": "date"}


def _is_site(org: Organisation, site_id: int) -> bool:
    return db.session.scalar(scoped(Site, org, Site.id).where(Site.id == site_id)) is not None


def refused(error: ServiceError, status: int = 400) -> Exception:
    field = FIELDS.get(error.field or "", error.field or "body")
    return field_problem(field, str(error), status)


@bp.arguments(NewShiftArgs, as_kwargs=True)
@bp.response(201, ShiftSchema)
@coordinator_call
def create_shift(day: date, start: time, end: time, role_id: int, site_id: int, needed: int,
                 notes: str | None) -> dict[str, Any]:
    """Add a one-off shift (a draft until the rota is published)."""
    if not MIN_YEAR < day.year < MAX_YEAR:
        raise field_problem("date", f"a date between {MIN_YEAR + 1} and {MAX_YEAR - 1}")
    org = current_organisation()
    if db.session.scalar(site_scope.within_sites(scoped(Site, org, Site.id).where(Site.id == site_id), Site.id,
                                                 current_membership())) is None and _is_site(org, site_id):
        raise field_problem("site_id", "Choose one of your sites.")  # a coordinator limited to some: hers only
    try:
        shift = rota.create_shift(org, rota.ShiftSpec(day, start, end, role_id, site_id, needed, notes))
    except ServiceError as error:
        raise refused(error) from None
    audit.record(org, current_membership().person_id, "shifts.create", "shift", shift.id, now=utcnow(),
                 starts_at=shift.starts_at, ends_at=shift.ends_at, role_id=shift.role_id, site_id=shift.site_id,
                 needed=shift.needed)
    return shift_json(shift, shift.needed - shift.filled)


@bp.arguments(ShiftUpdateArgs, as_kwargs=True)
@bp.response(200, ShiftSchema)
@coordinator_call
def update_shift(shift_id: int, needed: int) -> dict[str, Any]:
    """Change how many people a shift needs (never below those on it: 422)."""
    org = current_organisation()
    shift = site_scope.shift_or_404(org, shift_id, current_membership())  # another site's: 404, as the panel
    before = shift.needed
    try:
        rota.set_needed(org, shift, needed)
    except ServiceError as error:
        raise refused(error, 422) from None
    audit.record(org, current_membership().person_id, "shifts.update", "shift", shift.id, now=utcnow(),
                 changes={"needed": [before, needed]} if before != needed else {})
    return shift_json(shift, shift.needed - shift.filled)


@bp.arguments(ReasonArgs, as_kwargs=True, required=False)
@bp.response(200, ShiftCancelledSchema)
@coordinator_call
def cancel_shift(shift_id: int, reason: str | None) -> dict[str, Any]:
    """Cancel a shift that is not over: its places are freed and everyone on it is told by e-mail."""
    org = current_organisation()
    shift = site_scope.shift_or_404(org, shift_id, current_membership())  # another site's: 404, as the panel
    try:
        told = rota.cancel_shift(org, shift, utcnow(), current_membership().person_id, (reason or "").strip() or None)
    except ServiceError as error:
        raise refused(error, 422) from None
    return {"shift_id": shift.id, "status": shift.status, "people_told": told}
