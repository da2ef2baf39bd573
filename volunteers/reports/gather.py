"""Read a month's report inputs in a fixed number of aggregate queries.

The ledger can hold millions of rows, so nothing here loads entries one by
one: the database sums them, grouped by what the report breaks them down
by (contributor, kind, stage, contributor type, role, site and — when a
rate changes inside the period — the rate period, so the value can be
worked out from the sums). Hours and money are summed as whole hundredths
(``CAST(ROUND(x * 100) AS BIGINT)``), exact on SQLite (where NUMERIC is a
float) as on PostgreSQL.

Every query takes ``as_of``: only entries decided (approved) by then count,
which is what freezes an issued month.

The statements are SQLAlchemy Core, built once per shape (how many windows,
how many rate changes) and cached, with the organisation, the instants and
the dates as bind parameters: building an expression tree costs more than
running these indexed aggregates, and a report should cost little more than
its SQL. Each statement is scoped to one organisation, as
:func:`volunteers.core.tenancy.scoped` does, through the ``org_id`` parameter.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Date,
    DateTime,
    Dialect,
    TypeDecorator,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
)

from volunteers.contributions.models import Contribution
from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation, UTCDateTime
from volunteers.core.timeutil import Month
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.reports.models import MonthlyReport
from volunteers.rota.models import Assignment, Role, Shift, Site
from volunteers.wellbeing.models import LoadWarning

Window = tuple[datetime, datetime]
#: rows as the database returns them (``Row``: tuples whose columns are also attributes, ``row.kind``),
#: each statement's own shape
Rows = Sequence[Any]

C = Contribution.__table__
REV = C.alias("reversal")
M, P, R, S = Membership.__table__, Person.__table__, Role.__table__, Site.__table__
SH, A, LW, MR = Shift.__table__, Assignment.__table__, LoadWarning.__table__, MonthlyReport.__table__


class _Instant(TypeDecorator[datetime]):
    """A UTC instant handed to the driver as :func:`_run` converted it: bound as it is.

    :class:`UTCDateTime` converts a value at every place a statement uses it, and SQLite
    takes parameters by position, so a month's bounds used a dozen times in one statement
    were converted a dozen times; :func:`_run` converts each one once, the same way.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def _const(value: str | int) -> Any:
    """A constant written into the statement rather than bound: SQLite binds by position, so a
    bound constant costs at every run, at every place it is used."""
    return literal_column(f"'{value}'" if isinstance(value, str) else str(value))


# untyped: a type would make the psycopg dialect cast the parameter in the SQL
ORG: BindParameter[Any] = bindparam("org_id")
AS_OF = bindparam("as_of", type_=_Instant())
APPROVED, VOLUNTEER, ZERO, ONE = _const("approved"), _const("volunteer"), _const(0), _const(1)


def _at(name: str) -> Any:
    return bindparam(name, type_=_Instant())


def cents(column: Any) -> Any:
    """SUM of a 2-place column as an exact integer number of hundredths."""
    return func.coalesce(func.sum(cast(func.round(column * _const(100)), BigInteger)), ZERO)


def from_cents(value: int | None) -> Decimal:
    return Decimal(int(value or 0)) / 100


def _period(points: int) -> Any:
    """A CASE giving the index of the rate period an entry's day falls in (0 with no change)."""
    if not points:
        return literal_column("0")
    return case(*[(C.c.occurred_on < bindparam(f"p{i}", type_=Date()), literal_column(str(i)))
                  for i in range(points)], else_=literal_column(str(points)))


def _bucket(column: Any, windows: int) -> Any:
    """A CASE giving the index of the half-open window (``lo<i>``, ``hi<i>``) ``column`` falls in."""
    return case(*[(and_(column >= _at(f"lo{i}"), column < _at(f"hi{i}")), literal_column(str(i)))
                  for i in range(windows)], else_=None)


def _week(column: Any, weeks: int) -> Any:
    """A CASE giving the index of the week ``column`` falls in, for rows already within the weeks.

    The weeks follow one another, so each needs only its end (``wk<i>``), and the last none.
    """
    if weeks <= 1:
        return literal_column("0")
    return case(*[(column < _at(f"wk{i}"), literal_column(str(i))) for i in range(weeks - 1)],
                else_=literal_column(str(weeks - 1)))


def _in_any(column: Any, windows: int) -> Any:
    return or_(*[and_(column >= _at(f"lo{i}"), column < _at(f"hi{i}")) for i in range(windows)])


