"""The organisation's rate card: value per hour by role or by kind, from a date on; the stand-by share.

The rates an organisation sets win over the documented UK defaults in
:mod:`volunteers.contributions.domain.valuation` (National Living Wage for general
time, median hourly pay for expertise). Rates are reference data, not
ledger: a wrong rate may be removed, and issued reports keep the values they
were issued with. Hours in an on-call role are stand-by: worth
``standby_rate_percent`` (default 25) of the role's rate, as the load rules
weigh an on-call hour at a quarter.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, select

from volunteers.contributions.domain.arithmetic import q2
from volunteers.contributions.domain.valuation import (
    HOURLY_KINDS,
    STATED_VALUE_KINDS,
    Rate,
    RateCard,
)
from volunteers.contributions.models import RateCardEntry
from volunteers.core.dml import rows_matched
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.extensions import db
from volunteers.rota.models import Role

MAX_RATE = Decimal("999999.99")
#: organisation setting: the percentage of a role's rate an hour on call (stand-by) is worth
STANDBY_SETTING = "standby_rate_percent"
#: a quarter, as the load rules weigh an on-call hour
DEFAULT_STANDBY = Decimal(25)


@lru_cache(maxsize=1)
def _card_rows() -> Select[Any]:
    """The rate card's query, built once (building it costs more than running it); org as ``org_id``."""
    t, roles = RateCardEntry.__table__, Role.__table__
    return (select(t.c.kind, t.c.role_id, t.c.value_per_hour, t.c.effective_from, t.c.note, roles.c.name)
            .select_from(t.outerjoin(roles, (roles.c.organisation_id == t.c.organisation_id)
                                     & (roles.c.id == t.c.role_id)))
            .where(t.c.organisation_id == bindparam("org_id")))


def rate_card(org: Organisation) -> RateCard:
    """Return the organisation's rate card (one Core query), role rates keyed by role name."""
    rows = db.session.connection().execute(_card_rows(), {"org_id": org.id}).all()
    rates = tuple(
        Rate(Decimal(value), effective_from, role=role_name if role_id is not None else None,
             kind=kind if role_id is None else None, note=note or "")
        for kind, role_id, value, effective_from, note, role_name in rows)
    on_call = frozenset(db.session.scalars(scoped(Role, org, Role.name).where(Role.on_call)))
    return RateCard(rates, standby_roles=on_call, standby_share=standby_percent(org) / 100)


def standby_percent(org: Organisation) -> Decimal:
    """Return the percentage of a role's rate an on-call (stand-by) hour is worth; unusable settings: 25."""
    value = org.setting(STANDBY_SETTING)
    try:
        percent = Decimal(str(value)) if value is not None and not isinstance(value, bool) else DEFAULT_STANDBY
    except ArithmeticError:
        return DEFAULT_STANDBY
    return percent if percent.is_finite() and 0 <= percent <= 100 else DEFAULT_STANDBY


def set_standby_percent(org: Organisation, value: Decimal | str | None) -> tuple[Decimal, Decimal] | None:
    """Set the stand-by percentage; return (before, after), or None when it is unchanged.

    The caller audits the change (the settings page records it with the rest of its section).

    :raises ServiceError: (field ``standby_percent``) for anything but a number from 0 to 100.
    """
    try:
        percent = q2(Decimal(str(value).strip()))
    except ArithmeticError:
        raise ServiceError("Enter a percentage from 0 to 100, e.g. 25.", "standby_percent") from None
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise ServiceError("Enter a percentage from 0 to 100, e.g. 25.", "standby_percent")
    before = standby_percent(org)
    if percent == before and org.setting(STANDBY_SETTING) is not None:
        return None
    org.settings = {**(org.settings or {}), STANDBY_SETTING: f"{percent.normalize():f}"}  # a new dict: JSON seen
    return before, percent


