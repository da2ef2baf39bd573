"""Peer-support use cases: the plan, importing cases and contacts, what is due, contact time in the ledger.

Services add and flush, never commit (the CLI or view commits once, or rolls
back). Every import checks the whole file against the organisation first and
raises one :class:`CsvImportError` naming each bad line and field, so nothing
is half-written.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, literal, or_, select, union_all

from volunteers.contributions.domain.arithmetic import q2
from volunteers.contributions.ledger import new_entry, reversal_of
from volunteers.contributions.models import Contribution
from volunteers.core import audit
from volunteers.core.csv_errors import CsvImportError, RowError
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.params import shown
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import local_date, local_to_utc
from volunteers.extensions import db
from volunteers.peersupport.domain.csvfiles import CASE_COLUMNS, CONTACT_COLUMNS, CaseRow, ContactRow
from volunteers.peersupport.domain.due import Case, DueItem, cases_due
from volunteers.peersupport.domain.figures import REPORTED_STEPS, MonthContact, minutes_to_hours, peer_support_figures
from volunteers.peersupport.domain.plan import MODES, Plan, Step, plan_from_data
from volunteers.peersupport.models import MAX_MINUTES, Contact, SupportedPerson
from volunteers.people.models import Membership, Person

#: how the ledger names the mothers' own time at groups (never one person: health data stays out of reports)
GROUP_ATTENDANCE_NAME = "Peer-support group members"
#: where the organisation's own plan is kept (DESIGN's default when absent)
PLAN_SETTING = "contact_plan"
#: set once the organisation has registered anyone: the menus then show "Cases" and "My mothers"
PEER_SUPPORT_SETTING = "peer_support"


def mark_peer_support(org: Organisation) -> None:
    """Remember that the organisation supports people (a plain setting: the menu reads it with no query)."""
    if not org.setting(PEER_SUPPORT_SETTING):
        org.settings = {**(org.settings or {}), PEER_SUPPORT_SETTING: True}


def contact_plan(org: Organisation) -> Plan:
    """Return the organisation's contact plan, or DESIGN's default when it has none.

    :raises ServiceError: if the stored plan is malformed (it is checked when saved, so only by hand).
    """
    try:
        return plan_from_data(org.setting(PLAN_SETTING))
    except ValueError as error:
        raise ServiceError(f"The organisation's contact plan is not valid: {error}", PLAN_SETTING) from None


def members_by_email(org: Organisation, emails: Iterable[str]) -> dict[str, Membership]:
    """Return the organisation's memberships keyed by their person's e-mail (lower case)."""
    wanted = sorted({e.lower() for e in emails})
    found: dict[str, Membership] = {}
    for start in range(0, len(wanted), 500):
        rows = db.session.execute(
            scoped(Membership, org, Person.email, Membership)
            .join(Person, Person.id == Membership.person_id).where(Person.email.in_(wanted[start:start + 500])))
        found.update({email: membership for email, membership in rows})
    return found


def _unknown_supporters(rows: Iterable[CaseRow | ContactRow], members: dict[str, Membership]) -> list[RowError]:
    return [RowError(r.line, "supporter", f"no member of the organisation has the e-mail {shown(r.supporter)}")
            for r in rows if r.supporter is not None and r.supporter not in members]


@dataclass(frozen=True)
class CasesImported:
    added: int
    updated: int
    closed: int


def import_cases(org: Organisation, rows: list[CaseRow], filename: str, *, now: datetime) -> CasesImported:
    """Add or update (by ``reference``) every case of the file, or nothing.

    A row with ``closed_on`` closes the case (reason ``closed_reason``, else
    ``other``); one without re-opens it. Consent is not in the file and is
    left as it was.

    :raises CsvImportError: for a supporter who is not a member (naming line and field).
    """
    members = members_by_email(org, {r.supporter for r in rows if r.supporter})
    errors = _unknown_supporters(rows, members)
    if errors:
        raise CsvImportError(filename, errors, CASE_COLUMNS)
    existing = {c.reference: c for c in db.session.scalars(scoped(SupportedPerson, org))}
    added = updated = closed = 0
    for row in rows:
        case = existing.get(row.reference)
        if case is None:
            case = SupportedPerson(organisation_id=org.id, reference=row.reference, created_at=now)
            db.session.add(case)
            added += 1
        else:
            updated += 1
        case.first_name, case.born_on = row.first_name, row.born_on
        case.area, case.phone, case.language = row.area or None, row.phone or None, row.language or None
        case.supporter_membership_id = members[row.supporter].id if row.supporter else None
        case.status = "closed" if row.closed_on else "open"
        case.closed_on, case.closed_reason = row.closed_on, row.closed_reason
        closed += row.closed_on is not None
    if rows:
        mark_peer_support(org)
    db.session.flush()
    return CasesImported(added, updated, closed)


def ledger_entries(org: Organisation, contact: Contact, now: datetime) -> tuple[Contribution, Contribution | None]:
    """Add the contact's approved time entry (and a group's service-user attendance) to the ledger.

    Not flushed: the caller flushes once (a file of contacts is one flush) and then :func:`link_entries` them.
    """
    occurred_at = local_to_utc(contact.contact_on, time(12), org.timezone)
    hours = q2(Decimal(contact.minutes) / 60)
    entry = new_entry(
        org, now, None, status="approved", membership_id=contact.membership_id, contributor_type="volunteer",
        kind="time", stage="delivery", hours=hours, occurred_at=occurred_at, occurred_on=contact.contact_on,
        note=f"Peer-support contact ({contact.mode})")
    attendance = None
    if contact.mode == "group":
        # the mother's own time at the group: a service-user contribution. The ledger and the reports (their
        # thank-you list goes to funders) name no supported person: every attendance is one named group.
        attendance = new_entry(
            org, now, None, status="approved", membership_id=None, contributor_type="service_user",
            contributor_name=GROUP_ATTENDANCE_NAME, kind="time", stage="delivery", hours=hours,
            occurred_at=occurred_at, occurred_on=contact.contact_on, note="Peer-support group attendance")
    return entry, attendance


def link_entries(written: list[tuple[Contact, tuple[Contribution, Contribution | None]]]) -> None:
    """Point each contact at the ledger entries it wrote (after they were flushed and have ids)."""
    db.session.flush()
    for contact, (entry, attendance) in written:
        contact.contribution_id = entry.id
        contact.attendance_contribution_id = attendance.id if attendance is not None else None
    db.session.flush()


@dataclass(frozen=True)
class ContactsImported:
    added: int
    skipped: int
    hours: Decimal


def import_contacts(org: Organisation, rows: list[ContactRow], filename: str, *, now: datetime) -> ContactsImported:
    """Record every contact of the file, with its time in the ledger, or nothing.

    A contact already recorded (same case, date, supporter, mode and minutes)
    is skipped, so importing a file twice counts its time once.

    :raises CsvImportError: for an unknown reference or supporter, or a contact dated after today (local).
    """
    members = members_by_email(org, {r.supporter for r in rows})
    errors = _unknown_supporters(rows, members)
    cases = {c.reference: c for c in db.session.scalars(scoped(SupportedPerson, org))}
    today = local_date(now, org.timezone)
    for row in rows:
        if row.reference not in cases:
            errors.append(RowError(row.line, "reference", f"no supported person has the reference "
                                                          f"{shown(row.reference)}"))
        if row.on > today:
            errors.append(RowError(row.line, "date", f"a contact cannot be in the future (today is {today})"))
    if errors:
        raise CsvImportError(filename, errors, CONTACT_COLUMNS)
    recorded = {(c.supported_person_id, c.contact_on, c.membership_id, c.mode, c.minutes)
                for c in db.session.scalars(scoped(Contact, org).where(
                    Contact.supported_person_id.in_([cases[r.reference].id for r in rows])))} if rows else set()
    added = skipped = 0
    hours = Decimal(0)
    written: list[tuple[Contact, tuple[Contribution, Contribution | None]]] = []
    for row in rows:
        case, member = cases[row.reference], members[row.supporter]
        key = (case.id, row.on, member.id, row.mode, row.minutes)
        if key in recorded:
            skipped += 1
            continue
        recorded.add(key)
        contact = Contact(organisation_id=org.id, supported_person_id=case.id, contact_on=row.on, mode=row.mode,
                          minutes=row.minutes, membership_id=member.id, outcome=row.outcome or None, created_at=now)
        db.session.add(contact)
        written.append((contact, ledger_entries(org, contact, now)))
        added += 1
        hours += q2(Decimal(row.minutes) / 60)
    link_entries(written)
    return ContactsImported(added, skipped, hours)


def correct_contact(org: Organisation, contact_id: int, *, now: datetime, actor_person_id: int | None,
                    minutes: int | None = None, mode: str | None = None, on: date | None = None,
                    reason: str = "contact corrected") -> Contact:
    """Correct a contact's date, mode or minutes; the ledger gets reversing entries and new ones (append-only).

    :raises ServiceError: for another organisation's contact (as if absent) or a value out of range.
    """
    contact = get_scoped(Contact, org, contact_id)
    if contact is None:
        raise ServiceError("No such contact.", "contact")
    if minutes is not None and not 0 < minutes <= MAX_MINUTES:
        raise ServiceError("A contact lasts more than 0 minutes and at most 12 hours.", "minutes")
    if mode is not None and mode not in MODES:
        raise ServiceError(f"Mode must be one of {', '.join(MODES)}.", "mode")
    if on is not None and on > local_date(now, org.timezone):
        raise ServiceError("A contact cannot be in the future.", "date")
    before = {"minutes": contact.minutes, "mode": contact.mode, "date": contact.contact_on}
    for entry_id in (contact.contribution_id, contact.attendance_contribution_id):
        original = get_scoped(Contribution, org, entry_id) if entry_id is not None else None
        if original is not None:
            db.session.add(Contribution(**reversal_of(original, now, actor_person_id, reason)))
    contact.minutes = minutes if minutes is not None else contact.minutes
    contact.mode = mode if mode is not None else contact.mode
    contact.contact_on = on if on is not None else contact.contact_on
    link_entries([(contact, ledger_entries(org, contact, now))])
    audit.record(org, actor_person_id, "peersupport.correct_contact", "contact", contact.id, reason, now=now,
                 before=before, after={"minutes": contact.minutes, "mode": contact.mode, "date": contact.contact_on})
    return contact


def _plus_days(day: Any, days: int) -> Any:
    """``day + days`` as SQL (SQLite has no date arithmetic of its own: ``date(day, '+n days')``)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(day, f"{days:+d} days")
    return day + days