def _approved(*columns: Any) -> Any:
    return (select(*columns).select_from(C)
            .where(C.c.organisation_id == ORG, C.c.status == APPROVED, C.c.decided_at <= AS_OF))


def _joined(stmt: Any) -> Any:
    return (stmt.outerjoin(M, and_(M.c.organisation_id == C.c.organisation_id, M.c.id == C.c.membership_id))
            .outerjoin(P, P.c.id == M.c.person_id)
            .outerjoin(R, and_(R.c.organisation_id == C.c.organisation_id, R.c.id == C.c.role_id))
            .outerjoin(S, and_(S.c.organisation_id == C.c.organisation_id, S.c.id == C.c.site_id)))


def _params(org: Organisation, as_of: datetime | None = None, windows: Sequence[Window] = (),
            points: Sequence[date] = (), weeks: Sequence[Window] = ()) -> dict[str, Any]:
    params: dict[str, Any] = {"org_id": org.id}
    if as_of is not None:
        params["as_of"] = as_of
    for i, (lo, hi) in enumerate(windows):
        params[f"lo{i}"], params[f"hi{i}"] = lo, hi
    for i, (_, hi) in enumerate(weeks[:-1]):
        params[f"wk{i}"] = hi
    for i, day in enumerate(points):
        params[f"p{i}"] = day
    return params


@lru_cache(maxsize=4)
def _to_driver(dialect: Dialect) -> Callable[[datetime], Any]:
    """How :class:`UTCDateTime` converts an instant for this database's driver."""
    return UTCDateTime().dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)


def _run(stmt: Any, params: dict[str, Any]) -> Rows:
    connection = db.session.connection()
    convert = _to_driver(connection.dialect)
    return connection.execute(stmt, {k: convert(v) if isinstance(v, datetime) else v
                                     for k, v in params.items()}).all()


@lru_cache(maxsize=32)
def _ledger_groups(points: int, weeks: int) -> Any:
    keys = (C.c.membership_id, C.c.contributor_name, C.c.contributor_type, C.c.kind, C.c.stage, C.c.role_id,
            C.c.site_id)
    grouped = (_approved(*keys, _period(points).label("period"), _week(C.c.occurred_at, weeks).label("week"),
                         cents(C.c.hours).label("hours_c"), cents(C.c.amount).label("amount_c"))
               .where(C.c.occurred_at >= _at("lo0"), C.c.occurred_at < _at("hi0"))
               .group_by(*keys, literal_column("week"), *([literal_column("period")] if points else []))
               .subquery("g"))
    # names are joined to the grouped rows, not to every entry
    g = grouped.c
    return (select(g.membership_id, g.contributor_name, g.contributor_type, g.kind, g.stage, R.c.name.label("role"),
                   S.c.name.label("site"), P.c.name.label("person_name"), P.c.email.label("email"), g.period, g.week,
                   g.hours_c, g.amount_c)
            .select_from(grouped)
            .outerjoin(M, and_(M.c.organisation_id == ORG, M.c.id == g.membership_id))
            .outerjoin(P, P.c.id == M.c.person_id)
            .outerjoin(R, and_(R.c.organisation_id == ORG, R.c.id == g.role_id))
            .outerjoin(S, and_(S.c.organisation_id == ORG, S.c.id == g.site_id)))


def ledger_groups(org: Organisation, window: Window, as_of: datetime, points: Sequence[date],
                  weeks: Sequence[Window]) -> Rows:
    """Return the month's approved entries summed by contributor, kind, stage, type, role, site, period and week.

    ``weeks`` are the month's weeks (clipped to it, one after another); ``week`` is the index of the
    one an entry starts in.
    """
    return _run(_ledger_groups(len(points), len(weeks)), _params(org, as_of, [window], points, weeks))


def _active_in(window: int) -> Any:
    """A scalar subquery: how many volunteers gave approved hours in window ``window`` (its own scan)."""
    entry = C.alias(f"active{window}")
    people = (select(literal_column("1")).select_from(entry)
              .where(entry.c.organisation_id == ORG, entry.c.status == APPROVED, entry.c.decided_at <= AS_OF,
                     entry.c.occurred_at >= _at(f"lo{window}"), entry.c.occurred_at < _at(f"hi{window}"),
                     entry.c.contributor_type == VOLUNTEER)
              .group_by(entry.c.membership_id, entry.c.contributor_name)
              .having(cents(entry.c.hours) > ZERO).subquery(f"people{window}"))
    return select(func.count()).select_from(people).scalar_subquery()


