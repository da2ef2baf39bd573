"""Dated leave: add, remove and list a member's leave, and the shifts it clashes with.

Leave is inclusive local dates. Eligibility (``rota.domain.eligibility``)
already refuses shifts touching leave; adding leave does not take anyone
off shifts they hold — it names them, so the volunteer can cancel or swap.
Services flush, never commit.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import selectinload

from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import day_bounds
from volunteers.extensions import db
from volunteers.people.models import Leave, Membership
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift

#: leave further ahead than this is refused (a typo in the year, usually)
MAX_AHEAD = timedelta(days=3 * 366)
MAX_LENGTH = timedelta(days=366)


def leaves_of(org: Organisation, membership: Membership, today: date) -> list[Leave]:
    """Return the member's current and future leave, soonest first."""
    return list(db.session.scalars(
        scoped(Leave, org).where(Leave.membership_id == membership.id, Leave.ends_on >= today)
        .order_by(Leave.starts_on, Leave.id)
    ))


def add_leave(org: Organisation, membership: Membership, starts_on: date, ends_on: date | None,
              reason: str | None, today: date) -> Leave:
    """Record leave from ``starts_on`` to ``ends_on`` (inclusive; one day when None).

    :raises ServiceError: naming the field, for dates in the past, reversed or too far ahead.
    """
    ends_on = ends_on or starts_on
    if ends_on < today:
        raise ServiceError("That leave is already over.", "ends_on")
    if ends_on < starts_on:
        raise ServiceError("The last day is before the first.", "ends_on")
    if starts_on > today + MAX_AHEAD:
        raise ServiceError("That is more than three years ahead — check the year.", "starts_on")
    if ends_on - starts_on > MAX_LENGTH:
        raise ServiceError("Leave can be at most a year at a time.", "ends_on")
    leave = Leave(organisation_id=org.id, membership_id=membership.id, starts_on=starts_on, ends_on=ends_on,
                  reason=(reason or "").strip()[:200] or None)
    db.session.add(leave)
    db.session.flush()
    return leave


def remove_leave(org: Organisation, membership: Membership, leave_id: int) -> bool:
    """Remove one of the member's leave entries; False when it is not theirs."""
    # a DELETE without RETURNING gives a CursorResult (rowcount); Session.execute is typed as plain Result
    removed = cast(CursorResult[Any], db.session.execute(delete(Leave).where(
        Leave.organisation_id == org.id, Leave.membership_id == membership.id, Leave.id == leave_id)))
    return bool(removed.rowcount)


def shifts_during(org: Organisation, membership: Membership, leaves: list[Leave], now: datetime) -> list[Assignment]:
    """Return the member's live future assignments that fall in any of ``leaves`` (one query)."""
    if not leaves:
        return []
    first = day_bounds(min(leave.starts_on for leave in leaves), org.timezone)[0]
    last = day_bounds(max(leave.ends_on for leave in leaves), org.timezone)[1]
    rows = db.session.scalars(
        scoped(Assignment, org)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Assignment.membership_id == membership.id,
               Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES), Shift.status == "planned",
               Shift.starts_at > now, Shift.starts_at < last, Shift.ends_at > first)
        .options(selectinload(Assignment.shift).selectinload(Shift.role))
        .order_by(Shift.starts_at)
    ).all()
    return [a for a in rows if any(leave.starts_on <= a.shift.local_date <= leave.ends_on for leave in leaves)]
