"""Rota use cases: one-off shifts, people needed, cancelling a shift, taking someone off.

Putting someone on a shift by hand asks about their load, so it lives a
floor up, in ``autofill.assign``. Services flush and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import update
from sqlalchemy.orm import selectinload

from volunteers.core import audit
from volunteers.core.dml import rows_matched
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.signals import shift_cancelled
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import shift_bounds, zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota import notify
from volunteers.rota.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    Shift,
    Site,
)
from volunteers.rota.places import PlaceError, release_place


@dataclass(frozen=True)
class ShiftSpec:
    """A one-off shift in local wall-clock terms."""

    day: date
    start: time
    end: time
    role_id: int
    site_id: int
    needed: int = 1
    notes: str | None = None


def create_shift(org: Organisation, spec: ShiftSpec) -> Shift:
    """Create a one-off shift (not part of a series)."""
    role, site = _role_and_site(org, spec.role_id, spec.site_id)
    if not 1 <= spec.needed <= 100:
        raise ServiceError("Between 1 and 100 people.", "needed")
    try:
        starts_at, ends_at = shift_bounds(spec.day, spec.start, spec.end, zone(org.timezone))
    except ValueError as error:
        raise ServiceError(str(error), "end") from None
    shift = Shift(
        organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=starts_at, ends_at=ends_at,
        local_date=spec.day, needed=spec.needed, filled=0, status="planned", notes=spec.notes or None,
    )
    db.session.add(shift)
    db.session.flush()
    return shift


def _role_and_site(org: Organisation, role_id: int, site_id: int) -> tuple[Role, Site]:
    role = get_scoped(Role, org, role_id)
    if role is None or role.archived_at is not None:
        raise ServiceError("Choose one of the organisation's roles.", "role_id")
    site = get_scoped(Site, org, site_id)
    if site is None or site.archived_at is not None:
        raise ServiceError("Choose one of the organisation's sites.", "site_id")
    return role, site


def set_needed(org: Organisation, shift: Shift, needed: int) -> None:
    """Change how many people a shift needs; never below the people already on it.

    A guarded UPDATE, so a sign-up racing with the change cannot leave the
    shift overbooked.
    """
    if not 1 <= needed <= 100:
        raise ServiceError("Between 1 and 100 people.", "needed")
    changed = db.session.execute(
        update(Shift)
        .where(Shift.organisation_id == org.id, Shift.id == shift.id, Shift.filled <= needed)
        .values(needed=needed)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["needed", "filled"])
    if rows_matched(changed) != 1:
        raise ServiceError(f"{shift.filled} people are on this shift: remove someone first.", "needed")


def live_assignments(org: Organisation, shift_ids: list[int]) -> list[Assignment]:
    """Return the assignments holding places on these shifts (people loaded alongside)."""
    if not shift_ids:
        return []
    return list(db.session.scalars(
        scoped(Assignment, org)
        .where(Assignment.shift_id.in_(shift_ids), Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .options(selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Assignment.id)
    ))


def cancel_shift(
    org: Organisation, shift: Shift, now: datetime, actor_person_id: int | None, reason: str | None = None
) -> int:
    """Cancel a future shift, free its places and tell everyone on it; return how many were told."""
    if shift.status == "cancelled":
        return 0
    if shift.ends_at <= now:
        raise ServiceError("That shift is over; record attendance instead.", "shift")
    people = live_assignments(org, [shift.id])
    db.session.execute(
        update(Shift).where(Shift.organisation_id == org.id, Shift.id == shift.id)
        .values(status="cancelled").execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["status"])
    shift_cancelled.send(db.session, organisation_id=org.id, shift=shift)
    for assignment in people:
        release_place(org, assignment, now)
        notify.shift_cancelled(org, shift, assignment, reason, now)
        # told now: the next publish has nothing more to say about it
        assignment.notified_at, assignment.notified_sequence = now, assignment.sequence
    audit.record(org, actor_person_id, "shifts.cancel_shift", "shift", shift.id, reason, people=len(people), now=now)
    db.session.flush()
    return len(people)


def remove_assignment(org: Organisation, assignment_id: int, now: datetime, actor_person_id: int | None) -> Assignment:
    """Take someone off a shift (their place opens again); published changes are told at the next publish."""
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None:
        raise PlaceError("not_found", "That assignment does not exist.")
    if assignment.shift.ends_at <= now:
        raise PlaceError("past", "That shift is over.")
    release_place(org, assignment, now)
    audit.record(org, actor_person_id, "rota.remove", "assignment", assignment.id, None,
                 shift_id=assignment.shift_id, membership_id=assignment.membership_id, now=now)
    return assignment
