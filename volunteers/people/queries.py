"""Reads for the people pages: the list a page at a time (three statements however many people), qualifications
loaded alongside."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people import site_limits
from volunteers.people.models import (
    Membership,
    Person,
    PersonQualification,
    Qualification,
)

EXPIRING_SOON_DAYS = 60
#: people on one page of /people (a large organisation has hundreds: 187 KB for 500 in one page)
PER_PAGE = 50
#: the page sizes a coordinator may choose
PER_PAGE_CHOICES = (25, 50, 100, 200)
#: the columns /people sorts by (``-`` before one: the other way), each then by name and id
SORTS: dict[str, Any] = {
    "name": Person.name,
    "email": Person.email,
    "role": Membership.role,
    "status": Membership.status,
    "pledge": Membership.pledged_hours_per_week,
    "joined": Membership.joined_on,
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    status: str = ""
    role: str = ""
    qualification_id: int | None = None
    expiring_soon: bool = False


def people_list(org: Organisation, filters: PeopleFilter, today: date,
                viewer: Membership | None = None) -> list[Membership]:
    """Return the organisation's members matching the filters, by name (two queries in all).

    A ``viewer`` limited to some sites sees the members of those sites (``site_limits``).
    """
    stmt = _matching(org, filters, today, viewer).options(
        selectinload(Membership.person),
        selectinload(Membership.qualification_records).selectinload(PersonQualification.qualification),
    ).order_by(Person.name)
    return list(db.session.scalars(stmt).unique())


@dataclass(frozen=True)
class PeoplePage:
    """One page of /people: its members, which page of how many, and the order."""

    members: list[Membership]
    number: int
    per_page: int
    total: int
    sort: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The position of the page's first member in the whole list (from 1; 0 when there is nobody)."""
        return (self.number - 1) * self.per_page + 1 if self.members else 0

    @property
    def last(self) -> int:
        return self.first + len(self.members) - 1 if self.members else 0


def sort_key(text: str | None) -> str:
    """The sort asked for if it is one of :data:`SORTS` (``-`` for the other way), else by name."""
    return text if text and text.lstrip("-") in SORTS else DEFAULT_SORT


def people_page(org: Organisation, filters: PeopleFilter, today: date, viewer: Membership | None = None, *,
                sort: str = DEFAULT_SORT, number: int = 1, per_page: int = PER_PAGE) -> PeoplePage:
    """Return page ``number`` (from 1; past the end: the last) of the members matching the filters, in ``sort`` order.

    Three statements whatever the organisation's size: how many match, the page's members with
    their person, and their qualification records with each qualification.
    """
    sort = sort_key(sort)
    matching = _matching(org, filters, today, viewer)
    total = db.session.scalar(select(func.count()).select_from(matching.with_only_columns(Membership.id)
                                                               .subquery())) or 0
    number = min(max(1, number), max(1, -(-total // per_page)))
    column = SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = db.session.scalars(
        matching.options(contains_eager(Membership.person),
                         selectinload(Membership.qualification_records).joinedload(PersonQualification.qualification))
        .order_by(order.nulls_last(), Person.name, Membership.id)
        .offset((number - 1) * per_page).limit(per_page)
    ).unique().all() if total else []
    return PeoplePage(list(rows), number, per_page, total, sort)


def _matching(org: Organisation, filters: PeopleFilter, today: date, viewer: Membership | None) -> Select:
    """``SELECT`` the organisation's members (joined to their person) that match the filters and the viewer's sites."""
    stmt = (
        scoped(Membership, org).where(site_limits.members_clause(Membership.id, viewer))
        .join(Person, Person.id == Membership.person_id)
    )
    if filters.search:
        like = f"%{filters.search.strip().lower()}%"
        stmt = stmt.where(or_(db.func.lower(Person.name).like(like), Person.email.like(like), Person.phone.like(like)))
    if filters.status:
        stmt = stmt.where(Membership.status == filters.status)
    if filters.role:
        stmt = stmt.where(Membership.role == filters.role)
    if filters.qualification_id or filters.expiring_soon:
        sub = select(PersonQualification.membership_id).where(PersonQualification.organisation_id == org.id)
        if filters.qualification_id:
            sub = sub.where(PersonQualification.qualification_id == filters.qualification_id)
        if filters.expiring_soon:
            sub = sub.where(
                PersonQualification.expires_on.is_not(None),
                PersonQualification.expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS),
            )
        stmt = stmt.where(Membership.id.in_(sub))
    return stmt


def qualifications(org: Organisation) -> list[Qualification]:
    return list(
        db.session.scalars(
            scoped(Qualification, org).where(Qualification.archived_at.is_(None)).order_by(Qualification.name)
        )
    )


def expiry_state(record: PersonQualification, today: date) -> str:
    """Return ``expired``, ``soon`` (within 60 days) or ``ok`` for display."""
    if record.expires_on is None:
        return "ok"
    if record.expires_on < today:
        return "expired"
    if record.expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return "soon"
    return "ok"
