"""Read a month's report inputs in a fixed number of aggregate queries.

The ledger can hold millions of rows, so nothing here loads entries one by
one: the database sums them, grouped by what the report breaks them down
by (contributor, kind, stage, contributor type, role, site and — when a
rate changes inside the period — the rate period, so the value can be
worked out from the sums). Hours and money are summed as whole hundredths
(``CAST(ROUND(x * 100) AS BIGINT)``), which is exact on SQLite (where
NUMERIC is a float) as on PostgreSQL.

Every query takes ``as_of``: only entries decided (approved) by then
count, which is what freezes an issued month.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from volunteers.contributions.models import Contribution as C
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Assignment, Role, Shift, Site
from volunteers.wellbeing.models import LoadWarning

Window = tuple[datetime, datetime]


def cents(column: Any) -> Any:
    """SUM of a 2-place column as an exact integer number of hundredths."""
    return func.coalesce(func.sum(cast(func.round(column * 100), BigInteger)), 0)


def from_cents(value: int | None) -> Decimal:
    return Decimal(int(value or 0)) / 100


def period_of(points: Sequence[date]) -> Any:
    """A CASE giving the index of the rate period an entry's day falls in (0 with no change)."""
    if not points:
        return literal_column("0")
    return case(*[(C.occurred_on < day, i) for i, day in enumerate(points)], else_=len(points))


def bucket_of(column: Any, windows: Sequence[Window]) -> Any:
    """A CASE giving the index of the half-open UTC window ``column`` falls in."""
    return case(*[(and_(column >= lo, column < hi), i) for i, (lo, hi) in enumerate(windows)], else_=None)


def _in_any(column: Any, windows: Sequence[Window]) -> Any:
    return or_(*[and_(column >= lo, column < hi) for lo, hi in windows])


def _approved(org: Organisation, as_of: datetime, *columns: Any) -> Any:
    return scoped(C, org, *columns).where(C.status == "approved", C.decided_at <= as_of)


def _grouped(stmt: Any, *columns: Any, by_period: bool) -> Any:
    """GROUP BY the columns, and by the ``period`` output column when it is not a constant."""
    extra = [literal_column("period")] if by_period else []
    return stmt.group_by(*columns, *extra)


def _joined(stmt: Any) -> Any:
    M, R, S = Membership, Role, Site
    return (stmt.outerjoin(M, (M.organisation_id == C.organisation_id) & (M.id == C.membership_id))
            .outerjoin(Person, Person.id == M.person_id)
            .outerjoin(R, (R.organisation_id == C.organisation_id) & (R.id == C.role_id))
            .outerjoin(S, (S.organisation_id == C.organisation_id) & (S.id == C.site_id)))


def ledger_groups(org: Organisation, window: Window, as_of: datetime, points: Sequence[date]) -> list[Any]:
    """Return the month's approved entries summed by contributor, kind, stage, type, role, site, period."""
    columns = (C.membership_id, C.contributor_name, C.contributor_type, C.kind, C.stage,
               Role.name.label("role"), Site.name.label("site"), Person.name.label("person_name"),
               Person.email.label("email"))
    stmt = _joined(_approved(org, as_of, *columns, period_of(points).label("period"),
                             cents(C.hours).label("hours_c"), cents(C.amount).label("amount_c")))
    stmt = stmt.where(C.occurred_at >= window[0], C.occurred_at < window[1])
    stmt = _grouped(stmt, C.membership_id, C.contributor_name, C.contributor_type, C.kind, C.stage,
                    Role.name, Site.name, Person.name, Person.email, by_period=bool(points))
    return list(db.session.execute(stmt))


def hours_by_bucket(org: Organisation, windows: Sequence[Window], as_of: datetime) -> dict[int, Decimal]:
    """Return approved hours per window (weeks of a month), by when the work started."""
    bucket = bucket_of(C.occurred_at, windows).label("bucket")
    stmt = (_approved(org, as_of, bucket, cents(C.hours).label("hours_c"))
            .where(_in_any(C.occurred_at, windows)).group_by(literal_column("bucket")))
    return {row.bucket: from_cents(row.hours_c) for row in db.session.execute(stmt)}


def totals_by_bucket(org: Organisation, windows: Sequence[Window], as_of: datetime,
                     points: Sequence[date]) -> list[Any]:
    """Return hours and amounts per window, kind, role and rate period (for comparisons)."""
    bucket = bucket_of(C.occurred_at, windows).label("bucket")
    stmt = (_approved(org, as_of, bucket, C.kind, Role.name.label("role"), period_of(points).label("period"),
                      cents(C.hours).label("hours_c"), cents(C.amount).label("amount_c"))
            .outerjoin(Role, (Role.organisation_id == C.organisation_id) & (Role.id == C.role_id))
            .where(_in_any(C.occurred_at, windows)))
    stmt = _grouped(stmt, literal_column("bucket"), C.kind, Role.name, by_period=bool(points))
    return list(db.session.execute(stmt))


