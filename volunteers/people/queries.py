"""Reads for the people pages: the list a page at a time, a member's qualification records, the qualifications.

The list's statements are built once for each shape (which filters are set, the order, the viewer's
role) with bound parameters, and give plain rows, not ORM entities: one statement returns a page of
members with how many match in all and each member's qualification records.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Connection, Select, String, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from volunteers.core import numbers
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.extensions import db
from volunteers.people import compiled_reads, site_limits
from volunteers.people.models import (
    QUALIFICATION_KINDS,
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

#: the organisation of every statement here, bound when it runs
ORG_ID: BindParameter[int] = bindparam("org_id")


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    status: str = ""
    role: str = ""
    qualification_id: int | None = None
    expiring_soon: bool = False


class _Shape(NamedTuple):
    """Which filters are set: the statement differs by these, the values are its parameters."""

    search: bool
    status: bool
    role: bool
    qualification: bool
    expiring: bool


def _shape(filters: PeopleFilter) -> _Shape:
    return _Shape(bool(filters.search), bool(filters.status), bool(filters.role),
                  bool(filters.qualification_id), filters.expiring_soon)


def _params(org: Organisation, filters: PeopleFilter, today: date, viewer: Membership | None) -> dict[str, Any]:
    """The values of :func:`_matching`'s parameters for these filters and this viewer."""
    params: dict[str, Any] = {"org_id": org.id, **site_limits.viewer_params(viewer)}
    if filters.search:
        params["like"] = f"%{filters.search.strip().lower()}%"
    if filters.status:
        params["status"] = filters.status
    if filters.role:
        params["role"] = filters.role
    if filters.qualification_id:
        params["qualification_id"] = filters.qualification_id
    if filters.expiring_soon:
        params["soon"] = today + timedelta(days=EXPIRING_SOON_DAYS)
    return params


@lru_cache(maxsize=64)
def _matching(shape: _Shape, viewer_role: str | None) -> Select:
    """``SELECT`` the organisation's members (joined to their person) that match the filters and the viewer's sites."""
    stmt = (
        select(Membership).join(Person, Person.id == Membership.person_id)
        .where(Membership.organisation_id == ORG_ID, site_limits.bound_members_clause(Membership.id, viewer_role))
    )
    if shape.search:
        like = bindparam("like", type_=String())
        stmt = stmt.where(or_(func.lower(Person.name).like(like), Person.email.like(like), Person.phone.like(like)))
    if shape.status:
        stmt = stmt.where(Membership.status == bindparam("status"))
    if shape.role:
        stmt = stmt.where(Membership.role == bindparam("role"))
    if shape.qualification or shape.expiring:
        sub = select(PersonQualification.membership_id).where(PersonQualification.organisation_id == ORG_ID)
        if shape.qualification:
            sub = sub.where(PersonQualification.qualification_id == bindparam("qualification_id"))
        if shape.expiring:
            sub = sub.where(PersonQualification.expires_on.is_not(None),
                            PersonQualification.expires_on <= bindparam("soon"))
        stmt = stmt.where(Membership.id.in_(sub))
    return stmt


def people_list(org: Organisation, filters: PeopleFilter, today: date,
                viewer: Membership | None = None) -> list[Membership]:
    """Return the organisation's members matching the filters, by name (two queries in all).

    A ``viewer`` limited to some sites sees the members of those sites (``site_limits``).
    """
    stmt = _people_list_statement(_shape(filters), site_limits.viewer_role(viewer))
    return list(db.session.scalars(stmt, _params(org, filters, today, viewer)).unique())


@lru_cache(maxsize=64)
def _people_list_statement(shape: _Shape, viewer_role: str | None) -> Select:
    return _matching(shape, viewer_role).options(
        selectinload(Membership.person),
        selectinload(Membership.qualification_records).selectinload(PersonQualification.qualification),
    ).order_by(Person.name)


class Badge(NamedTuple):
    """One qualification of a member on /people: its state (``expired``, ``soon``, ``ok``) and its words."""

    state: str
    text: str


class PersonRow(NamedTuple):
    """One member on /people, as the page shows them."""

    id: int
    name: str
    email: str
    phone: str | None
    role: str
    status: str
    #: "3 h/week", or "" with no pledge
    pledge: str
    badges: list[Badge]


#: "Volunteer", "Active", …: the words /people shows for a role or a status
_TITLES = {word: word.title() for word in ("volunteer", "coordinator", "admin", "active", "paused", "left")}


@dataclass(frozen=True)
class PeoplePage:
    """One page of /people: its members, which page of how many, and the order."""

    members: list[PersonRow]
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


