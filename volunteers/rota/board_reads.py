"""The board's reads: a period's shifts as cards, who holds their places and who of those is away.

Plain columns on the session's connection (``core.reads.reading_connection``),
by statements built once per kind of filter and viewer role, in a number of
statements that does not grow with the rota: a week of a large rota is
hundreds of cards. The week or month these make is ``rota.board_period``;
the month's own reads (summed busy days) are ``rota.board_month``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Select, String, bindparam, select, type_coerce

from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.core.timeutil import zone
from volunteers.people.models import Leave, Membership, Person
from volunteers.rota import leave_notes, site_scope
from volunteers.rota.domain.away import Away, LeaveSpan, away_on
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, Site


class OnShift(NamedTuple):
    """Someone holding a place, as the board shows them: just the name (cheap to load by the thousand).

    A tuple, not a frozen dataclass: a month's thousands are made five times faster.
    """

    membership_id: int
    name: str


class RoleRef(NamedTuple):
    """A shift's role as the board shows it."""

    id: int
    name: str
    on_call: bool


class SiteRef(NamedTuple):
    """A shift's site as the board shows it."""

    id: int
    name: str


class BoardCard(NamedTuple):
    """A shift as the board shows it: plain columns (a month of a large rota has thousands), role and site named."""

    id: int
    starts_at: datetime
    ends_at: datetime
    local_date: date
    needed: int
    published_at: datetime | None
    role: RoleRef
    site: SiteRef
    #: the organisation's zone, for the local wall-clock times a card shows
    zone: tzinfo

    # formatted when a card shows them, not for every shift: a month of a large rota sums most days per role
    @property
    def start_time(self) -> str:
        """The local wall-clock start ("09:00")."""
        return wall_clock(self.starts_at, self.zone)

    @property
    def end_time(self) -> str:
        """The local wall-clock end ("13:00")."""
        return wall_clock(self.ends_at, self.zone)


def wall_clock(instant: datetime, tz: tzinfo) -> str:
    """Return an aware instant's local wall-clock time in ``tz`` ("09:00"), as ``astimezone`` and ``%H:%M`` write it.

    From the zone's offset on the instant's UTC day, worked out once per day and zone: a board's cards
    drew each time with ``astimezone`` and ``strftime`` (which asks the C library for the zone each call),
    a sixth of a month's cards. A day on which the offset changes goes the long way.
    """
    utc = instant.astimezone(UTC) if instant.utcoffset() else instant
    offset = _utc_day_offset(utc.date(), tz)
    if offset is None:
        return instant.astimezone(tz).strftime("%H:%M")
    minutes = utc.hour * 60 + utc.minute + offset
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=4096)
def _utc_day_offset(day: date, tz: tzinfo) -> int | None:
    """The zone's offset in whole minutes all through a UTC day, or None if it changes that day (or has seconds)."""
    start = datetime.combine(day, time(0), UTC).astimezone(tz).utcoffset()
    end = datetime.combine(day, time(23, 59, 59, 999999), UTC).astimezone(tz).utcoffset()
    if start is None or start != end or start.total_seconds() % 60:
        return None
    return int(start.total_seconds()) // 60


@dataclass(slots=True)
class BoardShift:
    shift: BoardCard
    people: list[OnShift] = field(default_factory=list)
    #: places held, when only counted (a day summed per role shows no names); None: ``people`` are loaded
    count: int | None = None
    #: of ``people``, those on declared leave during the shift ("Kelly Robson is away 21–28 Dec")
    away: list[Away] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return len(self.people) if self.count is None else self.count

    @property
    def gap(self) -> int:
        return max(self.shift.needed - self.filled, 0)


@dataclass(frozen=True)
class BoardFilter:
    site_id: int | None = None
    role_id: int | None = None
    gaps_only: bool = False


#: chooses, from the number of shifts on each local date, the dates whose holders are named (the rest: counted)
NamedDays = Callable[[dict[date, int]], set[date]]


def board(org: Organisation, start: datetime, end: datetime, filters: BoardFilter,
          named_days: NamedDays | None = None, viewer: Membership | None = None) -> dict[date, list[BoardShift]]:
    """Return the shifts starting in [start, end) grouped by local date, with their people.

    Two queries of plain columns at most, whatever the period's size, each
    built once: the shifts with their roles and sites, and the names of the
    people on them with their declared leave over those days. For the dates ``named_days`` leaves
    out (a day the board sums per role) only how many places each shift has
    filled is needed: the shift's stored ``filled`` (kept equal to its live
    places by every place taken or given up). Default: every date named.
    """
    return board_rows(org, start, end, filters, named_days, viewer).board()


