"""Reads for the audit trail page: an organisation's entries, filtered, newest first, with their actors' names.

Each page costs the same few queries however many entries it shows: the
actor's name comes in the same query as the entry (an outer join), never
one query a row.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select

from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.core.timeutil import day_bounds, to_local
from volunteers.extensions import db
from volunteers.people.models import Person

#: entries on one page
PER_PAGE = 50
#: the most entries one CSV download holds (the filters narrow a bigger trail)
MAX_DOWNLOAD = 50_000


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the trail to; empty fields do not filter."""

    action: str = ""  #: an action or its start, e.g. ``rota.`` or ``people.update``
    actor_id: int | None = None  #: a person's id
    target_type: str = ""
    target_id: int | None = None
    first: date | None = None  #: local dates (the organisation's time zone), inclusive
    last: date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query arguments (for the next page and the download links)."""
        args = {"action": self.action, "actor": self.actor_id, "target_type": self.target_type,
                "target_id": self.target_id, "from": self.first, "to": self.last}
        return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in args.items() if v not in ("", None)}


@dataclass(frozen=True)
class Row:
    entry: AuditLogEntry
    actor_name: str | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    has_next: bool


def _filtered(org: Organisation, filters: AuditFilter) -> Select[AuditLogEntry, str]:
    entry = AuditLogEntry
    stmt = (select(entry, Person.name)
            .outerjoin(Person, Person.id == entry.actor_person_id)
            .where(entry.organisation_id == org.id))
    if filters.action:
        stmt = stmt.where(entry.action.startswith(filters.action, autoescape=True))
    if filters.actor_id is not None:
        stmt = stmt.where(entry.actor_person_id == filters.actor_id)
    if filters.target_type:
        stmt = stmt.where(entry.target_type == filters.target_type)
    if filters.target_id is not None:
        stmt = stmt.where(entry.target_id == filters.target_id)
    if filters.first is not None:
        stmt = stmt.where(entry.created_at >= day_bounds(filters.first, org.timezone)[0])
    if filters.last is not None:
        stmt = stmt.where(entry.created_at < day_bounds(filters.last, org.timezone)[1])
    return stmt.order_by(entry.created_at.desc(), entry.id.desc())


def entries_page(org: Organisation, filters: AuditFilter, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """Return page ``number`` (from 1) of the organisation's entries matching ``filters``, newest first."""
    found = db.session.execute(_filtered(org, filters).offset((number - 1) * per_page).limit(per_page + 1)).all()
    rows = [Row(entry, name) for entry, name in found[:per_page]]
    return Page(rows, number, len(found) > per_page)


def all_entries(org: Organisation, filters: AuditFilter, limit: int = MAX_DOWNLOAD) -> Iterator[Row]:
    """Yield the entries matching ``filters`` (at most ``limit``), newest first, for the download."""
    for entry, name in db.session.execute(_filtered(org, filters).limit(limit)).yield_per(1000):
        yield Row(entry, name)


def actors(org: Organisation) -> list[tuple[int, str]]:
    """Return (person id, name) of everyone who appears as an actor in the organisation's trail, by name."""
    return [(pid, name) for pid, name in db.session.execute(
        select(Person.id, Person.name)
        .where(Person.id.in_(select(AuditLogEntry.actor_person_id)
                             .where(AuditLogEntry.organisation_id == org.id,
                                    AuditLogEntry.actor_person_id.is_not(None))))
        .order_by(func.lower(Person.name), Person.id))]


def target_types(org: Organisation) -> list[str]:
    """Return the kinds of record the organisation's trail names."""
    return list(db.session.scalars(
        select(AuditLogEntry.target_type).where(AuditLogEntry.organisation_id == org.id)
        .distinct().order_by(AuditLogEntry.target_type)))


def local_time(at: datetime, tz: str) -> str:
    """``2026-11-30 12:00`` in the organisation's time zone."""
    return f"{to_local(at, tz):%Y-%m-%d %H:%M}"
