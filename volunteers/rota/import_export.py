"""Shifts in and out as DESIGN.md's CSV/JSON: ``import shifts`` and ``rota export``.

Import is all-or-nothing. The file is parsed (``domain.shiftcsv``), then
every row is checked against the organisation — roles, sites, e-mails,
times, places — before anything is written, and every problem is reported
at once as ``FILE:LINE: field 'x': …``. A row matching an existing shift
(same local date, times, role and site) updates it instead of adding a
twin, so importing a file twice changes nothing the second time.

Export writes the import columns plus ``hours``, the real length from the
stored UTC instants, so an export imports again unchanged — across the
clock changes and midnight.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, update
from sqlalchemy.orm import selectinload

from volunteers.core.dml import rows_matched
from volunteers.core.errors import ServiceError
from volunteers.core.maintenance import analyze_if_grown
from volunteers.core.models import Organisation
from volunteers.core.signals import place_attended
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import duration_hours, shift_bounds, to_local, zone
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.domain.shiftcsv import CsvImportError, RowError, ShiftRow
from volunteers.rota.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Role,
    Shift,
    Site,
)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    placed: int = 0
    attended: int = 0
    new_roles: int = 0
    new_sites: int = 0


@dataclass(frozen=True)
class _Checked:
    row: ShiftRow
    starts_at: datetime
    ends_at: datetime
    members: tuple[Membership, ...]


#: what an import may find by name, or add when asked to create missing ones
CatalogT = TypeVar("CatalogT", Role, Site)


def _by_name(model: type[CatalogT], org: Organisation) -> dict[str, CatalogT]:
    return {r.name.lower(): r for r in db.session.scalars(scoped(model, org))}


def _members_by_email(org: Organisation, emails: set[str]) -> dict[str, Membership]:
    if not emails:
        return {}
    rows = db.session.execute(
        scoped(Membership, org, Person.email, Membership)
        .join(Person, Person.id == Membership.person_id).where(Person.email.in_(sorted(emails)))
    )
    return {email: membership for email, membership in rows}


def _check(org: Organisation, rows: list[ShiftRow], create_missing: bool,
           now: datetime) -> tuple[list[_Checked], list[RowError]]:
    tz = zone(org.timezone)
    roles, sites = _by_name(Role, org), _by_name(Site, org)
    members = _members_by_email(org, {e for r in rows for e in r.volunteer_emails})
    checked: list[_Checked] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        before = len(errors)
        for name, known, what in ((row.role, roles, "role"), (row.site, sites, "site")):
            if name.lower() not in known and not create_missing:
                errors.append(RowError(row.line, what,
                                       f"unknown {what} {name!r} (add it first, or import with --create-missing)"))
        unknown = [e for e in row.volunteer_emails if e not in members]
        for email in unknown:
            errors.append(RowError(row.line, "volunteers", f"{email} is not a member of {org.name}"))
        if len(row.volunteer_emails) > row.needed:
            errors.append(RowError(row.line, "needed",
                                   f"{len(row.volunteer_emails)} volunteers listed but only {row.needed} needed"))
        try:
            starts_at, ends_at = shift_bounds(row.local_date, row.start, row.end, tz)
        except ValueError as error:
            errors.append(RowError(row.line, "end", str(error)))
            continue
        if row.status == "attended" and ends_at > now:
            errors.append(RowError(row.line, "status", "attended, but the shift has not ended yet"))
        if row.status == "attended" and not row.volunteer_emails:
            errors.append(RowError(row.line, "volunteers", "an attended shift needs the volunteers who attended"))
        key = (row.local_date, row.start, row.end, row.role.lower(), row.site.lower())
        if key in seen:
            errors.append(RowError(row.line, "date", f"the same shift as line {seen[key]}"))
        seen.setdefault(key, row.line)
        if len(errors) == before:
            checked.append(_Checked(row, starts_at, ends_at, tuple(members[e] for e in row.volunteer_emails)))
    return checked, errors


def import_shifts(org: Organisation, rows: list[ShiftRow], filename: str, *, create_missing: bool,
                  now: datetime, actor_person_id: int | None = None) -> ImportResult:
    """Apply parsed rows, or raise :class:`CsvImportError` having written nothing.

    Rows with status ``attended`` announce each place as attended
    (``core.signals.place_attended``); the contributions ledger records it
    (an approved time entry each, once) or refuses, and a refusal undoes the
    whole import.
    """
    checked, errors = _check(org, rows, create_missing, now)
    existing: dict[tuple, Shift] = {}
    on_shift: dict[int, dict[int, Assignment]] = defaultdict(dict)
    if checked:
        for shift in db.session.scalars(scoped(Shift, org).where(
            Shift.local_date >= min(c.row.local_date for c in checked),
            Shift.local_date <= max(c.row.local_date for c in checked), Shift.status == "planned",
        ).options(selectinload(Shift.role), selectinload(Shift.site))):
            existing[(shift.starts_at, shift.ends_at, shift.role.name.lower(), shift.site.name.lower())] = shift
        for a in db.session.scalars(scoped(Assignment, org).where(
            Assignment.shift_id.in_([s.id for s in existing.values()]),
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
        )):
            on_shift[a.shift_id][a.membership_id] = a
    for c in checked:
        shift = existing.get((c.starts_at, c.ends_at, c.row.role.lower(), c.row.site.lower()))
        if shift is not None:
            total = len(set(on_shift[shift.id]) | {m.id for m in c.members})
            if total > c.row.needed:
                message = f"{total} people would be on this existing shift but only {c.row.needed} needed"
                errors.append(RowError(c.row.line, "needed", message))
    if errors:
        raise CsvImportError(filename, errors)
    result = ImportResult()
    roles, sites = _by_name(Role, org), _by_name(Site, org)
    for c in checked:
        role, site = _named(org, roles, Role, c.row.role, result), _named(org, sites, Site, c.row.site, result)
        shift = existing.get((c.starts_at, c.ends_at, c.row.role.lower(), c.row.site.lower()))
        if shift is None:
            shift = Shift(organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=c.starts_at,
                          ends_at=c.ends_at, local_date=c.row.local_date, needed=c.row.needed, filled=0,
                          status="planned")
            db.session.add(shift)
            db.session.flush()
            result.created += 1
        else:
            shift.needed = c.row.needed
            result.updated += 1
        _place(org, shift, c, on_shift[shift.id], result, now, filename, actor_person_id)
    db.session.flush()
    # a bulk load (the web's import too): true planner statistics where it grew a table
    analyze_if_grown(db.session, {Shift: result.created, Assignment: result.placed, "contributions": result.attended})
    return result


def _named(org: Organisation, known: dict[str, CatalogT], model: type[CatalogT], name: str,
           result: ImportResult) -> CatalogT:
    record = known.get(name.lower())
    if record is None:
        record = model(organisation_id=org.id, name=name)
        db.session.add(record)
        db.session.flush()
        known[name.lower()] = record
        if model is Role:
            result.new_roles += 1
        else:
            result.new_sites += 1
    return record


def _place(org: Organisation, shift: Shift, c: _Checked, already: dict[int, Assignment],
           result: ImportResult, now: datetime, filename: str, actor_person_id: int | None) -> None:
    """Put the row's people on the shift (a guarded count update) and record attendance."""
    new = [m for m in c.members if m.id not in already]
    if new:
        taken = db.session.execute(
            update(Shift).where(Shift.organisation_id == org.id, Shift.id == shift.id,
                                Shift.filled + len(new) <= Shift.needed)
            .values(filled=Shift.filled + len(new)).execution_options(synchronize_session=False)
        )
        if rows_matched(taken) != 1:  # someone signed up meanwhile: refuse, the caller rolls back
            raise CsvImportError(filename, [RowError(c.row.line, "needed", "the shift filled up during the import")])
        for m in new:
            already[m.id] = Assignment(organisation_id=org.id, shift_id=shift.id, membership_id=m.id,
                                       status="assigned", source="import", created_at=now, updated_at=now)
            db.session.add(already[m.id])
        result.placed += len(new)
        db.session.flush()
        db.session.expire(shift, ["filled"])
    if c.row.status == "attended":
        for m in c.members:
            if already[m.id].status != "attended":
                try:  # the ledger marks the place attended and writes its approved time entry
                    _announce_attended(org, already[m.id], now, actor_person_id)
                except ServiceError as error:  # the caller rolls back: nothing is half-imported
                    raise CsvImportError(filename, [RowError(c.row.line, "status", str(error))]) from None
                result.attended += 1


