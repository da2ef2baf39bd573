"""Writing ledger entries: one constructor, reversals, and contributions a coordinator records.

Every entry is written by :func:`new_entry`, so each one says when it was
recorded and — when approved on entry — when and by whom it was decided
(``decided_at`` is what reports freeze on).
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Insert, Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from volunteers.contributions.domain.arithmetic import q2
from volunteers.contributions.models import (
    CONTRIBUTOR_TYPES,
    KINDS,
    STAGES,
    Contribution,
)
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Base, Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import local_date, local_to_utc
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Site

MAX_AMOUNT = Decimal("10000000")


def new_entry(org: Organisation, now: datetime, actor_person_id: int | None, *, status: str,
              **fields: Any) -> Contribution:
    """Add one entry to the session (approved entries are decided ``now`` by the actor)."""
    decided = status != "pending"
    entry = Contribution(
        organisation_id=org.id, status=status, recorded_at=now,
        decided_at=now if decided else None, approved_by_person_id=actor_person_id if decided else None,
        hours=fields.pop("hours", Decimal("0")), amount=fields.pop("amount", Decimal("0")), **fields)
    db.session.add(entry)
    return entry


def insert_or_nothing(model: type[Base], values: dict[str, Any], conflict: list[str]) -> int | None:
    """INSERT a row unless it would break the unique key ``conflict``; return its id, or None.

    ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL) rather than a savepoint:
    it is race-free on both, and on SQLite a savepoint opened before any other
    write in the transaction commits the transaction when it is released
    (pysqlite's legacy transaction handling).
    """
    table = model.__table__
    if not isinstance(table, Table):  # SQLAlchemy types __table__ as any FROM clause
        raise TypeError(f"{model.__name__} is not mapped to a table")
    stmt: Insert
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = postgresql_insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
    else:
        stmt = sqlite_insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
    return db.session.scalar(stmt.returning(table.c.id))


def reversal_of(original: Contribution, now: datetime, actor_person_id: int | None, reason: str) -> dict[str, Any]:
    """Return the column values of the entry that cancels ``original``: same who/what/when, opposite amounts."""
    return dict(
        organisation_id=original.organisation_id, membership_id=original.membership_id,
        contributor_name=original.contributor_name, contributor_type=original.contributor_type,
        kind=original.kind, stage=original.stage, hours=-original.hours, amount=-original.amount,
        occurred_at=original.occurred_at, occurred_on=original.occurred_on, role_id=original.role_id,
        site_id=original.site_id, assignment_id=original.assignment_id, reverses_id=original.id,
        status="approved", approved_by_person_id=actor_person_id, decided_at=now, recorded_at=now,
        note=reason)


def live_attendance_entry(org: Organisation, assignment_id: int) -> Contribution | None:
    """Return the approved entry standing for an attended place, unless it has been reversed."""
    reversal = aliased(Contribution)
    reversed_ids = select(reversal.reverses_id).where(
        reversal.organisation_id == org.id, reversal.assignment_id == assignment_id,
        reversal.reverses_id.is_not(None))
    return db.session.scalar(
        scoped(Contribution, org).where(
            Contribution.assignment_id == assignment_id, Contribution.reverses_id.is_(None),
            Contribution.status == "approved", Contribution.id.not_in(reversed_ids))
        .order_by(Contribution.id.desc()).limit(1))


def _decimal(value: Decimal | str | float | int | None, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()) if value is not None and str(value).strip() else Decimal(0)
    except InvalidOperation:
        raise ServiceError("Enter a number, e.g. 2.5.", field) from None
    if not amount.is_finite():
        raise ServiceError("Enter a number, e.g. 2.5.", field)
    return amount


def validated_hours(value: Decimal | str | float | int | None, field: str = "hours") -> Decimal:
    """Return hours rounded to 0.01, refusing zero, negative and absurd values."""
    hours = q2(_decimal(value, field))
    if hours <= 0:
        raise ServiceError("Enter the hours given, more than zero.", field)
    if hours > 1000:
        raise ServiceError("That is more hours than one entry can hold.", field)
    return hours


def record_contribution(
    org: Organisation, now: datetime, actor_person_id: int | None, *, kind: str, stage: str, day: date,
    contributor_type: str = "volunteer", membership_id: int | None = None, contributor_name: str | None = None,
    hours: Decimal | str | None = None, amount: Decimal | str | None = None, role_id: int | None = None,
    site_id: int | None = None, note: str | None = None,
) -> Contribution:
    """Record an approved contribution a coordinator took in: a gift, money, a group's time.

    Money counts at face value and in-kind gifts at their stated value
    (``amount``); time and expertise in ``hours`` (valued by the rate card
    in reports). The contributor is a member or a named person or group
    without a login ("Tackley WI").

    :raises ServiceError: naming the field for anything missing or out of range.
    """
    if kind not in KINDS:
        raise ServiceError(f"Kind must be one of {', '.join(KINDS)}.", "kind")
    if stage not in STAGES:
        raise ServiceError(f"Stage must be one of {', '.join(STAGES)}.", "stage")
    if contributor_type not in CONTRIBUTOR_TYPES:
        raise ServiceError(f"Contributor type must be one of {', '.join(CONTRIBUTOR_TYPES)}.", "contributor_type")
    name = (contributor_name or "").strip()[:200] or None
    if membership_id is not None:
        member = get_scoped(Membership, org, membership_id)
        if member is None:
            raise ServiceError("Choose one of the organisation's members.", "membership_id")
        name = None
    elif name is None:
        raise ServiceError("Choose a member or give the name of the person or group.", "contributor_name")
    if day > local_date(now, org.timezone):
        raise ServiceError("That day has not happened yet.", "day")
    if kind in ("time", "expertise"):
        hours_given, value = validated_hours(hours, "hours"), Decimal(0)
    else:
        hours_given, value = Decimal(0), q2(_decimal(amount, "amount"))
        if value <= 0 or value > MAX_AMOUNT:
            raise ServiceError("Enter the value given, more than zero.", "amount")
    if role_id is not None and get_scoped(Role, org, role_id) is None:
        raise ServiceError("Choose one of the organisation's roles.", "role_id")
    if site_id is not None and get_scoped(Site, org, site_id) is None:
        raise ServiceError("Choose one of the organisation's sites.", "site_id")
    note = (note or "").strip()[:500] or None
    entry = new_entry(
        org, now, actor_person_id, status="approved", membership_id=membership_id, contributor_name=name,
        contributor_type=contributor_type, kind=kind, stage=stage, hours=hours_given, amount=value,
        occurred_at=local_to_utc(day, time(12), org.timezone), occurred_on=day, role_id=role_id,
        site_id=site_id, note=note)
    db.session.flush()
    audit.record(org, actor_person_id, "contributions.record", "contribution", entry.id, now=now,
                 membership_id=membership_id, contributor_type=contributor_type, kind=kind, stage=stage,
                 hours=hours_given, amount=value, occurred_on=day)
    return entry
