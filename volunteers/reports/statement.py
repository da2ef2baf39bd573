"""A volunteer's statement: their approved hours, roles and value for a month or a year.

Printable, for references and CVs. A corrected entry and the entry that
reversed it are both left out, so the statement lists what stands. Hours
waiting for approval are shown apart and not counted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from volunteers.contributions.domain.arithmetic import apportion, q2
from volunteers.contributions.models import Contribution as C
from volunteers.contributions.rates import rate_card, value_of
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import Month, local_to_utc
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Site


@dataclass(frozen=True)
class Line:
    day: date
    role: str | None
    site: str | None
    kind: str
    stage: str
    hours: Decimal
    value: Decimal
    note: str | None


@dataclass(frozen=True)
class Statement:
    title: str
    lines: list[Line]
    hours: Decimal
    value: Decimal
    by_role: dict[str, Decimal]
    by_month: dict[str, Decimal]
    pending_hours: Decimal


def period(month: Month | None, year: int | None, tz: str) -> tuple[str, datetime, datetime]:
    """Return a title and the UTC bounds of a month, or else of a calendar year.

    :raises ValueError: for no month and a year outside 2000–2100.
    """
    if month is not None:
        start, end = month.bounds(tz)
        return month.name, start, end
    if year is None or not 2000 <= year <= 2100:
        raise ValueError("expected a year such as 2026")
    return str(year), local_to_utc(date(year, 1, 1), time(0), tz), local_to_utc(date(year + 1, 1, 1), time(0), tz)


def statement(org: Organisation, membership: Membership, title: str, start: datetime, end: datetime,
              now: datetime) -> Statement:
    """Return the member's standing approved entries in [start, end), valued at the rate card."""
    reversal = aliased(C)
    reversed_ = select(reversal.id).where(reversal.organisation_id == C.organisation_id,
                                         reversal.reverses_id == C.id).exists()
    rows = db.session.execute(
        scoped(C, org, C.occurred_on, C.kind, C.stage, C.hours, C.amount, C.note, Role.name.label("role"),
               Site.name.label("site"))
        .outerjoin(Role, (Role.organisation_id == C.organisation_id) & (Role.id == C.role_id))
        .outerjoin(Site, (Site.organisation_id == C.organisation_id) & (Site.id == C.site_id))
        .where(C.membership_id == membership.id, C.status == "approved", C.decided_at <= now,
               C.reverses_id.is_(None), ~reversed_, C.occurred_at >= start, C.occurred_at < end)
        .order_by(C.occurred_at, C.id)).all()
    card = rate_card(org)
    lines = [Line(r.occurred_on, r.role, r.site, r.kind, r.stage, Decimal(r.hours),
                  q2(value_of(card, r.kind, r.role, r.occurred_on, Decimal(r.hours), Decimal(r.amount))), r.note)
             for r in rows]
    by_role: dict[str, Decimal] = defaultdict(Decimal)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_role[line.role or "Other"] += line.hours
        by_month[f"{line.day:%Y-%m}"] += line.hours
    pending = db.session.scalar(
        scoped(C, org, func.coalesce(func.sum(C.hours), 0))
        .where(C.membership_id == membership.id, C.status == "pending", C.occurred_at >= start, C.occurred_at < end))
    return Statement(title, lines, q2(sum((x.hours for x in lines), Decimal(0))),
                     q2(sum((x.value for x in lines), Decimal(0))), apportion(by_role), apportion(by_month),
                     q2(Decimal(str(pending or 0))))

