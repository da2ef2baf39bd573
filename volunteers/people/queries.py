"""Reads for the people pages: one query for the list, qualifications loaded alongside."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

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
    stmt = (
        scoped(Membership, org).where(site_limits.members_clause(Membership.id, viewer))
        .join(Person, Person.id == Membership.person_id)
        .options(
            selectinload(Membership.person),
            selectinload(Membership.qualification_records).selectinload(PersonQualification.qualification),
        )
        .order_by(Person.name)
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
    return list(db.session.scalars(stmt).unique())


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
