"""The coordinator's ledger: record a contribution, approve or reject a pending entry, reverse an approved one
(all audited, by the services the /contributions and /approvals pages call)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.schemas.common import ReasonArgs
from volunteers.api.schemas.contributions import ContributionArgs, ContributionSchema, DecisionSchema, ReversalSchema
from volunteers.contributions import queries
from volunteers.contributions import services as contributions
from volunteers.contributions.ledger import record_contribution
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import get_scoped_or_404, scoped
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db


def _decide(contribution_id: int, decision: str) -> dict[str, Any]:
    org = current_organisation()
    entry = get_scoped_or_404(Contribution, org, contribution_id)
    allowed = queries.decidable_by(current_membership())  # a site coordinator: her sites' only, as /approvals
    mine = scoped(Contribution, org, Contribution.id).where(Contribution.id == entry.id, allowed)
    if db.session.scalar(mine) is None:
        raise ApiProblem(404, "not-found", "No such entry.")
    if entry.status != "pending":
        raise ApiProblem(409, "already-decided", f"That entry is {entry.status} already.")
    contributions.decide(org, [entry.id], decision, current_membership().person_id, utcnow(), allowed=allowed)
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


#: the service's field names, as the API's body names them
FIELDS = {"day": "date"}


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


@bp.arguments(ContributionArgs, as_kwargs=True)
@bp.response(201, ContributionSchema)
@coordinator_call
def record(kind: str, stage: str, day: date, contributor_type: str, membership_id: int | None,
           contributor_name: str | None, hours: float | None, amount: float | None, role_id: int | None,
           site_id: int | None, note: str | None) -> dict[str, Any]:
    """Record a contribution taken in (approved at once): time or expertise in `hours`, money or a gift in
    `amount`; from a member (`membership_id`) or a named person or group. 400 names the failing field."""
    org = current_organisation()
    try:
        entry = record_contribution(
            org, utcnow(), current_membership().person_id, kind=kind, stage=stage, day=day,
            contributor_type=contributor_type, membership_id=membership_id, contributor_name=contributor_name,
            hours=_money(hours), amount=_money(amount), role_id=role_id, site_id=site_id, note=note)
    except ServiceError as error:
        raise field_problem(FIELDS.get(error.field or "", error.field or "body"), str(error)) from None
    return {"id": entry.id, "kind": entry.kind, "stage": entry.stage, "date": entry.occurred_on,
            "contributor_type": entry.contributor_type, "membership_id": entry.membership_id,
            "contributor_name": entry.contributor_name, "hours": float(entry.hours), "amount": float(entry.amount),
            "status": entry.status}
