"""Turn members and shifts into the rota domain's plain values, in bulk.

The coordinator's candidate list, volunteer sign-up and the auto-rota all
ask the domain (``rota.domain.eligibility``) who may take a shift. This
module loads what it needs — qualifications, weekly availability, leave
and duties already held — in a fixed number of queries for any number of
people, so none of those pages runs a query per person.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    Time,
    bindparam,
    inspect,
    literal,
    null,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import selectinload

from volunteers.core.compiled_sql import DriverRows, driver_rows, rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.people.models import (
    AvailabilityWindow,
    Leave,
    Membership,
    Person,
    PersonQualification,
    Qualification,
)
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.rota.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    Shift,
    Site,
)

#: duties this close to the period still matter for overlaps
_BUSY_MARGIN = timedelta(days=1)


#: the kinds of fact of :func:`_candidate_statements`' second statement
_QUALIFICATION, _AVAILABILITY, _LEAVE = 1, 2, 3


@cache
def _candidate_statements(by_ids: bool, active_only: bool, sqlite: bool, load_fields: bool = False
                          ) -> tuple[Select, CompoundSelect, Select]:
    """Build once per kind of call: members; qualifications, availability and leave; duties (bound per call).

    Each is limited to the organisation (``:org``, what ``core.tenancy.scoped`` writes); ``by_ids`` picks
    members by ``:ids``, else every member (active ones with ``active_only``). Building these with
    ``select(...).where(...)`` on every call was a tenth of the coordinator's shift panel. ``load_fields``: the
    members' rows also carry what a load check reads of a membership (``limits``, ``caseload_limit``).
    """
    org: Any = bindparam("org")
    members = (select(Membership.id, Person.name, Membership.pledged_hours_per_week, Membership.last_supervised_on,
                      *((Membership.limits, Membership.caseload_limit) if load_fields else ()))
               .join(Person, Person.id == Membership.person_id).where(Membership.organisation_id == org))
    if by_ids:
        members = members.where(Membership.id.in_(bindparam("ids", expanding=True)))
    if active_only:
        members = members.where(Membership.status == "active")
    # everyone's rows are picked by the members' own statement as a subquery: the same members (same
    # conditions), without binding hundreds of ids into each of the statements below
    among: Any = bindparam("ids", expanding=True) if by_ids else members.with_only_columns(Membership.id)
    # qualifications, availability and leave in one statement (a statement of its own each was a twentieth of
    # the shift panel): a row per fact, its kind first, each kind's values in columns of their own types
    qualifications = (
        select(literal(_QUALIFICATION), PersonQualification.membership_id, Qualification.name,
               PersonQualification.expires_on, null().cast(Date), null().cast(Integer), null().cast(Time),
               null().cast(Time))
        .join(Qualification, (Qualification.id == PersonQualification.qualification_id)
              & (Qualification.organisation_id == PersonQualification.organisation_id))
        .where(PersonQualification.organisation_id == org, PersonQualification.membership_id.in_(among))
    )
    availability = (
        select(literal(_AVAILABILITY), AvailabilityWindow.membership_id, null(), null(), null(),
               AvailabilityWindow.weekday, AvailabilityWindow.start_time, AvailabilityWindow.end_time)
        .where(AvailabilityWindow.organisation_id == org, AvailabilityWindow.membership_id.in_(among))
    )
    leave = (
        select(literal(_LEAVE), Leave.membership_id, null(), Leave.starts_on, Leave.ends_on, null(), null(), null())
        .where(Leave.organisation_id == org, Leave.membership_id.in_(among),
               Leave.starts_on <= bindparam("last_day", type_=Date()),
               Leave.ends_on >= bindparam("first_day", type_=Date()))
    )
    # availability by weekday and start, as each member's windows were read on their own; then by member and
    # value, so that rows equal in those come in one order whatever the plan (PostgreSQL's generic plan of a
    # prepared statement gave ties in another order than its first plans)
    facts: CompoundSelect = union_all(qualifications, availability, leave).order_by(
        text("1"), text("6"), text("7"), text("2"), text("3"), text("4"))
    return members.order_by(Person.name), facts, _busy_statement(among, sqlite)


def _candidate_read(which: int, by_ids: bool, active_only: bool, sqlite: bool, load_fields: bool) -> Any:
    """One of :func:`_candidate_statements` (0 members, 1 facts, 2 duties), as ``core.compiled_sql`` runs it."""
    return _candidate_statements(by_ids, active_only, sqlite, load_fields)[which]


def _busy_statement(among: Any, sqlite: bool) -> Select:
    """Live duties of the members ``among`` overlapping [``:start``, ``:end``) (``:org`` as in ``scoped``).

    On SQLite the instants come as their stored text (made aware by the caller, as wellbeing's iter_places
    reads them): SQLAlchemy's SQLite datetime parsing was most of reading a volunteer's six weeks of duties.
    The live statuses are written into the SQL (``sql_lists.one_of``): a list of the code's own words sent as
    an expanding parameter made SQLAlchemy rewrite the statement on every call.
    """
    starts, ends = ((type_coerce(Shift.starts_at, String()), type_coerce(Shift.ends_at, String())) if sqlite
                    else (Shift.starts_at, Shift.ends_at))
    return (
        select(Assignment.membership_id, starts, ends)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(
            Assignment.organisation_id == bindparam("org"),
            Assignment.membership_id.in_(among),
            one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES),
            Shift.status == "planned",
            Shift.starts_at < bindparam("end"),
            Shift.ends_at > bindparam("start"),
        )
        .order_by(Shift.starts_at)
    )


@cache
def _busy_by_ids(sqlite: bool) -> Select:
    return _busy_statement(bindparam("ids", expanding=True), sqlite)


class MemberRow:
    """A member's row of :func:`load_candidates`' first statement with its load fields (``members_out``): what a
    load check reads of a membership, by attribute.

    ``limits`` is decoded from the driver's value (SQLite's JSON text) when first read, by the result processor
    SQLAlchemy picks for the column, as ``execute`` would have decoded it: a panel reads the limits of the dozen
    people it shows, not of every member it ranks (decoding each was a tenth of reading the candidates).
    """

    __slots__ = ("id", "name", "pledged_hours_per_week", "last_supervised_on", "_limits", "_decode",
                 "caseload_limit")

    def __init__(self, ident: int, name: str, pledged: Decimal | None, supervised: date | None, limits: Any,
                 caseload_limit: int | None, decode: Callable[[Any], Any] | None = None) -> None:
        self.id, self.name, self.pledged_hours_per_week, self.last_supervised_on = ident, name, pledged, supervised
        self._limits, self._decode, self.caseload_limit = limits, decode, caseload_limit

    @property
    def limits(self) -> dict[str, Any]:
        if self._decode is not None:
            self._limits, self._decode = self._decode(self._limits), None
        return self._limits

    def __repr__(self) -> str:
        return (f"MemberRow(id={self.id!r}, name={self.name!r}, pledged_hours_per_week="
                f"{self.pledged_hours_per_week!r}, last_supervised_on={self.last_supervised_on!r}, "
                f"limits={self.limits!r}, caseload_limit={self.caseload_limit!r})")


#: where the members' statement has the limits (with its load fields)
_LIMITS = 4


def _members(read: DriverRows, load_fields: bool) -> tuple[list[tuple[Any, ...]], Callable[[Any], Any] | None]:
    """The members' rows as ``execute`` gives them but, with the load fields, the limits as the driver gave them,
    and what decodes those (None: nothing to decode)."""
    if not load_fields:
        return read.typed(), None
    decode = dict(read.conversions).get(_LIMITS)
    return DriverRows(read.rows, tuple(c for c in read.conversions if c[0] != _LIMITS)).typed(), decode


def load_candidates(
    org: Organisation,
    membership_ids: Iterable[int] | None,
    start: datetime,
    end: datetime,
    *,
    active_only: bool = True,
    members_out: dict[int, Any] | None = None,
) -> dict[int, Candidate]:
    """Return a domain Candidate per member (all active members when ids is None).

    ``start``/``end`` bound the period of interest: leave and existing duties
    are loaded for it (with a day's margin for overlaps). Three queries.
    ``members_out``, if given, receives each member's row (a :class:`MemberRow`): ``id``, ``name``,
    ``pledged_hours_per_week``, ``last_supervised_on``, ``limits`` and ``caseload_limit`` (what a load
    check reads of a membership).

    Every member's statements are run as SQL compiled once (``core.compiled_sql``: no cache key made, no ORM step,
    the driver's rows converted as ``execute`` converts them); with ``membership_ids`` (an expanding list)
    ``execute`` runs them.
    """
    params: dict[str, Any] = {"org": org.id}
    if membership_ids is not None:
        params["ids"] = list(membership_ids)
        if not params["ids"]:
            return {}
    conn = reading_connection()  # after the autoflush ``session.execute`` would do
    sqlite = conn.dialect.name == "sqlite"
    shape = (membership_ids is not None, active_only, sqlite, members_out is not None)
    members, decode = _members(driver_rows(conn, _candidate_read, (0, *shape), params), members_out is not None)
    if not members:  # every member of a large organisation
        return {}
    if members_out is not None:
        members_out.update((ident, MemberRow(ident, name, pledged, supervised, limits, caseload, decode))
                           for ident, name, pledged, supervised, limits, caseload in members)
    if membership_ids is not None:
        params["ids"] = [m[0] for m in members]

    qualifications: dict[int, dict[str, date | None]] = defaultdict(dict)
    availability: dict[int, list[WeeklyWindow]] = defaultdict(list)
    leave: dict[int, list[tuple]] = defaultdict(list)
    params["first_day"] = local_date(start - _BUSY_MARGIN, org.timezone)
    params["last_day"] = local_date(end + _BUSY_MARGIN, org.timezone)
    # the dates and times as the driver gives them (SQLite's text), made values by _date and _time: their
    # fromisoformat is what SQLAlchemy's SQLite DATE and TIME result processors do, without a call per column
    for kind, member_id, name, day, last, weekday, start_time, end_time in driver_rows(
            conn, _candidate_read, (1, *shape), params).rows:
        if kind == _QUALIFICATION:
            qualifications[member_id][name] = _date(day)
        elif kind == _AVAILABILITY:
            availability[member_id].append(WeeklyWindow(weekday, _time(start_time), _time(end_time)))
        else:
            leave[member_id].append((_date(day), _date(last)))

    params["start"], params["end"] = start - _BUSY_MARGIN, end + _BUSY_MARGIN
    busy = _busy_rows(rows_of(conn, _candidate_read, (2, *shape), params), sqlite)
    found = {}
    for member_id, name, pledged, supervised, *_ in members:
        facts = availability.get(member_id)
        held = leave.get(member_id)
        duties = busy.get(member_id)
        found[member_id] = _candidate(
            str(member_id), name, float(pledged) if pledged is not None else None,
            qualifications.get(member_id) or {}, tuple(facts) if facts else (), tuple(sorted(held)) if held else (),
            tuple(duties) if duties else (), supervised)
    return found


#: the constructor's defaults of the fields :func:`_candidate` is not given
_USUAL_SLOTS, _PREFERENCES = (next(f.default for f in fields(Candidate) if f.name == name)
                              for name in ("usual_slots", "preferences"))
_new = object.__new__


def _candidate(ident: str, name: str, pledged: float | None, qualifications: dict[str, date | None],
               availability: tuple[WeeklyWindow, ...], leave: tuple[tuple[date, date], ...],
               busy: tuple[tuple[datetime, datetime], ...], last_supervised_on: date | None) -> Candidate:
    """``Candidate(...)`` of these values, without the frozen dataclass's ``__init__`` (a ``setattr`` through
    ``object`` per field): a third of building an organisation's candidates. Candidate has no ``__post_init__``;
    the value is the constructor's, field for field and in its order (tests/unit/rota/test_candidate_values.py)."""
    candidate = _new(Candidate)
    candidate.__dict__.update(
        id=ident, name=name, pledged_hours_per_week=pledged, qualifications=qualifications, availability=availability,
        leave=leave, busy=busy, usual_slots=_USUAL_SLOTS, preferences=_PREFERENCES,
        last_supervised_on=last_supervised_on)
    return candidate


