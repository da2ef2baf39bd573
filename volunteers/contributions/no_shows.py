"""No-shows from the requests page: who did not come, counted once per place.

``contributions.services.mark_no_show`` does the marking (it also reverses
the time entry of a place marked attended by mistake, and counts the miss on
the member once); this module finds the places to offer and records who
marked them.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload

from volunteers.contributions import services as contributions
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift

#: how far back the requests page offers shifts to mark
MARKABLE_DAYS = 14


def to_mark(org: Organisation, now: datetime, days: int = MARKABLE_DAYS) -> list[Assignment]:
    """Return the places on shifts that started in the last ``days`` days, soonest first."""
    return list(db.session.scalars(
        scoped(Assignment, org)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Shift.starts_at <= now, Shift.starts_at > now - timedelta(days=days), Shift.status == "planned",
               Assignment.status.in_(("assigned", "confirmed", "attended", "no_show")))
        .options(selectinload(Assignment.shift).selectinload(Shift.role),
                 selectinload(Assignment.shift).selectinload(Shift.site),
                 selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Shift.starts_at.desc(), Assignment.id)
    ))


def mark_no_show(org: Organisation, assignment_id: int, actor_person_id: int, now: datetime) -> Assignment:
    """Record that the person on ``assignment_id`` did not come; count it once.

    :raises ServiceError: the place does not exist (field ``assignment_id``), its
        shift has not started (``shift``), or it cannot be marked (``assignment``).
    """
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None:
        raise ServiceError("That place does not exist.", "assignment_id")
    if assignment.shift.starts_at > now:
        raise ServiceError("That shift has not started yet.", "shift")
    if assignment.status == "no_show":
        return assignment
    if contributions.mark_no_show(org, assignment, now, actor_person_id):
        audit.record(org, actor_person_id, "rota.no_show", "assignment", assignment.id, None,
                     membership_id=assignment.membership_id, now=now)
    db.session.refresh(assignment)
    db.session.refresh(assignment.membership)
    return assignment
