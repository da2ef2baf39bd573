"""A person's page (GET): the member, their person and their weekly windows read as one columns-only statement.

Loading ``Membership`` joined to its ``Person`` through the ORM cost more than
the rest of the page's reads together (the ORM builds a loader for each of
the two mappers' columns on every execution), and the availability windows
were a statement of their own. The page only shows these values, so a GET
reads them here as plain columns: the member's row once for each of their
windows (once with none), with the same "may this viewer see them" rule as
``site_limits.member_or_404``. A POST still loads the ORM objects it writes.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from flask import abort, g
from sqlalchemy import Select, bindparam, select

from volunteers.core.models import Organisation
from volunteers.core.reads import columns
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.people.models import AvailabilityWindow, Membership, Person
from volunteers.people.site_limits import bound_members_clause, clear_on_register, viewer_params, viewer_role


class PersonShown(NamedTuple):
    """What the page shows of the member's person."""

    name: str
    email: str
    phone: str | None
    #: whether a password is set (the page says so): never the hash, which the kept page would hold on to
    has_password: bool
    erased_at: datetime | None


class MemberShown(NamedTuple):
    """What the page shows of the member: the form's values and the template's (``VolunteerForm(obj=...)``)."""

    id: int
    role: str
    status: str
    pledged_hours_per_week: Decimal | None
    joined_on: date | None
    last_supervised_on: date | None
    notes: str | None
    person: PersonShown


@lru_cache(maxsize=16)
def _statement(role: str | None) -> Select[*tuple[Any, ...]]:
    """The member (if a viewer of ``role`` may see them), their person, and their windows by weekday and start."""
    return (
        select(Membership.id, Membership.role, Membership.status, Membership.pledged_hours_per_week,
               Membership.joined_on, Membership.last_supervised_on, Membership.notes,
               Person.name, Person.email, Person.phone, Person.password_hash, Person.erased_at,
               AvailabilityWindow.weekday, AvailabilityWindow.start_time, AvailabilityWindow.end_time)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(AvailabilityWindow, (AvailabilityWindow.organisation_id == Membership.organisation_id)
                   & (AvailabilityWindow.membership_id == Membership.id))
        .where(Membership.organisation_id == bindparam("org_id"), Membership.id == bindparam("membership_id"),
               bound_members_clause(Membership.id, role))
        .order_by(AvailabilityWindow.weekday, AvailabilityWindow.start_time)
    )


clear_on_register(_statement)


def shown_member_or_404(org: Organisation, membership_id: int) -> tuple[MemberShown, tuple[WeeklyWindow, ...]]:
    """The member the signed-in coordinator opens, and their weekly windows; another organisation's or
    (for a coordinator limited to some sites) another site's member is a 404, as ``member_or_404``."""
    viewer = getattr(g, "membership", None)
    rows = columns(_statement(viewer_role(viewer)),
                   {"org_id": org.id, "membership_id": membership_id, **viewer_params(viewer)}).all()
    if not rows:
        abort(404)
    (member_id, role, status, pledged, joined_on, last_supervised_on, notes,
     name, email, phone, password_hash, erased_at, *_) = rows[0]
    member = MemberShown(member_id, role, status, pledged, joined_on, last_supervised_on, notes,
                         PersonShown(name, email, phone, bool(password_hash), erased_at))
    windows = tuple(WeeklyWindow(weekday, start, end) for *_, weekday, start, end in rows if weekday is not None)
    return member, windows
