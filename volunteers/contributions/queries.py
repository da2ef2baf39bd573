"""Reads for the attendance, approvals and ledger pages, in a constant number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import day_bounds
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Assignment, Role, Shift, Site
from volunteers.rota.site_scope import site_clause, within_sites

#: the attendance page shows this many local days up to the chosen one
ATTENDANCE_DAYS = 7
#: attendance statuses still waiting for the coordinator
UNMARKED = ("assigned", "confirmed")


@dataclass
class AttendanceShift:
    shift: Shift
    places: list[Assignment] = field(default_factory=list)

    @property
    def unmarked(self) -> int:
        return sum(1 for a in self.places if a.status in UNMARKED)


def attendance(org: Organisation, day: date, now: datetime,
               viewer: Membership | None = None) -> list[AttendanceShift]:
    """Return the shifts of the week up to ``day`` that have started, with their people, newest first.

    Two queries: the shifts (with role and site) and their live places (with people). A coordinator
    limited to some sites (``viewer``) gets only theirs (``rota.site_scope``).
    """
    start = day_bounds(day - timedelta(days=ATTENDANCE_DAYS - 1), org.timezone)[0]
    end = min(day_bounds(day, org.timezone)[1], now)
    shifts = list(db.session.scalars(within_sites(
        scoped(Shift, org).where(Shift.starts_at >= start, Shift.starts_at <= end, Shift.status == "planned"),
        Shift.site_id, viewer)
        .options(selectinload(Shift.role), selectinload(Shift.site))
        .order_by(Shift.starts_at.desc(), Shift.id)))
    return with_places(org, shifts)


def with_places(org: Organisation, shifts: list[Shift]) -> list[AttendanceShift]:
    """Attach each shift's live places (people loaded) in one query."""
    if not shifts:
        return []
    places: dict[int, list[Assignment]] = defaultdict(list)
    rows = db.session.scalars(
        scoped(Assignment, org)
        .join(Membership, (Membership.organisation_id == Assignment.organisation_id)
              & (Membership.id == Assignment.membership_id))
        .join(Person, Person.id == Membership.person_id)
        .where(Assignment.shift_id.in_([s.id for s in shifts]), Assignment.status != "cancelled")
        .options(selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Person.name, Assignment.id))
    for a in rows:
        places[a.shift_id].append(a)
    return [AttendanceShift(s, places.get(s.id, [])) for s in shifts]


def _entry_columns() -> tuple[Any, ...]:
    return (Contribution, Person.name.label("person_name"), Role.name.label("role"), Site.name.label("site"))


def _with_names(stmt: Any) -> Any:
    return (stmt.outerjoin(Membership, (Membership.organisation_id == Contribution.organisation_id)
                           & (Membership.id == Contribution.membership_id))
            .outerjoin(Person, Person.id == Membership.person_id)
            .outerjoin(Role, (Role.organisation_id == Contribution.organisation_id)
                       & (Role.id == Contribution.role_id))
            .outerjoin(Site, (Site.organisation_id == Contribution.organisation_id)
                       & (Site.id == Contribution.site_id)))


def decidable_by(viewer: Membership | None) -> ColumnElement[bool]:
    """The entries a coordinator may decide: those without a site, and those at her sites when she is limited."""
    return or_(Contribution.site_id.is_(None), site_clause(Contribution.site_id, viewer))


def pending(org: Organisation, limit: int = 500, viewer: Membership | None = None) -> list[Any]:
    """Return pending entries, oldest first, with who, role and site names (one query); a site
    coordinator's (``viewer``) only those she may decide."""
    stmt = _with_names(scoped(Contribution, org, *_entry_columns()).select_from(Contribution))
    return list(db.session.execute(
        stmt.where(Contribution.status == "pending", decidable_by(viewer))
        .order_by(Contribution.occurred_at, Contribution.id).limit(limit)))


def pending_count(org: Organisation) -> int:
    return db.session.scalar(scoped(Contribution, org, func.count()).where(Contribution.status == "pending")) or 0


def entries_between(org: Organisation, start: datetime, end: datetime, limit: int = 1000) -> list[Any]:
    """Return the ledger entries of a period, newest first, with names and whether each was reversed."""
    reversal = aliased(Contribution)
    reversed_by = (select(reversal.id).where(reversal.organisation_id == Contribution.organisation_id,
                                             reversal.reverses_id == Contribution.id)
                   .correlate(Contribution).scalar_subquery())
    stmt = _with_names(scoped(Contribution, org, *_entry_columns(), reversed_by.label("reversed_by"))
                       .select_from(Contribution))
    return list(db.session.execute(
        stmt.where(Contribution.occurred_at >= start, Contribution.occurred_at < end)
        .order_by(Contribution.occurred_at.desc(), Contribution.id.desc()).limit(limit)))


def members(org: Organisation) -> list[tuple[int, str]]:
    """Return (membership id, name) of current members, by name, for pickers."""
    return list(db.session.execute(
        scoped(Membership, org, Membership.id, Person.name).select_from(Membership)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.status != "left").order_by(Person.name)))