def _contacts_doing(step: Step, *where: Any) -> Any:
    """A case's contacts that can do ``step`` (its modes, from its ``done_from`` day) and meet ``where``, as a
    SELECT correlated with ``SupportedPerson`` (for EXISTS: answered from the index on a case's contacts)."""
    return select(Contact.id).where(
        Contact.organisation_id == SupportedPerson.organisation_id, Contact.supported_person_id == SupportedPerson.id,
        Contact.mode.in_(sorted(step.modes)), Contact.contact_on >= _plus_days(SupportedPerson.born_on, step.done_from),
        *where)


def _narrowed(area: str | None, supporter: int | None, unassigned: bool) -> list[Any]:
    """The page filters as conditions on ``SupportedPerson`` (none: every case)."""
    where: list[Any] = []
    if area:
        where.append(SupportedPerson.area == area)
    if unassigned:
        where.append(SupportedPerson.supporter_membership_id.is_(None))
    elif supporter is not None:
        where.append(SupportedPerson.supporter_membership_id == supporter)
    return where


def due_on(org: Organisation, on: date, *, area: str | None = None, supporter: int | None = None,
           unassigned: bool = False) -> list[DueItem]:
    """Return DESIGN's ``cases due --on`` list for the organisation (open cases, contacts up to ``on``).

    One statement of plain columns, never ORM objects: per step of the plan,
    the cases open on ``on`` whose window has opened and that no contact
    dated by ``on`` can have done (NOT EXISTS, which the database answers from
    the index on a case's contacts, like hand-written SQL). What each found
    step is on the day (due or overdue, by how much) stays in ``domain``.
    ``area``, ``supporter`` (a membership id) and ``unassigned`` narrow it to
    some cases (the coordinators' page filters); without them it is DESIGN's
    list.
    """
    plan = contact_plan(org)
    if not plan.steps:
        return []
    # per step, the open cases whose window has opened by ``on`` and that no contact by then can have done (NOT
    # EXISTS: the database answers it as an anti-join, like hand-written SQL), all steps in one statement
    parts = []
    for index, step in enumerate(plan.steps):
        doing = _contacts_doing(step, Contact.contact_on <= on)
        parts.append(select(SupportedPerson.reference, SupportedPerson.born_on, Person.email,
                            literal(index).label("step")).select_from(SupportedPerson).outerjoin(
            Membership, (Membership.id == SupportedPerson.supporter_membership_id)
            & (Membership.organisation_id == SupportedPerson.organisation_id)).outerjoin(
            Person, Person.id == Membership.person_id).where(
            SupportedPerson.organisation_id == org.id,
            or_(SupportedPerson.closed_on.is_(None), SupportedPerson.closed_on > on),
            SupportedPerson.born_on <= date.fromordinal(on.toordinal() - step.opens),
            *_narrowed(area, supporter, unassigned), ~exists(doing)))
    rows = db.session.execute(union_all(*parts)).all()
    # the domain decides what each found step is on ``on`` (due or overdue, by how many days), step by step
    items: list[DueItem] = []
    for index, step in enumerate(plan.steps):
        cases = [Case(reference, born_on, email) for reference, born_on, email, found in rows if found == index]
        items += cases_due(cases, {}, Plan((step,)), on)
    items.sort(key=lambda item: (item.due_by, item.reference, item.opens, item.step))
    return items


