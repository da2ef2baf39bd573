"""No-shows: the coordinator marks who did not come; the member's count goes up once.

When the contributions ledger's ``contributions.services.mark_no_show(org,
assignment, now, actor_person_id)`` exists it does the marking (it also
reverses the time entry of a place marked attended by mistake);
otherwise a guarded UPDATE here moves the assignment to ``no_show`` and
bumps ``Membership.no_show_count`` — marking twice counts once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import selectinload

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.people.services import ServiceError
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.self_service import SelfServiceError

#: how far back the requests page offers shifts to mark
MARKABLE_DAYS = 14
#: statuses the fallback may turn into no_show (an attended place has a ledger entry to reverse)
MARKABLE = ("assigned", "confirmed")


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


def _ledger_hook():  # type: ignore[no-untyped-def]
    try:
        from volunteers.contributions import services as contributions
    except ImportError:
        return None
    return getattr(contributions, "mark_no_show", None)


def mark_no_show(org: Organisation, assignment_id: int, actor_person_id: int, now: datetime) -> Assignment:
    """Record that the person on ``assignment_id`` did not come; count it once.

    :raises SelfServiceError: not_found, not_started, not_markable.
    """
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None:
        raise SelfServiceError("not_found", "That place does not exist.")
    if assignment.shift.starts_at > now:
        raise SelfServiceError("not_started", "That shift has not started yet.")
    if assignment.status == "no_show":
        return assignment
    hook = _ledger_hook()
    if hook is not None:
        try:
            counted = hook(org, assignment, now, actor_person_id)
        except ServiceError as error:
            raise SelfServiceError("not_markable", str(error)) from None
        if counted:
            audit.record(org, actor_person_id, "rota.no_show", "assignment", assignment.id, None,
                         membership_id=assignment.membership_id)
        db.session.refresh(assignment)
        db.session.refresh(assignment.membership)
        return assignment
    if assignment.status not in MARKABLE:
        raise SelfServiceError("not_markable", "Only a place someone held can be marked as missed.")
    marked = db.session.execute(
        update(Assignment)
        .where(Assignment.organisation_id == org.id, Assignment.id == assignment.id,
               Assignment.status.in_(MARKABLE))
        .values(status="no_show", updated_at=now, sequence=Assignment.sequence + 1)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount == 1:
        db.session.execute(
            update(Membership)
            .where(Membership.organisation_id == org.id, Membership.id == assignment.membership_id)
            .values(no_show_count=Membership.no_show_count + 1)
            .execution_options(synchronize_session=False)
        )
        audit.record(org, actor_person_id, "rota.no_show", "assignment", assignment.id, None,
                     membership_id=assignment.membership_id)
    db.session.refresh(assignment)
    db.session.refresh(assignment.membership)
    return assignment