@dataclass(frozen=True)
class BoardRows:
    """What :func:`board` reads, as plain tuples, before any card is made of them: a page whose rows are those
    it was drawn from before draws the same (``rota.board_kept``), so the cards are made only when needed."""

    org_id: int
    timezone: str
    gaps_only: bool
    #: the shifts' rows (:func:`_board_statement`'s columns)
    shifts: list[tuple[Any, ...]]
    named: frozenset[date]
    #: :data:`_NAMES_AND_LEAVE`'s rows for the named days' shifts
    people: list[tuple[Any, ...]]

    def board(self) -> dict[date, list[BoardShift]]:
        """The shifts by local date with their people, as :func:`board` returns them."""
        tz = zone(self.timezone)
        parse = datetime.fromisoformat
        # the roles and sites of a period are a handful: one value each, shared by their cards
        roles: dict[tuple, RoleRef] = {}
        sites: dict[tuple, SiteRef] = {}
        named = self.named
        people, leave = names_and_leave_of(self.people)
        days: dict[date, list[BoardShift]] = defaultdict(list)
        for shift_id, starts_at, ends_at, day, needed, published_at, role_id, role_name, on_call, site_id, \
                site_name, filled in self.shifts:
            if isinstance(starts_at, str):  # SQLite: UTC instants stored as text without an offset
                starts_at, ends_at = parse(starts_at + "+00:00"), parse(ends_at + "+00:00")
                if published_at is not None:
                    published_at = parse(published_at + "+00:00")
            role = roles.get((role_id, role_name, on_call))
            if role is None:
                role = roles[role_id, role_name, on_call] = RoleRef(role_id, role_name, bool(on_call))
            site = sites.get((site_id, site_name))
            if site is None:
                site = sites[site_id, site_name] = SiteRef(site_id, site_name)
            shift = BoardCard(shift_id, starts_at, ends_at, day, needed, published_at, role, site, tz)
            item = (BoardShift(shift, people.get(shift_id, [])) if day in named
                    else BoardShift(shift, count=filled))
            if leave and any(on.membership_id in leave for on in item.people):
                item.away = away_on(((on.membership_id, on.name) for on in item.people), leave,
                                    *leave_notes.shift_days(starts_at, ends_at, self.timezone))
            if self.gaps_only and item.gap == 0:
                continue
            days[day].append(item)
        return dict(days)


def board_rows(org: Organisation, start: datetime, end: datetime, filters: BoardFilter,
               named_days: NamedDays | None = None, viewer: Membership | None = None) -> BoardRows:
    """:func:`board`'s two statements run, their rows kept as tuples (see :class:`BoardRows`)."""
    connection = reading_connection()  # Core statements on the session's connection (after its autoflush)
    sqlite = connection.dialect.name == "sqlite"
    stmt = _board_statement(sqlite, bool(filters.site_id), bool(filters.role_id),
                            viewer.role if viewer is not None else None)
    params = {"org": org.id, "start": start, "end": end, "site": filters.site_id, "role": filters.role_id,
              **site_scope.viewer_params(viewer)}
    shifts = list(map(tuple, connection.execute(stmt, params).all()))  # fetched at once, kept as tuples
    per_day: dict[date, int] = defaultdict(int)
    for row in shifts:
        per_day[row[3]] += 1
    named = frozenset(per_day) if named_days is None else frozenset(named_days(dict(per_day)))
    named_ids = [row[0] for row in shifts if row[3] in named]
    # who is on the named days' shifts, with their leave over those days: one query, whatever the cards
    people = names_and_leave_rows(org, named_ids, min(named), max(named) + timedelta(days=1)) if named_ids else []
    return BoardRows(org.id, org.timezone, filters.gaps_only, shifts, named, people)


_S, _R, _SI = Shift.__table__, Role.__table__, Site.__table__  # Core columns: no ORM compile per request
_A, _M, _P, _L = Assignment.__table__, Membership.__table__, Person.__table__, Leave.__table__


@cache
def _board_statement(sqlite: bool, site: bool, role: bool, viewer_role: str | None) -> Select:
    """:func:`board`'s shifts with their roles and sites, built once per kind of filter and viewer role.

    Run with ``org``, ``start``, ``end``, ``site``, ``role`` and ``site_scope.viewer_params``.
    """
    # on SQLite the instants come as their stored text, made aware by board (as wellbeing's iter_places and
    # candidates.busy_duties read them): SQLAlchemy's parsing of a large month's ~6,000 instants was a third of it
    def instant(column: Any) -> Any:
        return type_coerce(column, String()) if sqlite else column

    stmt = (
        select(_S.c.id, instant(_S.c.starts_at), instant(_S.c.ends_at), _S.c.local_date, _S.c.needed,
               instant(_S.c.published_at), _R.c.id, _R.c.name, _R.c.on_call, _SI.c.id, _SI.c.name, _S.c.filled)
        .select_from(_S.join(_R, (_R.c.id == _S.c.role_id) & (_R.c.organisation_id == _S.c.organisation_id))
                     .join(_SI, (_SI.c.id == _S.c.site_id) & (_SI.c.organisation_id == _S.c.organisation_id)))
        .where(_S.c.organisation_id == bindparam("org"), _S.c.starts_at >= bindparam("start"),
               _S.c.starts_at < bindparam("end"), _S.c.status == "planned")
        .order_by(_S.c.starts_at, _S.c.id)
    )
    return board_filters(stmt, site, role, viewer_role)


