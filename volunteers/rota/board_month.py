"""The month board, read as the summary it is: cards for the quiet days, one line per role for the busy ones.

A day with more than :data:`board_period.MONTH_CARDS_PER_DAY` shifts (after the
filters) reads as one line per role; those lines are summed in SQL (GROUP BY
day and role), so a busy month's shifts no longer come back one Python object
each. The quiet days' shifts come back one row each, with only whoever on them
is on declared leave joined in: the compact cards name nobody, so the holders'
names are not read. Two statements, built once per kind of filter (a large
rota's month read ~4,000 shifts and every name on them, in three).

It draws what ``board_period.board_view`` drew for a month, byte for byte
(``tests/integration/rota/test_board_same_bytes.py``): a card's places are the
shift's stored ``filled`` (kept equal to its live places by every place taken
or given up), as the busy days' counts always were.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, case, func, select, true, type_coerce

from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.core.timeutil import local_to_utc, zone
from volunteers.people.models import Leave, Membership, Person
from volunteers.rota import board_period, board_reads, leave_notes, site_scope
from volunteers.rota.board_period import BoardView, RoleDay
from volunteers.rota.board_reads import BoardCard, BoardFilter, BoardShift, RoleRef, SiteRef
from volunteers.rota.domain.away import away_on
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, Site

_S, _R, _SI = Shift.__table__, Role.__table__, Site.__table__  # Core columns: no ORM compile per request
_A, _M, _P, _L = Assignment.__table__, Membership.__table__, Person.__table__, Leave.__table__


@cache
def _statements(sqlite: bool, site: bool, role: bool, gaps: bool,
                viewer_role: str | None) -> tuple[Select, Select, Select]:
    """The month's shifts summed per day and role, the quiet days' shifts with their holders on leave, and the
    same for a month without busy days (every day's shifts).

    Built once per kind of filter, run with the organisation, the month's instants, the filters'
    ids and the viewer's bound parameters (``site_scope.viewer_params``); the quiet days' cards' statement
    also with those days (``days``), which the sums tell. A month with no busy day (most rotas' every month)
    reads its cards without that list: no ``IN`` of ~30 dates expanded into the SQL text on every view.
    """
    # on SQLite the instants (and local dates) come as their stored text, made aware (or dates) by C parsers
    def instant(column: Any) -> Any:
        return type_coerce(column, String()) if sqlite else column

    def month(stmt: Select) -> Select:
        stmt = stmt.where(_S.c.organisation_id == bindparam("org"), _S.c.starts_at >= bindparam("start"),
                          _S.c.starts_at < bindparam("end"), _S.c.status == "planned")
        return board_reads.board_filters(stmt, site, role, viewer_role)

    kept = _S.c.filled < _S.c.needed  # "gaps only" keeps these

    def shown(value: Any, least: bool = False) -> Any:
        """The sum (or with ``least`` the least) of ``value`` over the shifts the filters show."""
        total = func.min if least else func.sum
        return total(case((kept, value), else_=None if least else 0)) if gaps else total(value)

    role_join = (_R.c.id == _S.c.role_id) & (_R.c.organisation_id == _S.c.organisation_id)
    sums = month(
        select(instant(_S.c.local_date), _R.c.id, _R.c.name, func.count(), shown(1), shown(_S.c.filled),
               shown(_S.c.needed), shown(case((_S.c.published_at.is_(None), 1), else_=0)),
               shown(instant(_S.c.starts_at), True), shown(_S.c.id, True))
        .select_from(_S.join(_R, role_join))
        # on SQLite by the shift's role id, which gives the role's id and name (SQLite reads them from the
        # group's rows): grouping by the joined name as well sorted on it too, a sixth of the statement
        .group_by(*((_S.c.local_date, _S.c.role_id) if sqlite else (_S.c.local_date, _R.c.id, _R.c.name)))
    )
    away = (
        select(_A.c.shift_id, _A.c.membership_id, _P.c.name, _L.c.starts_on, _L.c.ends_on)
        .select_from(_A.join(_M, (_M.c.id == _A.c.membership_id) & (_M.c.organisation_id == _A.c.organisation_id))
                     .join(_P, _P.c.id == _M.c.person_id)
                     .join(_L, (_L.c.organisation_id == _A.c.organisation_id)
                           & (_L.c.membership_id == _A.c.membership_id)))
        # the statuses written into the SQL (constants of the code): no expanding parameter to rewrite per view
        .where(_A.c.organisation_id == bindparam("org"),
               one_of(_A.c.status, ACTIVE_ASSIGNMENT_STATUSES),
               _L.c.starts_on <= bindparam("last"), _L.c.ends_on >= bindparam("first"))
        .subquery("away")
    )
    every_card = month(
        select(_S.c.id, instant(_S.c.starts_at), instant(_S.c.ends_at), instant(_S.c.local_date), _S.c.needed,
               instant(_S.c.published_at), _S.c.filled, _R.c.id, _R.c.name, _R.c.on_call, _SI.c.id, _SI.c.name,
               away.c.membership_id, away.c.name, away.c.starts_on, away.c.ends_on)
        .select_from(_S.join(_R, role_join)
                     .join(_SI, (_SI.c.id == _S.c.site_id) & (_SI.c.organisation_id == _S.c.organisation_id))
                     .outerjoin(away, away.c.shift_id == _S.c.id))
        .where(kept if gaps else true())
        .order_by(_S.c.starts_at, _S.c.id)
        # on SQLite the index on (organisation, starts_at) gives the shifts' order (no sort of the whole month):
        # a shift's holders on leave, a few rows, are put in name order by ``_cards``
        .order_by(*(() if sqlite else (away.c.name, away.c.membership_id, away.c.starts_on)))
    )
    return sums, every_card.where(_S.c.local_date.in_(bindparam("days", expanding=True))), every_card


@dataclass
class MonthView(BoardView):
    """A month of the board: ``days`` holds the quiet days' cards, ``summed`` the busy days' lines per role."""

    #: a busy day → (its drafts, its roles summed, by name)
    summed: dict[date, tuple[int, list[RoleDay]]] = field(default_factory=dict)

    #: the month's places needed and filled over the shifts shown, summed by the sums' statement (every day's)
    totals: tuple[int, int] = (0, 0)

    @property
    def needed(self) -> int:
        return self.totals[0]

    @property
    def filled(self) -> int:
        return self.totals[1]

    @property
    def gaps(self) -> int:  # a shift never holds more than it needs (the never_overbooked constraint)
        return self.totals[0] - self.totals[1]

    def drafts(self, day: date) -> int:
        return self.summed[day][0] if day in self.summed else 0

    @staticmethod
    def label(day: date) -> str:
        """A day's name in its cell's label ("Tuesday 1 December"): ``nice_date('%A %-d %B')``, written once a date."""
        return _day_label(day)

    def by_role(self, day: date) -> list[RoleDay]:
        return self.summed[day][1] if day in self.summed else []


@lru_cache(maxsize=512)
def _day_label(day: date) -> str:
    return day.strftime("%A %-d %B")


def month_view(org: Organisation, anchor: date, filters: BoardFilter, viewer: Membership | None) -> MonthView:
    """Return the month holding ``anchor`` as the board shows it, in two statements."""
    return month_rows(org, anchor, filters, viewer).view()


@dataclass(frozen=True)
class MonthRows:
    """A month of the board as read, before its cards are made (:meth:`view`): the two statements' rows as
    tuples, and the busy days' lines and the totals summed from the first."""

    first: date
    last: date
    dates: list[date]
    filters: BoardFilter
    timezone: str
    sums: list[tuple[Any, ...]]
    cards: list[tuple[Any, ...]]
    sqlite: bool
    named: set[date]
    summed: dict[date, tuple[int, list[RoleDay]]]
    totals: tuple[int, int]

    def view(self) -> MonthView:
        first, last = self.first, self.last
        view = MonthView("month", first, last, self.dates, _cards(self.timezone, self.cards, self.sqlite, self.named),
                         self.filters, (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1))
        view.summed = self.summed
        view.totals = self.totals
        return view


def month_rows(org: Organisation, anchor: date, filters: BoardFilter, viewer: Membership | None) -> MonthRows:
    """:func:`month_view`'s two statements run (see :class:`MonthRows`)."""
    first = anchor.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    shown_from, shown_to = board_period.week_start(first), board_period.week_start(last) + timedelta(days=6)
    connection = reading_connection()  # Core statements on the session's connection (after its autoflush)
    sqlite = connection.dialect.name == "sqlite"
    sums, quiet_cards, every_card = _statements(sqlite, bool(filters.site_id), bool(filters.role_id),
                                                filters.gaps_only, viewer.role if viewer is not None else None)
    params = {"org": org.id, "start": local_to_utc(first, time(0), org.timezone),
              "end": local_to_utc(last + timedelta(days=1), time(0), org.timezone),
              # a shift touches at most its day and the next: leave beyond those never shows
              "first": first, "last": last + timedelta(days=1),
              "site": filters.site_id, "role": filters.role_id, **site_scope.viewer_params(viewer)}
    limit = board_period.MONTH_CARDS_PER_DAY
    per_day: dict[date, list] = {}  # day → [shifts, shown, drafts shown, [(name, first start, first id, role id,
    #                                          shown, filled, needed)]]
    of_text: dict[str, list] = {}  # on SQLite, the same by the day's stored text ("2026-12-01"), read once a day
    needed_total = filled_total = 0
    sum_rows = list(map(tuple, connection.execute(sums, params).all()))  # fetched at once, kept as tuples
    for day, role_id, name, shifts, shown, filled, needed, drafts, first_start, first_id in sum_rows:
        sums_of_day = (of_text if sqlite else per_day).get(day)
        if sums_of_day is None:
            sums_of_day = [0, 0, 0, []]
            if sqlite:
                of_text[day] = per_day[date.fromisoformat(day)] = sums_of_day
            else:
                per_day[day] = sums_of_day
        sums_of_day[0] += shifts
        sums_of_day[1] += shown
        sums_of_day[2] += drafts
        needed_total += needed
        filled_total += filled
        if shown:
            sums_of_day[3].append((name, first_start, first_id, role_id, shown, filled, needed))
    # a day of more shown shifts than the limit reads one line per role (by name; a shared name: the first
    # shift's order); the others as cards, saying who is away where the day has no more shifts than that at all
    # (a RoleDay made for those only: most days of most months are quiet)
    summed = {day: (drafts, [RoleDay(role_id, name, shown, filled, needed) for name, _, _, role_id, shown, filled,
                             needed in sorted(lines, key=lambda line: line[:3])])
              for day, (_, shown, drafts, lines) in per_day.items() if shown > limit}
    quiet = sorted(day for day, (_, shown, _, _) in per_day.items() if 0 < shown <= limit)
    named = {day for day, (shifts, _, _, _) in per_day.items() if shifts <= limit}
    cards = list(map(tuple, (connection.execute(quiet_cards, {**params, "days": quiet}) if summed else
                             # no busy day: the days with shifts shown are all quiet
                             connection.execute(every_card, params)).all()))
    return MonthRows(first, last, [shown_from + timedelta(days=i) for i in range((shown_to - shown_from).days + 1)],
                     filters, org.timezone, sum_rows, cards, sqlite, named, summed, (needed_total, filled_total))


def _cards(timezone: str, rows: Any, sqlite: bool, named: set[date]) -> dict[date, list[BoardShift]]:
    """The quiet days' cards, by day, in the board's order; a card on a day of at most the limit of shifts
    (before "gaps only") says who on it is away (as ``board_reads.board`` named only those days' people)."""
    tz = zone(timezone)
    parse = datetime.fromisoformat
    roles: dict[int, RoleRef] = {}
    sites: dict[int, SiteRef] = {}
    days: dict[date, list[BoardShift]] = {}
    dates: dict[str, date] = {}  # on SQLite: a local date's stored text → the date, read once a day
    away: dict[int, tuple[BoardShift, list[tuple]]] = {}
    previous = None
    for (shift_id, starts_at, ends_at, day, needed, published_at, filled, role_id, role_name, on_call, site_id,
         site_name, member, name, leave_from, leave_to) in rows:
        if shift_id != previous:
            previous = shift_id
            if sqlite:  # UTC instants stored as text without an offset, local dates as text
                starts_at, ends_at = parse(starts_at + "+00:00"), parse(ends_at + "+00:00")
                if published_at is not None:
                    published_at = parse(published_at + "+00:00")
                local = dates.get(day)
                if local is None:
                    local = dates[day] = date.fromisoformat(day)
                day = local
            # one statement's rows: a role's (a site's) id gives its name and flag
            role = roles.get(role_id)
            if role is None:
                role = roles[role_id] = RoleRef(role_id, role_name, bool(on_call))
            site = sites.get(site_id)
            if site is None:
                site = sites[site_id] = SiteRef(site_id, site_name)
            item = BoardShift(BoardCard(shift_id, starts_at, ends_at, day, needed, published_at, role, site, tz),
                              count=filled)
            days.setdefault(day, []).append(item)
        if member is not None and item.shift.local_date in named:  # (``day`` is the stored text on SQLite)
            away.setdefault(shift_id, (item, []))[1].append((name, member, leave_from, leave_to))
    for item, on_leave in away.values():
        if sqlite:  # in the order PostgreSQL's statement sorts them by: name (SQLite's binary order), id, start
            on_leave.sort(key=lambda row: row[:3])
        people: dict[int, str] = {}
        leave: dict[int, list] = {}
        for name, member, leave_from, leave_to in on_leave:
            people.setdefault(member, name)
            leave.setdefault(member, []).append((leave_from, leave_to))
        item.away = away_on(people.items(), leave,
                            *leave_notes.shift_days(item.shift.starts_at, item.shift.ends_at, timezone))
    return days
