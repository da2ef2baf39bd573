"""Reads for the shift panel, the volunteer's pages and the forms' choices, in a constant number of queries.

The board's reads are ``rota.board_reads`` (cards, names, filters' choices) and
``rota.board_period`` (a week or month with its totals); the names other
packages and the benchmarks import from here stay importable from here.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota import site_scope
from volunteers.rota.board_period import BoardView as BoardView
from volunteers.rota.board_period import board_view as board_view
from volunteers.rota.board_reads import BoardFilter as BoardFilter
from volunteers.rota.board_reads import BoardShift as BoardShift
from volunteers.rota.board_reads import board as board
from volunteers.rota.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    Shift,
    Site,
)


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


@cache
def _shift_with_place(viewer_role: str | None) -> Select:
    """:func:`shift_with_place`'s statement for a viewer of this role, built once (run with ``org``, ``shift_id``
    and :func:`.site_scope.viewer_params`): building it was a tenth of the shift panel's statements' time."""
    stmt = select(Shift).where(Shift.organisation_id == bindparam("org"), Shift.id == bindparam("shift_id"))
    return site_scope.within_sites(stmt, Shift.site_id, site_scope.bound_viewer(viewer_role)).options(
        joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site))


def shift_with_place(org: Organisation, shift_id: int, viewer: Membership | None = None) -> Shift | None:
    """Return one of the organisation's shifts with its role (and the role's qualifications) and site, in one query.

    The shift panel's. None also when ``viewer`` is a coordinator limited to other sites.
    """
    params = {"org": org.id, "shift_id": shift_id, **site_scope.viewer_params(viewer)}
    return db.session.scalars(_shift_with_place(None if viewer is None else viewer.role), params).unique().first()


class HolderName(NamedTuple):
    """A place holder's person, as the shift panel shows them: their name."""

    name: str


class Holder(NamedTuple):
    """The person holding a place, as the shift panel shows them: what it read of the Membership and Person."""

    id: int  #: the membership's
    person: HolderName


class PlaceOn(NamedTuple):
    """A live place on a shift, as the shift panel shows it: plain columns, no ORM objects."""

    id: int  #: the assignment's
    membership_id: int
    override_reason: str | None
    membership: Holder


@cache
def _places_on() -> Select:
    """:func:`places_on`'s statement, built once (run with ``org`` and ``shift_id``): the live statuses written in
    (``sql_lists.one_of``), so that it compiles to one SQL text."""
    return (
        select(Assignment.id, Assignment.membership_id, Assignment.override_reason, Person.name)
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .join(Person, Person.id == Membership.person_id)
        .where(Assignment.organisation_id == bindparam("org"), Assignment.shift_id == bindparam("shift_id"),
               one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES))
        .order_by(Person.name, Assignment.id)
    )


def places_on(org: Organisation, shift_id: int) -> list[PlaceOn]:
    """Return the live places on a shift, by the holder's name, each with its holder's membership id and name:
    one query.

    Plain rows of the columns the panel shows, run as SQL compiled once (``core.compiled_sql``): loading them as
    Assignment, Membership and Person objects (the ORM's loaders set up for three mappers on every call) was
    four times what SQLite took to run the statement.
    """
    return [PlaceOn(ident, member_id, reason, Holder(member_id, HolderName(name)))
            for ident, member_id, reason, name in rows_of(reading_connection(), _places_on, (),
                                                          {"org": org.id, "shift_id": shift_id})]


def roles(org: Organisation) -> list[Role]:
    return list(db.session.scalars(scoped(Role, org).where(Role.archived_at.is_(None)).order_by(Role.name)))


def sites(org: Organisation, viewer: Membership | None = None) -> list[Site]:
    """The organisation's open sites; only those ``viewer`` may see when a coordinator limited to some."""
    stmt = scoped(Site, org).where(Site.archived_at.is_(None)).order_by(Site.name)
    return list(db.session.scalars(site_scope.within_sites(stmt, Site.id, viewer)))


class MyPlace(NamedTuple):
    """One of a person's places, as their own pages show it: plain columns, no ORM objects."""

    id: int
    status: str
    membership_id: int
    organisation_id: int
    shift_id: int
    starts_at: datetime
    ends_at: datetime
    role: str
    site: str
    address: str | None
    shift_status: str  #: ``planned``, ``cancelled``…: the load note's week hours leave out cancelled shifts


@cache
def _my_places_statement() -> Select:
    """:func:`my_places`' statement, built once per process: a volunteer's list polled over the API built it on
    every call."""
    return (
        select(Assignment.id, Assignment.status, Assignment.membership_id, Assignment.organisation_id,
               Shift.id, Shift.starts_at, Shift.ends_at, Role.name, Site.name, Site.address, Shift.status)
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .join(Site, (Site.id == Shift.site_id) & (Site.organisation_id == Shift.organisation_id))
        .where(Membership.person_id == bindparam("person_id"), Shift.starts_at >= bindparam("since"),
               Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
        .order_by(Shift.starts_at, Assignment.id)
    )


def my_places(person_id: int, since: datetime) -> list[MyPlace]:
    """Return a person's live places in every organisation they belong to from ``since`` on, by start, in one
    query.

    Scoped through the person's own memberships: a person sees only their own places.
    """
    params = {"person_id": person_id, "since": since}
    return [MyPlace._make(row) for row in reading_connection().execute(_my_places_statement(), params)]

