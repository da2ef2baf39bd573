"""Small builders for test data; each flushes, the test commits when it needs to."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from volunteers.core.models import Organisation
from volunteers.core.timeutil import shift_bounds
from volunteers.extensions import db
from volunteers.people import services as people
from volunteers.people.models import Membership
from volunteers.people.passwords import hash_password
from volunteers.rota.models import Assignment, Role, RoleQualification, Shift, Site

DEFAULT_PASSWORD = "correct horse battery"
_HASH_CACHE: dict[str, str] = {}


def make_org(slug: str = "tackley", name: str | None = None, timezone: str = "Europe/London") -> Organisation:
    return people.create_organisation(slug, name or slug.title(), timezone)


def make_member(
    org: Organisation,
    email: str,
    role: str = "volunteer",
    name: str | None = None,
    password: str | None = DEFAULT_PASSWORD,
    pledge: float | None = 4,
) -> Membership:
    existing = people.find_or_create_person(email, name or email.split("@")[0].title())
    membership = people.add_member(
        org, email=email, name=existing.name, role=role,
        pledged_hours_per_week=None if pledge is None else Decimal(str(pledge)),
    )
    if password and existing.password_hash is None:
        if password not in _HASH_CACHE:
            _HASH_CACHE[password] = hash_password(password)
        existing.password_hash = _HASH_CACHE[password]
    db.session.flush()
    return membership


def make_role(org: Organisation, name: str = "Shop counter", requires: tuple[int, ...] = (), **kw) -> Role:
    """A role; ``requires`` is the ids of the qualifications it needs (all of them)."""
    role = Role(organisation_id=org.id, name=name, qualification_links=[
        RoleQualification(organisation_id=org.id, qualification_id=q) for q in requires], **kw)
    db.session.add(role)
    db.session.flush()
    return role


def make_site(org: Organisation, name: str = "Village hall shop") -> Site:
    site = Site(organisation_id=org.id, name=name)
    db.session.add(site)
    db.session.flush()
    return site


def make_shift(
    org: Organisation, role: Role, site: Site, day: date, start: time = time(9), end: time = time(13), needed: int = 2
) -> Shift:
    starts_at, ends_at = shift_bounds(day, start, end, org.timezone)
    shift = Shift(
        organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=starts_at, ends_at=ends_at,
        local_date=day, needed=needed, filled=0,
    )
    db.session.add(shift)
    db.session.flush()
    return shift


def put_on(shift: Shift, membership: Membership, status: str = "assigned") -> Assignment:
    """Place a member on a shift directly (test set-up; services use the guarded path)."""
    assignment = Assignment(
        organisation_id=shift.organisation_id, shift_id=shift.id, membership_id=membership.id, status=status
    )
    shift.filled += 1
    db.session.add(assignment)
    db.session.flush()
    return assignment


def utc(*args: int) -> datetime:

    return datetime(*args, tzinfo=UTC)


def days_from(day: date, n: int) -> date:
    return day + timedelta(days=n)
