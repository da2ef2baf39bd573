"""Reads for the board and the volunteer's pages, in a constant number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, Site


@dataclass
class BoardShift:
    shift: Shift
    people: list[Membership] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(self.shift.needed - len(self.people), 0)


@dataclass(frozen=True)
class BoardFilter:
    site_id: int | None = None
    role_id: int | None = None
    gaps_only: bool = False


def board(org: Organisation, start: datetime, end: datetime, filters: BoardFilter) -> dict[date, list[BoardShift]]:
    """Return the shifts starting in [start, end) grouped by local date, with their people.

    Three queries whatever the period's size: shifts (with role and site),
    their live assignments, and the people on them.
    """
    stmt = (
        scoped(Shift, org)
        .where(Shift.starts_at >= start, Shift.starts_at < end, Shift.status == "planned")
        .options(selectinload(Shift.role), selectinload(Shift.site))
        .order_by(Shift.starts_at, Shift.id)
    )
    if filters.site_id:
        stmt = stmt.where(Shift.site_id == filters.site_id)
    if filters.role_id:
        stmt = stmt.where(Shift.role_id == filters.role_id)
    shifts = list(db.session.scalars(stmt))
    people = people_on(org, [s.id for s in shifts])
    days: dict[date, list[BoardShift]] = defaultdict(list)
    for shift in shifts:
        item = BoardShift(shift, people.get(shift.id, []))
        if filters.gaps_only and item.gap == 0:
            continue
        days[shift.local_date].append(item)
    return dict(days)


def people_on(org: Organisation, shift_ids: list[int]) -> dict[int, list[Membership]]:
    """Return the members holding a place on each shift, in one query (plus person loading)."""
    if not shift_ids:
        return {}
    rows = db.session.execute(
        scoped(Assignment, org, Assignment.shift_id, Membership)
        .join(Membership, Membership.id == Assignment.membership_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Assignment.shift_id.in_(shift_ids), Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .options(selectinload(Membership.person))
        .order_by(Person.name)
    ).all()
    result: dict[int, list[Membership]] = defaultdict(list)
    for shift_id, membership in rows:
        result[shift_id].append(membership)
    return dict(result)


def roles(org: Organisation) -> list[Role]:
    return list(db.session.scalars(scoped(Role, org).where(Role.archived_at.is_(None)).order_by(Role.name)))


def sites(org: Organisation) -> list[Site]:
    return list(db.session.scalars(scoped(Site, org).where(Site.archived_at.is_(None)).order_by(Site.name)))


def my_assignments(person_id: int, since: datetime, until: datetime | None = None) -> list[Assignment]:
    """Return a person's live assignments in every organisation they belong to, by start.

    Scoped through the person's own memberships: a person sees only their own places.
    """
    stmt = (
        select(Assignment)
        .join(Membership, (Membership.id == Assignment.membership_id) & (Membership.organisation_id == Assignment.organisation_id))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Membership.person_id == person_id, Shift.starts_at >= since, Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .options(
            selectinload(Assignment.shift).selectinload(Shift.role),
            selectinload(Assignment.shift).selectinload(Shift.site),
            selectinload(Assignment.membership).selectinload(Membership.organisation),
        )
        .order_by(Shift.starts_at)
    )
    if until is not None:
        stmt = stmt.where(Shift.starts_at < until)
    return list(db.session.scalars(stmt))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