@lru_cache(maxsize=32)
def _compared_totals(windows: int, points: int) -> Any:
    stmt = (_approved(_bucket(C.c.occurred_at, windows).label("bucket"), C.c.kind, R.c.name.label("role"),
                      _period(points).label("period"), cents(C.c.hours).label("hours_c"),
                      cents(C.c.amount).label("amount_c"), *(_active_in(i).label(f"active{i}") for i in range(windows)))
            .outerjoin(R, and_(R.c.organisation_id == C.c.organisation_id, R.c.id == C.c.role_id))
            .where(_in_any(C.c.occurred_at, windows)))
    return stmt.group_by(literal_column("bucket"), C.c.kind, R.c.name, *([literal_column("period")] if points else []))


def compared_totals(org: Organisation, windows: Sequence[Window], as_of: datetime,
                    points: Sequence[date]) -> tuple[list[Any], dict[int, int]]:
    """Return hours and amounts per window, kind, role and rate period, and how many volunteers gave hours
    in each window (for comparisons), in one statement.

    The counts ride on every row as subqueries run once; with no rows there was nothing approved
    in the windows, and so no volunteer either.
    """
    rows = _run(_compared_totals(len(windows), len(points)), _params(org, as_of, windows, points))
    active = {i: int(n) for i, n in enumerate(rows[0][6:])} if rows else {}
    return [row[:6] for row in rows], active


def _places_by_bucket(windows: int) -> Any:
    no_shows = (select(func.count()).select_from(A)
                .where(A.c.organisation_id == SH.c.organisation_id, A.c.shift_id == SH.c.id,
                       A.c.status == _const("no_show"))
                .correlate(SH).scalar_subquery())
    return (select(_bucket(SH.c.starts_at, windows).label("bucket"), func.sum(SH.c.needed).label("needed"),
                   func.sum(SH.c.filled).label("filled"), func.sum(no_shows).label("no_shows"))
            .where(SH.c.organisation_id == ORG, SH.c.status == _const("planned"), _in_any(SH.c.starts_at, windows))
            .group_by(literal_column("bucket")))


def _warnings_in() -> Any:
    def within(column: Any) -> Any:
        return and_(column >= _at("wlo"), column < _at("whi"))

    def counted(column: Any) -> Any:
        return func.coalesce(func.sum(case((within(column), ONE), else_=ZERO)), ZERO)

    return (select(counted(LW.c.raised_at).label("raised"), counted(LW.c.resolved_at).label("resolved"))
            .where(LW.c.organisation_id == ORG, or_(within(LW.c.raised_at), within(LW.c.resolved_at))))


@lru_cache(maxsize=32)
def _month_counts(windows: int) -> Any:
    # the warnings' one row, with each window's places beside it (or none)
    warnings, places = _warnings_in().subquery("warnings"), _places_by_bucket(windows).subquery("places")
    return (select(warnings.c.raised, warnings.c.resolved, places.c.bucket, places.c.needed, places.c.filled,
                   places.c.no_shows)
            .select_from(warnings.outerjoin(places, true())))


def month_counts(org: Organisation, windows: Sequence[Window], as_of: datetime
                 ) -> tuple[dict[int, tuple[int, int, int]], dict[str, int]]:
    """Return (needed, filled, no-shows) of the planned shifts starting in each window, and how many load
    warnings were raised and resolved in the first window up to ``as_of``: one statement.
    """
    params = _params(org, None, windows)
    params["wlo"], params["whi"] = windows[0][0], min(windows[0][1], as_of)
    rows = _run(_month_counts(len(windows)), params)
    places = {b: (int(n or 0), int(f or 0), int(x or 0)) for _, _, b, n, f, x in rows if b is not None}
    return places, {"raised": int(rows[0][0]), "resolved": int(rows[0][1])}