@lru_cache(maxsize=128)
def _page_statement(shape: _Shape, viewer_role: str | None, sort: str) -> Select:
    """``SELECT`` one page of matching members in ``sort`` order, with how many match in all, each member's row
    repeated for each qualification record (ordered by qualification, as the records' index is).

    How many match is a scalar subquery, run once, and the page's order is the sort column's, again
    outside: windows (``count() OVER ()``, ``row_number()``) made the database read and sort every
    matching member's columns, 3.6 ms of SQLite's time for the 500-volunteer organisation where this
    takes 0.7 (the same rows: tests/integration/test_people_markup.py).
    """
    column = SORTS[sort.lstrip("-")]
    descending = sort.startswith("-")
    total = select(func.count()).select_from(
        _matching(shape, viewer_role).with_only_columns(Membership.id).correlate(None).subquery()
    ).correlate(None).scalar_subquery()
    page = (
        _matching(shape, viewer_role)
        .with_only_columns(Membership.id, Person.name, Person.email, Person.phone, Membership.role,
                           Membership.status, Membership.pledged_hours_per_week, total.label("total"),
                           column.label("sorted_by"))
        .order_by((column.desc() if descending else column.asc()).nulls_last(), Person.name, Membership.id)
        .offset(bindparam("offset")).limit(bindparam("limit"))
        .subquery("page")
    )
    return (
        select(page.c.id, page.c.name, page.c.email, page.c.phone, page.c.role, page.c.status,
               page.c.pledged_hours_per_week, page.c.total,
               Qualification.name.label("qualification"), PersonQualification.expires_on)
        .outerjoin(PersonQualification, (PersonQualification.organisation_id == ORG_ID)
                   & (PersonQualification.membership_id == page.c.id))
        .outerjoin(Qualification, (Qualification.organisation_id == PersonQualification.organisation_id)
                   & (Qualification.id == PersonQualification.qualification_id))
        .order_by((page.c.sorted_by.desc() if descending else page.c.sorted_by.asc()).nulls_last(), page.c.name,
                  page.c.id, PersonQualification.qualification_id)
    )


@lru_cache(maxsize=64)
def _count_statement(shape: _Shape, viewer_role: str | None) -> Select:
    return select(func.count()).select_from(_matching(shape, viewer_role).with_only_columns(Membership.id).subquery())


site_limits.clear_on_register(_matching, _people_list_statement, _page_statement, _count_statement)


class PageRead(NamedTuple):
    """One page of /people as read: its rows (one per member and qualification record, as the driver gave them:
    compared whole on every view by the kept list, ``people.kept_pages``), which page of how many, and the order
    (:func:`page_of` folds the rows into members)."""

    rows: compiled_reads.DriverRows
    number: int
    per_page: int
    total: int
    sort: str


def people_page(org: Organisation, filters: PeopleFilter, today: date, viewer: Membership | None = None, *,
                sort: str = DEFAULT_SORT, number: int = 1, per_page: int = PER_PAGE) -> PeoplePage:
    """Return page ``number`` (from 1; past the end: the last) of the members matching the filters, in ``sort`` order.

    One statement whatever the organisation's size: the page's members, how many match, and their
    qualification records. A page past the end costs two more: how many match, then the last page.
    """
    return page_of(read_people_page(org, filters, today, viewer, sort=sort, number=number, per_page=per_page), today)