def hourly_rate(card: RateCard, kind: str, role: str | None, on: date) -> Decimal:
    """Return the rate per hour for ``kind`` work in ``role`` on ``on``.

    Before the first rate of every tier (work from before April 2023, when
    the defaults begin) the earliest rate that applies is used rather than
    failing the whole report.
    """
    try:
        return card.per_hour(kind, role, on)
    except ValueError:
        candidates = [r.effective_from for r in (*card.rates, *card.defaults)
                      if r.kind == kind or (role is not None and r.role == role)]
        if not candidates:
            return Decimal(0)
        return card.per_hour(kind, role, min(candidates))


def value_of(card: RateCard, kind: str, role: str | None, on: date, hours: Decimal, amount: Decimal) -> Decimal:
    """Return the money value of hours or an amount: hours × rate, or the stated amount."""
    if kind in STATED_VALUE_KINDS:
        return Decimal(amount)
    return Decimal(hours) * hourly_rate(card, kind, role, on)


def breakpoints(card: RateCard, first: date, last: date) -> list[date]:
    """Return the dates in (first, last] on which some rate changes, sorted."""
    return sorted({r.effective_from for r in (*card.rates, *card.defaults) if first < r.effective_from <= last})


def add_rate(org: Organisation, *, value_per_hour: Decimal | str, effective_from: date,
             kind: str | None = None, role_id: int | None = None, note: str | None = None) -> RateCardEntry:
    """Add a rate for one role or one kind from a date on.

    :raises ServiceError: naming the field, for a bad value, both or neither
        of role and kind, a kind without hourly rates, or a duplicate.
    """
    try:
        value = q2(Decimal(str(value_per_hour).strip()))
    except Exception:  # noqa: BLE001 - any unparsable text
        raise ServiceError("Enter an amount per hour, e.g. 12.71.", "value_per_hour") from None
    if not value.is_finite() or value < 0 or value > MAX_RATE:
        raise ServiceError("Enter an amount per hour of zero or more.", "value_per_hour")
    if (kind is None) == (role_id is None):
        raise ServiceError("Choose a role or a kind of contribution (one of them).", "target")
    if kind is not None and kind not in HOURLY_KINDS:
        raise ServiceError("Rates are per hour: for time or expertise.", "target")
    if role_id is not None and get_scoped(Role, org, role_id) is None:
        raise ServiceError("Choose one of the organisation's roles.", "target")
    duplicate = db.session.scalar(
        scoped(RateCardEntry, org, RateCardEntry.id).where(
            RateCardEntry.effective_from == effective_from,
            RateCardEntry.kind.is_(None) if kind is None else RateCardEntry.kind == kind,
            RateCardEntry.role_id.is_(None) if role_id is None else RateCardEntry.role_id == role_id))
    if duplicate is not None:
        raise ServiceError("There is already a rate for that from that date; remove it first.", "effective_from")
    entry = RateCardEntry(organisation_id=org.id, kind=kind, role_id=role_id, value_per_hour=value,
                          effective_from=effective_from, note=(note or "").strip()[:200] or None)
    db.session.add(entry)
    db.session.flush()
    return entry


def remove_rate(org: Organisation, rate_id: int) -> bool:
    """Remove one of the organisation's rates; return False if there was none."""
    result = db.session.execute(
        delete(RateCardEntry).where(RateCardEntry.organisation_id == org.id, RateCardEntry.id == rate_id))
    return rows_matched(result) == 1


def rate_rows(org: Organisation) -> list[tuple[RateCardEntry, str | None]]:
    """Return the organisation's rates with their role names, newest first."""
    return list(db.session.execute(
        select(RateCardEntry, Role.name)
        .outerjoin(Role, (Role.organisation_id == RateCardEntry.organisation_id) & (Role.id == RateCardEntry.role_id))
        .where(RateCardEntry.organisation_id == org.id)
        .order_by(RateCardEntry.effective_from.desc(), RateCardEntry.id.desc())
    ))