def _date(value: date | str | None) -> date | None:
    """A date of the facts' union: SQLite may hand a union's values back as their stored text."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def _time(value: time | str) -> time:
    """A time of the facts' union, as :func:`_date`."""
    return value if isinstance(value, time) else time.fromisoformat(value)


def busy_duties(
    org: Organisation, membership_ids: list[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Return each member's live duties overlapping [start, end), as (start, end) pairs."""
    if not membership_ids:
        return defaultdict(list)
    sqlite = db.session.connection().dialect.name == "sqlite"
    return _busy_rows(db.session.execute(
        _busy_by_ids(sqlite), {"org": org.id, "ids": list(membership_ids), "start": start, "end": end}), sqlite)


def _busy_rows(rows: Iterable[Any], sqlite: bool) -> dict[int, list[tuple[datetime, datetime]]]:
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    if sqlite:
        parse = datetime.fromisoformat
        for member_id, starts_at, ends_at in rows:
            busy[member_id].append((parse(starts_at).replace(tzinfo=UTC), parse(ends_at).replace(tzinfo=UTC)))
        return busy
    for member_id, starts_at, ends_at in rows:
        busy[member_id].append((starts_at, ends_at))
    return busy


def open_shifts_for(org: Organisation, shifts: Iterable[Shift],
                    assigned: Mapping[int, Iterable[int]] | None = None) -> dict[int, OpenShift]:
    """Return a domain OpenShift per shift, with the people already on it (two queries).

    ``assigned`` (shift id → membership ids of its live places), when the caller has read them, saves one.
    """
    shifts = list(shifts)
    if not shifts:
        return {}
    # roles (with their qualifications) and sites the caller loaded with the shifts are not read again;
    # each role is looked at once (a page of open shifts has a few roles for dozens of shifts)
    roles: dict[int, Role] = {}
    sites: dict[int, Site] = {}
    for s in shifts:
        if _loaded(s, "role"):
            role = s.role
            if role is not None and role.id not in roles and _loaded(role, "required_qualifications"):
                roles[role.id] = role
        if _loaded(s, "site") and s.site is not None:
            sites[s.site.id] = s.site
    role_ids = {s.role_id for s in shifts} - set(roles)
    site_ids = {s.site_id for s in shifts} - set(sites)
    if role_ids:
        roles.update({r.id: r for r in db.session.scalars(
            scoped(Role, org).where(Role.id.in_(role_ids)).options(selectinload(Role.required_qualifications)))})
    if site_ids:
        sites.update({s.id: s for s in db.session.scalars(scoped(Site, org).where(Site.id.in_(site_ids)))})
    on_shift: dict[int, list[str]] = defaultdict(list)
    if assigned is not None:
        for shift_id, member_ids in assigned.items():
            on_shift[shift_id].extend(str(member_id) for member_id in member_ids)
    else:
        for shift_id, member_id in db.session.execute(
            scoped(Assignment, org, Assignment.shift_id, Assignment.membership_id).where(
                Assignment.shift_id.in_([s.id for s in shifts]), Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)
            )
        ):
            on_shift[shift_id].append(str(member_id))
    result = {}
    for shift in shifts:
        role = roles[shift.role_id]
        result[shift.id] = OpenShift(
            id=str(shift.id),
            start=shift.starts_at,
            end=shift.ends_at,
            role=role.name,
            site=sites[shift.site_id].name,
            required_qualifications=role.required_names,
            needed=shift.needed,
            assigned=tuple(sorted(set(on_shift.get(shift.id, [])))),
            intensity=float(role.intensity),
            on_call=role.on_call,
            priority=role.priority,
        )
    return result


def _loaded(record: object, attribute: str) -> bool:
    """Return whether a relationship of a mapped record is already loaded (reading it runs no query).

    What ``attribute not in inspect(record).unloaded`` says, without building the set of every unloaded one.
    """
    state = inspect(record)
    return attribute in state.dict or attribute in state.committed_state


def open_shift_for(org: Organisation, shift: Shift, assigned: Iterable[int] | None = None) -> OpenShift:
    """Return one shift as a domain OpenShift (``assigned``: its live places' membership ids, if read already)."""
    return open_shifts_for(org, [shift], None if assigned is None else {shift.id: assigned})[shift.id]