def read_people_page(org: Organisation, filters: PeopleFilter, today: date, viewer: Membership | None = None, *,
                     sort: str = DEFAULT_SORT, number: int = 1, per_page: int = PER_PAGE,
                     conn: Connection | None = None) -> PageRead:
    """The rows of :func:`people_page`, as read (the same statements), on ``conn`` (the session's connection
    for columns-only reads if not given)."""
    sort = sort_key(sort)
    shape, role = _shape(filters), site_limits.viewer_role(viewer)
    params = _params(org, filters, today, viewer)
    statement = _page_statement(shape, role, sort)
    number = max(1, number)
    if conn is None:
        conn = reading_connection()

    def page_rows(number: int) -> compiled_reads.DriverRows:
        return compiled_reads.read(conn, statement, {**params, "offset": (number - 1) * per_page, "limit": per_page})

    rows = page_rows(number)
    total = rows.rows[0][7] if rows.rows else 0
    if not rows.rows and number > 1:  # past the end (a stale link): the last page
        total = db.session.scalar(_count_statement(shape, role), params) or 0
        number = max(1, -(-total // per_page))
        if total:
            rows = page_rows(number)
    return PageRead(rows, number, per_page, total, sort)


def page_of(read: PageRead, today: date) -> PeoplePage:
    """The page's members, each with their qualification badges (judged on ``today``)."""
    return PeoplePage(_person_rows(read.rows.typed(), today), read.number, read.per_page, read.total, read.sort)


def _person_rows(rows: Sequence[Sequence[Any]], today: date) -> list[PersonRow]:
    """Fold the page's rows (one per qualification record) into one :class:`PersonRow` per member."""
    members: list[PersonRow] = []
    pledges: dict[Decimal, str] = {}  # a page holds a few pledges many times over
    soon = today + timedelta(days=EXPIRING_SOON_DAYS)
    current = None
    for member_id, name, email, phone, role, status, pledge, _total, qualification, expires_on in rows:
        if current is None or current.id != member_id:
            if pledge is None:
                worded = ""
            elif (worded := pledges.get(pledge, "")) == "":
                worded = pledges[pledge] = f"{numbers.hours(pledge)}/week"
            current = PersonRow(member_id, name, email, phone, _TITLES.get(role) or role.title(),
                                _TITLES.get(status) or status.title(), worded, [])
            members.append(current)
        if qualification is None:
            continue
        if expires_on is None:
            current.badges.append(Badge("ok", qualification))
        else:  # as expiry_state words it
            state = "expired" if expires_on < today else "soon" if expires_on <= soon else "ok"
            current.badges.append(Badge(state, f"{qualification} · {'expired' if state == 'expired' else 'expires'} "
                                               f"{expires_on:%-d %b %Y}"))
    return members


_QUALIFICATIONS = (select(Qualification.id, Qualification.name)
                   .where(Qualification.organisation_id == ORG_ID, Qualification.archived_at.is_(None))
                   .order_by(Qualification.name))


def qualifications(org: Organisation, conn: Connection | None = None) -> list[tuple[int, str]]:
    """The organisation's qualifications in use (not archived), by name: ``(id, name)``, on ``conn`` (the
    session's connection for columns-only reads if not given)."""
    return compiled_reads.read(conn or reading_connection(), _QUALIFICATIONS, {"org_id": org.id}).rows


class QualificationRecord(NamedTuple):
    """One row of the Qualifications table on a member's page."""

    qualification_id: int
    name: str
    kind_label: str
    obtained_on: date | None
    expires_on: date | None
    certificate_number: str | None
    update_service_checked_on: date | None
    #: ``expired``, ``soon`` or ``ok``
    state: str


class QualificationChoice(NamedTuple):
    """A qualification in use, to choose on a form."""

    id: int
    name: str


#: the organisation's qualifications, each with the member's record of it (if any): the archived only with one
_QUALIFICATIONS_AND_RECORDS = (
    select(Qualification.id, Qualification.name, Qualification.kind, Qualification.archived_at,
           PersonQualification.id.label("record_id"), PersonQualification.obtained_on, PersonQualification.expires_on,
           PersonQualification.certificate_number, PersonQualification.update_service_checked_on)
    .outerjoin(PersonQualification, (PersonQualification.organisation_id == Qualification.organisation_id)
               & (PersonQualification.qualification_id == Qualification.id)
               & (PersonQualification.membership_id == bindparam("member_id")))
    .where(Qualification.organisation_id == ORG_ID,
           or_(Qualification.archived_at.is_(None), PersonQualification.id.is_not(None)))
    .order_by(Qualification.name)
)


def read_qualifications_and_records(conn: Connection, params: dict[str, Any]) -> compiled_reads.DriverRows:
    """The rows of :func:`qualifications_and_records` (``params``: ``org_id`` and ``member_id``), as read."""
    return compiled_reads.read(conn, _QUALIFICATIONS_AND_RECORDS, params)


def qualifications_and_records(org: Organisation, membership_id: int, today: date,
                               read: compiled_reads.DriverRows | None = None) -> tuple[list[QualificationChoice],
                                                                                 list[QualificationRecord]]:
    """The qualifications in use, by name, and the member's records (archived qualifications' too) by
    qualification, with their state (one statement; ``read``: its rows, when already read)."""
    if read is None:
        read = read_qualifications_and_records(reading_connection(), {"org_id": org.id, "member_id": membership_id})
    choices: list[QualificationChoice] = []
    records: list[QualificationRecord] = []
    for (qualification_id, name, kind, archived_at, record_id, obtained_on, expires_on, certificate_number,
         checked_on) in read.typed():
        if archived_at is None:
            choices.append(QualificationChoice(qualification_id, name))
        if record_id is not None:
            records.append(QualificationRecord(qualification_id, name, QUALIFICATION_KINDS.get(kind, kind),
                                               obtained_on, expires_on, certificate_number, checked_on,
                                               expiry_state(expires_on, today)))
    records.sort(key=lambda record: record.qualification_id)
    return choices, records


def expiry_state(expires_on: date | None, today: date) -> str:
    """Return ``expired``, ``soon`` (within 60 days) or ``ok`` for display."""
    if expires_on is None:
        return "ok"
    if expires_on < today:
        return "expired"
    if expires_on <= today + timedelta(days=EXPIRING_SOON_DAYS):
        return "soon"
    return "ok"