def _announce_attended(org: Organisation, assignment: Assignment, now: datetime, actor_person_id: int | None) -> None:
    """Send ``place_attended``; an import whose attendance nobody records must not pass as done."""
    if not place_attended.send(org, assignment=assignment, now=now, actor_person_id=actor_person_id):
        raise RuntimeError("nothing records attendance: volunteers.app.register_reactions was not run")


def export_rows(org: Organisation, first: date, last: date) -> list[tuple[ShiftRow, Decimal]]:
    """Return the planned shifts on local dates ``first``..``last`` as export rows with real hours."""
    tz = zone(org.timezone)
    shifts = list(db.session.scalars(
        scoped(Shift, org).where(Shift.local_date >= first, Shift.local_date <= last, Shift.status == "planned")
        .options(selectinload(Shift.role), selectinload(Shift.site)).order_by(Shift.starts_at, Shift.id)
    ))
    people: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if shifts:
        for shift_id, email, status in db.session.execute(
            scoped(Assignment, org, Assignment.shift_id, Person.email, Assignment.status)
            .join(Membership, (Membership.id == Assignment.membership_id)
                  & (Membership.organisation_id == Assignment.organisation_id))
            .join(Person, Person.id == Membership.person_id)
            .where(Assignment.shift_id.in_([s.id for s in shifts]), Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
            .order_by(func.lower(Person.email))
        ):
            people[shift_id].append((email, status))
    rows = []
    for s in shifts:
        on = people.get(s.id, [])
        attended = bool(on) and all(status == "attended" for _, status in on)
        row = ShiftRow(0, s.local_date, to_local(s.starts_at, tz).time().replace(tzinfo=None),
                       to_local(s.ends_at, tz).time().replace(tzinfo=None), s.role.name, s.site.name, s.needed,
                       tuple(email for email, _ in on), "attended" if attended else "planned")
        rows.append((row, duration_hours(s.starts_at, s.ends_at)))
    return rows
