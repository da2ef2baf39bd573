"""The coordinator's assignments: put someone on a shift (the board's eligibility and load checks), take them off.

``autofill.assign.assign`` asks what the board asks; when it needs an
override, a reason or an acceptance the call answers 422 saying which
(``needs-override``, ``needs-reason``, ``needs-accept``) with the reasons
and warnings, and the caller sends it again with ``override_reason`` or
``accept_warnings``. Both writes are audited by the services.
"""
from __future__ import annotations

from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem
from volunteers.api.schemas.shifts import AssignArgs, AssignmentSchema
from volunteers.autofill import assign as assigning
from volunteers.core.tenancy import get_scoped
from volunteers.core.timeutil import utcnow
from volunteers.rota import services as rota
from volunteers.rota import site_scope
from volunteers.rota.models import Assignment
from volunteers.rota.places import PlaceError

#: how each refusal to take or free a place answers
STATUS_OF = {"not_found": 404, "already_on": 409, "full": 409}


def place_refused(error: PlaceError) -> ApiProblem:
    return ApiProblem(STATUS_OF.get(error.code, 422), error.code.replace("_", "-"), str(error))


def _warnings(outcome: assigning.AssignOutcome) -> list[dict[str, str]]:
    return [{"rule": w.rule, "severity": w.severity, "message": w.message} for w in outcome.warnings]


@bp.arguments(AssignArgs, as_kwargs=True)
@bp.response(201, AssignmentSchema)
@coordinator_call
def assign(shift_id: int, membership_id: int, override_reason: str | None, accept_warnings: bool) -> dict[str, Any]:
    """Put a member on a shift, with the board's checks: 422 says what override is needed, 409 when full."""
    site_scope.shift_or_404(current_organisation(), shift_id, current_membership())  # another site's: 404
    try:
        outcome = assigning.assign(current_organisation(), shift_id, membership_id,
                                   actor_person_id=current_membership().person_id, now=utcnow(),
                                   override_reason=override_reason, accept_warnings=accept_warnings)
    except PlaceError as error:
        raise place_refused(error) from None
    if outcome.needs or outcome.assignment is None:
        what = "; ".join([r.message for r in outcome.reasons] + [w.message for w in outcome.warnings])
        asked = {"override": "override_reason", "reason": "override_reason", "accept": "accept_warnings"}
        field = asked.get(outcome.needs or "", "override_reason")
        raise ApiProblem(422, f"needs-{outcome.needs}", f"Send {field} to go ahead: {what}",
                         [{"field": field, "message": what or "needed"}])
    return {"assignment_id": outcome.assignment.id, "shift_id": outcome.shift.id,
            "membership_id": outcome.membership.id, "status": outcome.assignment.status,
            "warnings": _warnings(outcome)}


@bp.response(200, AssignmentSchema)
@coordinator_call
def remove(assignment_id: int) -> dict[str, Any]:
    """Take someone off a shift; their place opens again (404 for another organisation's or site's place)."""
    place = get_scoped(Assignment, current_organisation(), assignment_id)
    if place is not None:
        site_scope.shift_or_404(current_organisation(), place.shift_id, current_membership())
    try:
        assignment = rota.remove_assignment(current_organisation(), assignment_id, utcnow(),
                                            current_membership().person_id)
    except PlaceError as error:
        raise place_refused(error) from None
    return {"assignment_id": assignment.id, "shift_id": assignment.shift_id,
            "membership_id": assignment.membership_id, "status": assignment.status, "warnings": []}
