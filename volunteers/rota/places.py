"""Taking and giving up places on a shift, without ever overbooking.

The last place on a shift can be wanted by several people at once (a
coordinator on the board, two volunteers signing up). Each taker runs one
guarded UPDATE — ``filled = filled + 1 WHERE filled < needed`` — and only a
taker whose UPDATE changed a row may insert the assignment. The database
serialises the UPDATEs (a row lock on PostgreSQL, the write lock on SQLite),
so ``needed`` is never exceeded; a CHECK constraint backs it up. No
check-then-insert race is possible.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, update
from sqlalchemy.exc import IntegrityError

from volunteers.core.dml import rows_matched
from volunteers.core.models import Organisation
from volunteers.core.signals import place_released, schedule_changed
from volunteers.core.tenancy import get_scoped
from volunteers.extensions import db
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift


class PlaceError(ValueError):
    """Why a place could not be taken: ``code`` is stable, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def take_place(
    org: Organisation,
    shift_id: int,
    membership_id: int,
    *,
    source: str,
    now: datetime,
    override_reason: str | None = None,
    held: ColumnElement[int] | None = None,
) -> Assignment:
    """Put a member on a shift if a place is free; raise PlaceError otherwise.

    Eligibility and load checks belong to the caller (they differ between a
    coordinator's override and a volunteer's sign-up); this only guarantees
    the count. ``held`` (a scalar subquery from the caller: places it must
    leave alone, such as those a waiting list holds for someone else) is
    counted as taken inside the same guarded UPDATE, so no parallel taker
    can slip past it. Flushes; the caller's unit of work commits.
    """
    shift = get_scoped(Shift, org, shift_id)
    if shift is None:
        raise PlaceError("not_found", "That shift does not exist.")
    if shift.status != "planned":
        raise PlaceError("cancelled", "That shift has been cancelled.")
    if shift.ends_at <= now:
        raise PlaceError("past", "That shift is over.")
    already = db.session.scalar(
        db.select(Assignment.id).where(
            Assignment.organisation_id == org.id,
            Assignment.shift_id == shift_id,
            Assignment.membership_id == membership_id,
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
        )
    )
    if already is not None:
        raise PlaceError("already_on", "Already on this shift.")
    taken = db.session.execute(
        update(Shift)
        .where(
            Shift.organisation_id == org.id,
            Shift.id == shift_id,
            Shift.status == "planned",
            (Shift.filled < Shift.needed) if held is None else (Shift.filled + held < Shift.needed),
        )
        .values(filled=Shift.filled + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(taken) != 1:
        raise PlaceError("full", "Sorry — that shift has just been filled.")
    assignment = Assignment(
        organisation_id=org.id,
        shift_id=shift_id,
        membership_id=membership_id,
        status="assigned",
        source=source,
        override_reason=override_reason,
        created_at=now,
        updated_at=now,
    )
    db.session.add(assignment)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # the same person took it in a parallel request: give the place back
        db.session.execute(
            update(Shift)
            .where(Shift.organisation_id == org.id, Shift.id == shift_id)
            .values(filled=Shift.filled - 1)
            .execution_options(synchronize_session=False)
        )
        raise PlaceError("already_on", "Already on this shift.") from None
    db.session.expire(shift, ["filled"])
    schedule_changed.send(db.session, organisation_id=org.id, membership_ids=[membership_id])
    return assignment


def release_place(org: Organisation, assignment: Assignment, now: datetime) -> None:
    """Cancel an assignment and free its place (idempotent for an already cancelled one)."""
    if assignment.organisation_id != org.id:
        raise PlaceError("not_found", "That assignment does not exist.")
    if assignment.status == "cancelled":
        return
    freed = db.session.execute(
        update(Assignment)
        .where(
            Assignment.organisation_id == org.id,
            Assignment.id == assignment.id,
            Assignment.status != "cancelled",
        )
        .values(status="cancelled", cancelled_at=now, updated_at=now, sequence=Assignment.sequence + 1)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(freed) == 1:
        db.session.execute(
            update(Shift)
            .where(Shift.organisation_id == org.id, Shift.id == assignment.shift_id, Shift.filled > 0)
            .values(filled=Shift.filled - 1)
            .execution_options(synchronize_session=False)
        )
        shift = db.session.get(Shift, assignment.shift_id)
        if shift is not None:
            db.session.expire(shift, ["filled"])
        schedule_changed.send(db.session, organisation_id=org.id, membership_ids=[assignment.membership_id])
        place_released.send(db.session, organisation_id=org.id, assignment=assignment, now=now)
    db.session.refresh(assignment)