def active_by_bucket(org: Organisation, windows: Sequence[Window], as_of: datetime) -> dict[int, int]:
    """Return how many volunteers gave approved hours in each window."""
    bucket = bucket_of(C.occurred_at, windows).label("bucket")
    per_person = (_approved(org, as_of, bucket, C.membership_id, C.contributor_name)
                  .where(_in_any(C.occurred_at, windows), C.contributor_type == "volunteer")
                  .group_by(literal_column("bucket"), C.membership_id, C.contributor_name)
                  .having(cents(C.hours) > 0).subquery())
    stmt = select(per_person.c.bucket, func.count()).group_by(per_person.c.bucket)
    return {b: int(n) for b, n in db.session.execute(stmt)}


def places_by_bucket(org: Organisation, windows: Sequence[Window]) -> dict[int, tuple[int, int, int]]:
    """Return (needed, filled, no-shows) of the planned shifts starting in each window."""
    no_shows = (select(func.count()).where(Assignment.organisation_id == Shift.organisation_id,
                                           Assignment.shift_id == Shift.id, Assignment.status == "no_show")
                .correlate(Shift).scalar_subquery())
    bucket = bucket_of(Shift.starts_at, windows).label("bucket")
    stmt = (scoped(Shift, org, bucket, func.sum(Shift.needed), func.sum(Shift.filled), func.sum(no_shows))
            .where(Shift.status == "planned", _in_any(Shift.starts_at, windows))
            .group_by(literal_column("bucket")))
    return {b: (int(n or 0), int(f or 0), int(x or 0)) for b, n, f, x in db.session.execute(stmt)}


def _current_members(org: Organisation, window: Window, as_of: datetime) -> Any:
    return (_approved(org, as_of, C.membership_id)
            .where(C.occurred_at >= window[0], C.occurred_at < window[1], C.membership_id.is_not(None)))


def ever_active_before(org: Organisation, window: Window, as_of: datetime) -> set[tuple[int | None, str | None]]:
    """Return (membership, name) of this month's contributors who gave hours before it.

    An entry reversed by then does not count as having given.
    """
    reversal = aliased(C)
    reversed_ = exists().where(reversal.organisation_id == C.organisation_id, reversal.reverses_id == C.id,
                               reversal.decided_at <= as_of)
    stmt = (_approved(org, as_of, C.membership_id, C.contributor_name).distinct()
            .where(C.occurred_at < window[0], C.contributor_type == "volunteer", C.hours > 0, ~reversed_,
                   or_(C.membership_id.in_(_current_members(org, window, as_of)), C.membership_id.is_(None))))
    return {(m, None if m is not None else n) for m, n in db.session.execute(stmt)}


def active_between(org: Organisation, window: Window, as_of: datetime) -> list[Any]:
    """Return the volunteers (membership, name, person name, e-mail) with approved hours in ``window``."""
    stmt = _joined(_approved(org, as_of, C.membership_id, C.contributor_name, Person.name.label("person_name"),
                             Person.email.label("email")))
    stmt = (stmt.where(C.occurred_at >= window[0], C.occurred_at < window[1], C.contributor_type == "volunteer")
            .group_by(C.membership_id, C.contributor_name, Person.name, Person.email).having(cents(C.hours) > 0))
    return list(db.session.execute(stmt))


def late_entries(org: Organisation, before: datetime, decided_after: datetime, as_of: datetime) -> list[Any]:
    """Return entries of earlier months decided after ``decided_after`` (candidate adjustments)."""
    stmt = _joined(_approved(org, as_of, C.membership_id, C.contributor_name, C.contributor_type, C.kind,
                             C.stage, C.hours, C.amount, C.occurred_at, C.occurred_on, C.decided_at,
                             Role.name.label("role"), Site.name.label("site"),
                             Person.name.label("person_name"), Person.email.label("email")))
    stmt = stmt.where(C.decided_at > decided_after, C.occurred_at < before).order_by(C.id)
    return list(db.session.execute(stmt))


def warnings_in(org: Organisation, window: Window, as_of: datetime) -> dict[str, int]:
    """Return how many load warnings were raised and resolved in ``window`` (up to ``as_of``)."""
    lo, hi = window[0], min(window[1], as_of)

    def counted(column: Any) -> Any:
        return func.coalesce(func.sum(case((and_(column >= lo, column < hi), 1), else_=0)), 0)

    raised, resolved = db.session.execute(
        scoped(LoadWarning, org, counted(LoadWarning.raised_at), counted(LoadWarning.resolved_at))
        .where(or_(and_(LoadWarning.raised_at >= lo, LoadWarning.raised_at < hi),
                   and_(LoadWarning.resolved_at >= lo, LoadWarning.resolved_at < hi)))).one()
    return {"raised": int(raised), "resolved": int(resolved)}


@dataclass(frozen=True)
class IssuedMonth:
    month: str
    issued_at: datetime
    figures_json: str | None


def issued_months(org: Organisation, wanted_json: Sequence[str]) -> dict[str, IssuedMonth]:
    """Return every issued month of the organisation; the figures only of the ``wanted_json`` months."""
    from volunteers.reports.models import MonthlyReport as R

    body = case((R.month.in_(list(wanted_json)), R.figures_json), else_=None) if wanted_json else literal_column("NULL")
    rows = db.session.execute(scoped(R, org, R.month, R.issued_at, body.label("figures_json")))
    return {m: IssuedMonth(m, at, js) for m, at, js in rows}