def month_figures(org: Organisation, first_day: date, last_day: date, as_of: datetime) -> dict[str, Any] | None:
    """Return the report's ``peer_support`` block for the local days ``first_day``..``last_day``, or None
    when the organisation supports nobody.

    Counts the cases and contacts recorded by ``as_of`` (a report recomputed
    with the same ``as_of`` gives the same block; an issued report keeps its
    own frozen copy). Only the cases whose plan date is in the month or whose
    reported steps close in it are read, each with whether a contact did each
    such step by its close (asked of the database, decided by ``domain``);
    the month's contacts by mode are summed by the database.
    """
    recorded = scoped(SupportedPerson, org, SupportedPerson.id).where(SupportedPerson.created_at <= as_of).limit(1)
    if db.session.scalar(recorded) is None:
        return None
    plan = contact_plan(org)
    steps = [step for name in REPORTED_STEPS.values() if (step := plan.step(name)) is not None]

    def closing_in_month(step: Step) -> Any:
        return SupportedPerson.born_on.between(date.fromordinal(first_day.toordinal() - step.due_by),
                                               date.fromordinal(last_day.toordinal() - step.due_by))

    # the cases registered in the month or with a reported step closing in it, each with, per step, whether a
    # contact recorded by as_of did it by the day it closes (EXISTS, as hand-written SQL would ask)
    done_by_close = [exists(_contacts_doing(step, closing_in_month(step), Contact.created_at <= as_of,
                                            Contact.contact_on <= _plus_days(SupportedPerson.born_on, step.due_by)))
                     .label(f"done_{index}") for index, step in enumerate(steps)]
    rows = db.session.execute(select(
        SupportedPerson.reference, SupportedPerson.born_on, SupportedPerson.closed_on, *done_by_close).where(
        SupportedPerson.organisation_id == org.id, SupportedPerson.created_at <= as_of,
        or_(SupportedPerson.born_on.between(first_day, last_day), *(closing_in_month(step) for step in steps)))).all()
    cases = [Case(reference, born_on, None, closed_on) for reference, born_on, closed_on, *_ in rows]
    block = peer_support_figures(cases, [], Plan(()), first_day, last_day)  # registered; steps below
    # the domain decides each step's figures, one step at a time: a case the database found done gets a contact
    # on the day the step closes, of a mode the step accepts (so no step is judged on another step's contact)
    for index, step in enumerate(steps):
        done = [MonthContact(reference, step.due_on(born_on), min(step.modes), 0)
                for reference, born_on, _, *flags in rows if flags[index]]
        figures = peer_support_figures(cases, done, Plan((step,)), first_day, last_day)
        for key, name in REPORTED_STEPS.items():
            if name == step.name:
                block[f"{key}_due"], block[f"{key}_done"] = figures[f"{key}_due"], figures[f"{key}_done"]
    # the month's own contacts: by mode, summed in the database
    by_mode = db.session.execute(
        scoped(Contact, org, Contact.mode, func.count(), func.coalesce(func.sum(Contact.minutes), 0))
        .where(Contact.created_at <= as_of, Contact.contact_on.between(first_day, last_day))
        .group_by(Contact.mode)).all()
    # the counts by mode are every contact of the month
    counts = dict.fromkeys(block["contacts"], 0)
    minutes = dict.fromkeys(block["contacts"], 0)
    for mode, count, total in by_mode:
        counts[mode], minutes[mode] = int(count), int(total)
    block["contacts"] = counts
    block["contact_hours"] = {mode: minutes_to_hours(m) for mode, m in minutes.items()}
    return block


def set_contact_plan(org: Organisation, data: list[dict[str, Any]] | None, *, now: datetime,
                     actor_person_id: int | None) -> Plan:
    """Replace the organisation's contact plan (None or empty: back to DESIGN's default); new steps apply to
    every open case, since what is due is worked out from the plan each time.

    :raises ServiceError: naming the step and field of anything malformed (nothing is saved).
    """
    try:
        plan = plan_from_data(data)
    except ValueError as error:
        raise ServiceError(str(error), PLAN_SETTING) from None
    settings = dict(org.settings or {})
    before = settings.get(PLAN_SETTING)
    if data:
        settings[PLAN_SETTING] = plan.as_data()
    else:
        settings.pop(PLAN_SETTING, None)
    org.settings = settings  # a new dict, so the JSON column is seen to change
    audit.record(org, actor_person_id, "peersupport.set_contact_plan", "organisation", org.id, now=now,
                 before=before, after=settings.get(PLAN_SETTING))
    return plan
