"""The coordinator's ledger decisions: approve or reject a pending entry, reverse an approved one (all audited)."""
from __future__ import annotations

from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem
from volunteers.api.schemas import DecisionSchema, ReasonArgs, ReversalSchema
from volunteers.contributions import services as contributions
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import get_scoped_or_404
from volunteers.core.timeutil import utcnow


def _decide(contribution_id: int, decision: str) -> dict[str, Any]:
    org = current_organisation()
    entry = get_scoped_or_404(Contribution, org, contribution_id)
    if entry.status != "pending":
        raise ApiProblem(409, "already-decided", f"That entry is {entry.status} already.")
    contributions.decide(org, [entry.id], decision, current_membership().person_id, utcnow())
    return {"contribution_id": entry.id, "status": decision}


@bp.response(200, DecisionSchema)
@coordinator_call
def approve(contribution_id: int) -> dict[str, Any]:
    """Approve a pending entry (hours a volunteer logged): it counts in the month's figures. 409 once decided."""
    return _decide(contribution_id, "approved")


@bp.response(200, DecisionSchema)
@coordinator_call
def reject(contribution_id: int) -> dict[str, Any]:
    """Reject a pending entry. 409 once decided."""
    return _decide(contribution_id, "rejected")


@bp.arguments(ReasonArgs, as_kwargs=True, required=False)
@bp.response(201, ReversalSchema)
@coordinator_call
def reverse(contribution_id: int, reason: str | None) -> dict[str, Any]:
    """Cancel an approved entry by adding its reversal (the ledger is append-only); 422 when it cannot be."""
    org = current_organisation()
    entry = get_scoped_or_404(Contribution, org, contribution_id)
    try:
        reversal = contributions.reverse(org, entry.id, utcnow(), current_membership().person_id, reason or "")
    except ServiceError as error:
        raise ApiProblem(422, "unprocessable", str(error)) from None
    return {"contribution_id": entry.id, "reversal_id": reversal.id}