@lru_cache(maxsize=1)
def _ever_active_before() -> Any:
    def in_month(*columns: Any) -> Any:
        return (select(*columns).distinct().where(
            C.c.organisation_id == ORG, C.c.status == APPROVED, C.c.decided_at <= AS_OF,
            C.c.occurred_at >= _at("lo0"), C.c.occurred_at < _at("hi0"), C.c.contributor_type == VOLUNTEER))

    def gave_before(*match: Any) -> Any:
        earlier = C.alias("earlier")
        reversed_ = exists().where(REV.c.organisation_id == earlier.c.organisation_id,
                                   REV.c.reverses_id == earlier.c.id, REV.c.decided_at <= AS_OF)
        return exists().where(
            earlier.c.organisation_id == ORG, earlier.c.status == APPROVED, earlier.c.decided_at <= AS_OF,
            earlier.c.occurred_at < _at("lo0"), earlier.c.contributor_type == VOLUNTEER, earlier.c.hours > ZERO,
            ~reversed_, *(m(earlier) for m in match))

    # members: one index probe per member of this month, stopping at the first earlier entry
    members = in_month(C.c.membership_id).where(C.c.membership_id.is_not(None)).subquery("members")
    by_member = select(members.c.membership_id, literal_column("NULL").label("contributor_name")).where(
        gave_before(lambda e: e.c.membership_id == members.c.membership_id))
    # volunteers without a login, by name (few)
    named = in_month(C.c.contributor_name).where(C.c.membership_id.is_(None)).subquery("named")
    by_name = select(literal_column("NULL").label("membership_id"), named.c.contributor_name).where(
        gave_before(lambda e: e.c.membership_id.is_(None), lambda e: e.c.contributor_name == named.c.contributor_name))
    return by_member.union_all(by_name)


def ever_active_before(org: Organisation, window: Window, as_of: datetime) -> set[tuple[int | None, str | None]]:
    """Return (membership, name) of this month's contributors who gave hours before it.

    An entry reversed by then does not count as having given.
    """
    rows = _run(_ever_active_before(), _params(org, as_of, [window]))
    return {(m, None if m is not None else n) for m, n in rows}


@lru_cache(maxsize=1)
def _active_between() -> Any:
    grouped = (_approved(C.c.membership_id, C.c.contributor_name)
               .where(C.c.occurred_at >= _at("lo0"), C.c.occurred_at < _at("hi0"),
                      C.c.contributor_type == VOLUNTEER)
               .group_by(C.c.membership_id, C.c.contributor_name).having(cents(C.c.hours) > ZERO).subquery("g"))
    # names are joined to the grouped rows, not to every entry
    return (select(grouped.c.membership_id, grouped.c.contributor_name, P.c.name.label("person_name"),
                   P.c.email.label("email"))
            .select_from(grouped)
            .outerjoin(M, and_(M.c.organisation_id == ORG, M.c.id == grouped.c.membership_id))
            .outerjoin(P, P.c.id == M.c.person_id))


def active_between(org: Organisation, window: Window, as_of: datetime) -> Rows:
    """Return the volunteers (membership, name, person name, e-mail) with approved hours in ``window``."""
    return _run(_active_between(), _params(org, as_of, [window]))


@lru_cache(maxsize=1)
def _late_entries() -> Any:
    stmt = _joined(_approved(C.c.membership_id, C.c.contributor_name, C.c.contributor_type, C.c.kind, C.c.stage,
                             C.c.hours, C.c.amount, C.c.occurred_at, C.c.occurred_on, C.c.decided_at,
                             R.c.name.label("role"), S.c.name.label("site"), P.c.name.label("person_name"),
                             P.c.email.label("email")))
    return stmt.where(C.c.decided_at > _at("lo0"), C.c.occurred_at < _at("hi0")).order_by(C.c.id)


def late_entries(org: Organisation, before: datetime, decided_after: datetime, as_of: datetime) -> Rows:
    """Return entries of earlier months decided after ``decided_after`` (candidate adjustments)."""
    return _run(_late_entries(), _params(org, as_of, [(decided_after, before)]))


@dataclass(frozen=True)
class IssuedMonth:
    month: str
    issued_at: datetime
    figures_json: str | None
    id: int


@lru_cache(maxsize=8)
def _issued_months(wanted: int) -> Any:
    # one parameter per wanted month: an expanding IN is re-rendered on every run
    wanted_months = MR.c.month.in_([bindparam(f"w{i}") for i in range(wanted)])
    return (select(MR.c.month, MR.c.issued_at, case((wanted_months, MR.c.figures_json), else_=None), MR.c.id)
            .where(MR.c.organisation_id == ORG))


def issued_months(org: Organisation, wanted_json: Sequence[Month]) -> dict[str, IssuedMonth]:
    """Return every issued month of the organisation by its stored ``"YYYY-MM"``; the figures only of the
    ``wanted_json`` months."""
    wanted = [str(m) for m in wanted_json] or [""]
    # compiled once per number of wanted months (core.compiled_sql): every view of a report reads it
    rows = rows_of(db.session.connection(), _issued_months, (len(wanted),),
                   {"org_id": org.id, **{f"w{i}": m for i, m in enumerate(wanted)}})
    return {m: IssuedMonth(m, at, js, id_) for m, at, js, id_ in rows}
