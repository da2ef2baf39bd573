"""A person's page (GET): its four reads, run as SQL compiled once (``compiled_reads``), as columns.

Loading ``Membership`` joined to its ``Person`` through the ORM cost more than
the rest of the page's reads together (the ORM builds a loader for each of
the two mappers' columns on every execution), and the availability windows
were a statement of their own. The page only shows these values, so a GET
reads them here as plain columns: the member's row once for each of their
windows (once with none), with the same "may this viewer see them" rule as
``site_limits.member_or_404``; then the qualifications with the member's records,
the member's supervision sessions and the organisation's supervisors, each one
statement as before. :class:`Reads` holds the rows as the driver gave them, which
the kept page compares (``people.kept_pages``): a kept page converts nothing
but the member's row. A POST still loads the ORM objects it writes.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from flask import abort, g
from sqlalchemy import Select, bindparam, select

from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.people import compiled_reads, queries, supervision
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
               Person.name, Person.email, Person.phone,
               # whether a password is set: never the hash, which the kept page's rows would hold on to
               Person.password_hash.is_not(None).label("has_password"), Person.erased_at,
               AvailabilityWindow.weekday, AvailabilityWindow.start_time, AvailabilityWindow.end_time)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(AvailabilityWindow, (AvailabilityWindow.organisation_id == Membership.organisation_id)
                   & (AvailabilityWindow.membership_id == Membership.id))
        .where(Membership.organisation_id == bindparam("org_id"), Membership.id == bindparam("membership_id"),
               bound_members_clause(Membership.id, role))
        .order_by(AvailabilityWindow.weekday, AvailabilityWindow.start_time)
    )


clear_on_register(_statement)


class Reads(NamedTuple):
    """A person's page's four reads, as the driver gave their rows."""

    member: compiled_reads.DriverRows  #: the member and their person, once for each of their windows
    qualifications: compiled_reads.DriverRows  #: the organisation's qualifications, each with the member's record
    sessions: compiled_reads.DriverRows  #: the member's supervision sessions (``supervision.sessions_of``)
    supervisors: compiled_reads.DriverRows  #: who may be named as a supervisor (``supervision.supervisors``)

    def made_of(self) -> tuple[Any, ...]:
        """What the page shows of these reads, to compare with a kept page's: their rows, and the pledge as
        text too (``Decimal("3") == Decimal("3.00")`` where the form writes them differently)."""
        pledge = self.member.rows[0][3]
        return (self.member.rows, None if pledge is None else str(pledge), self.qualifications.rows,
                self.sessions.rows, self.supervisors.rows)


def read_or_404(org: Organisation, membership_id: int) -> Reads:
    """The page's reads of the member the signed-in coordinator opens; another organisation's or (for a
    coordinator limited to some sites) another site's member is a 404, as ``member_or_404``."""
    viewer = getattr(g, "membership", None)
    conn = reading_connection()
    member = compiled_reads.read(conn, _statement(viewer_role(viewer)),
                                 {"org_id": org.id, "membership_id": membership_id, **viewer_params(viewer)})
    if not member.rows:
        abort(404)
    params = {"org_id": org.id, "member_id": membership_id}
    return Reads(member, queries.read_qualifications_and_records(conn, params),
                 compiled_reads.read(conn, supervision.SESSIONS, params),
                 compiled_reads.read(conn, supervision.SUPERVISORS, params))


def shown_member(reads: Reads) -> MemberShown:
    """The member as the page shows them (their first row, converted)."""
    first = compiled_reads.DriverRows(reads.member.rows[:1], reads.member.conversions).typed()[0]
    (member_id, role, status, pledged, joined_on, last_supervised_on, notes,
     name, email, phone, has_password, erased_at, *_) = first
    return MemberShown(member_id, role, status, pledged, joined_on, last_supervised_on, notes,
                       PersonShown(name, email, phone, bool(has_password), erased_at))


def windows_of(reads: Reads) -> tuple[WeeklyWindow, ...]:
    """The member's weekly windows, by weekday and start."""
    return tuple(WeeklyWindow(weekday, start, end)
                 for *_, weekday, start, end in reads.member.typed() if weekday is not None)


def sessions_of(reads: Reads) -> list[supervision.SessionRow]:
    """The member's supervision sessions, latest first (what ``supervision.sessions_of`` gives)."""
    return [supervision.SessionRow(*row) for row in reads.sessions.typed()]


def supervisors_of(reads: Reads) -> list[tuple[int, str]]:
    """``(membership id, name)`` of who may be named as a supervisor (what ``supervision.supervisors`` gives)."""
    return [(mid, name) for mid, name in reads.supervisors.typed()]