def board_filters(stmt: Select, site: bool, role: bool, viewer_role: str | None) -> Select:
    """``stmt`` (of shifts) limited as the board is: to the viewer's sites (a coordinator limited to some sees
    those), and to the ``site`` and ``role`` parameters when the board is filtered by them."""
    stmt = site_scope.within_sites(stmt, _S.c.site_id, site_scope.bound_viewer(viewer_role))
    if site:
        stmt = stmt.where(_S.c.site_id == bindparam("site"))
    if role:
        stmt = stmt.where(_S.c.role_id == bindparam("role"))
    return stmt


#: who holds a place on each of some shifts (by name), each with their leave touching some dates: built once
_NAMES_AND_LEAVE = (
    select(_A.c.shift_id, _A.c.membership_id, _P.c.name, _L.c.starts_on, _L.c.ends_on)
    .select_from(_A.join(_M, (_M.c.id == _A.c.membership_id) & (_M.c.organisation_id == _A.c.organisation_id))
                 .join(_P, _P.c.id == _M.c.person_id)
                 .outerjoin(_L, (_L.c.organisation_id == _A.c.organisation_id)
                            & (_L.c.membership_id == _A.c.membership_id)
                            & (_L.c.starts_on <= bindparam("last")) & (_L.c.ends_on >= bindparam("first"))))
    # the statuses written into the SQL (constants of the code): one expanding parameter less to rewrite per view
    .where(_A.c.organisation_id == bindparam("org"), _A.c.shift_id.in_(bindparam("ids", expanding=True)),
           one_of(_A.c.status, ACTIVE_ASSIGNMENT_STATUSES))
    .order_by(_P.c.name, _A.c.shift_id, _A.c.membership_id, _L.c.starts_on)
)


def names_and_leave_rows(org: Organisation, shift_ids: list[int], first: date, last: date) -> list[tuple[Any, ...]]:
    """:data:`_NAMES_AND_LEAVE`'s rows (shift, member, name, leave from, leave to), as tuples."""
    return list(map(tuple, reading_connection().execute(
        _NAMES_AND_LEAVE, {"org": org.id, "ids": shift_ids, "first": first, "last": last}).all()))


def names_and_leave_of(rows: list[tuple[Any, ...]]) -> tuple[dict[int, list[OnShift]], dict[int, list[LeaveSpan]]]:
    """Who holds a place on each shift (by name) and their leave touching the statement's dates, made of
    :data:`_NAMES_AND_LEAVE`'s rows (what a query of the names and ``leave_notes.leave_of`` of those people read)."""
    people: dict[int, list[OnShift]] = defaultdict(list)
    leave: dict[int, set[LeaveSpan]] = defaultdict(set)
    seen = None
    for shift_id, membership_id, name, starts_on, ends_on in rows:
        if (shift_id, membership_id) != seen:  # a place once, whatever leave its holder has
            seen = (shift_id, membership_id)
            people[shift_id].append(OnShift(membership_id, name))
        if starts_on is not None:
            leave[membership_id].add((starts_on, ends_on))
    return dict(people), {member: sorted(spans) for member, spans in leave.items()}


class Named(NamedTuple):
    """A role or site as the board's filters list it."""

    id: int
    name: str


#: :func:`roles` as plain columns, built once: the board's filter (run with ``org``)
_OPEN_ROLES = select(_R.c.id, _R.c.name).where(_R.c.organisation_id == bindparam("org"),
                                               _R.c.archived_at.is_(None)).order_by(_R.c.name)


def role_names(org: Organisation) -> list[Named]:
    """:func:`roles` as (id, name) rows: what the board's filter shows, without an entity each."""
    return [Named(*row) for row in reading_connection().execute(_OPEN_ROLES, {"org": org.id})]


@cache
def _open_sites(viewer_role: str | None) -> Select:
    stmt = select(_SI.c.id, _SI.c.name).where(_SI.c.organisation_id == bindparam("org"),
                                             _SI.c.archived_at.is_(None)).order_by(_SI.c.name)
    return site_scope.within_sites(stmt, _SI.c.id, site_scope.bound_viewer(viewer_role))


def site_names(org: Organisation, viewer: Membership | None = None) -> list[Named]:
    """:func:`sites` as (id, name) rows, by a statement built once per viewer role."""
    stmt = _open_sites(viewer.role if viewer is not None else None)
    params = {"org": org.id, **site_scope.viewer_params(viewer)}
    return [Named(*row) for row in reading_connection().execute(stmt, params)]

