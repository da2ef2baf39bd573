"""Right of access: everything held about one person, as ``data.json`` and one CSV per table in a zip.

``person_data(person, org=None)`` gathers the rows of every organisation the
person belongs to (a coordinator's download passes their organisation and
gets that organisation's rows only). The rows of one person are few (a few
thousand at most), so they are read once into lists; the zip is written
into a temporary file on disk, not held in memory.
"""
from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from sqlalchemy import ColumnElement, Select, Table, false, or_, select

from volunteers.contributions.models import Contribution
from volunteers.core import audit
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import (
    AvailabilityWindow,
    Leave,
    Membership,
    Person,
    PersonQualification,
    Qualification,
)
from volunteers.privacy.domain import tables
from volunteers.privacy.domain.rules import PERSON_EXPORT_FIELDS, SECRET_FIELDS
from volunteers.rota.models import Assignment, Role, Shift, ShiftOffer, Site
from volunteers.wellbeing.models import LoadWarning

#: the tables of the download, in the order the files appear (``person`` is one row)
TABLES = ("person", "memberships", "qualifications", "availability", "leave", "assignments", "shift_offers",
          "contributions", "load_warnings", "messages", "audit_entries")
#: outbox columns that go into the download (not the HTML copy or attachments' bytes)
MESSAGE_FIELDS = ("id", "organisation_id", "to_address", "subject", "body_text", "status", "created_at", "sent_at")


def _columns(table: Table, leave_out: Sequence[str] = ()) -> list[Any]:
    return [c for c in table.columns if c.name not in SECRET_FIELDS and c.name not in leave_out]


def _rows(stmt: Select) -> list[dict[str, Any]]:
    return [dict(row) for row in db.session.execute(stmt).mappings()]


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def person_data(person: Person, org: Organisation | None = None) -> dict[str, Any]:
    """Return everything held about ``person`` (in ``org`` only, when given), table by table."""
    members = select(Membership.id).where(Membership.person_id == person.id)
    if org is not None:
        members = members.where(Membership.organisation_id == org.id)
    membership_ids = list(db.session.scalars(members))
    organisation_ids = [org.id] if org is not None else list(db.session.scalars(
        select(Membership.organisation_id).where(Membership.person_id == person.id)))

    def mine(model: Any, column: Any = None) -> ColumnElement[bool]:
        """Rows of ``model`` about these memberships, in these organisations."""
        column = column if column is not None else model.membership_id
        return column.in_(membership_ids) & model.organisation_id.in_(organisation_ids)

    data: dict[str, Any] = {
        "person": {name: getattr(person, name) for name in PERSON_EXPORT_FIELDS}
        | {"has_password": person.password_hash is not None, "has_calendar_feed": person.calendar_token is not None},
    }
    m = _table(Membership)
    data["memberships"] = _rows(
        select(*_columns(m), Organisation.slug.label("organisation_slug"), Organisation.name.label("organisation"))
        .join(Organisation, Organisation.id == m.c.organisation_id)
        .where(m.c.id.in_(membership_ids)).order_by(m.c.id))
    pq = _table(PersonQualification)
    data["qualifications"] = _rows(
        select(*_columns(pq), Qualification.name.label("qualification"))
        .join(Qualification, Qualification.id == pq.c.qualification_id)
        .where(mine(PersonQualification)).order_by(pq.c.id))
    data["availability"] = _rows(select(*_columns(_table(AvailabilityWindow))).where(mine(AvailabilityWindow))
                                 .order_by(AvailabilityWindow.id))
    data["leave"] = _rows(select(*_columns(_table(Leave))).where(mine(Leave)).order_by(Leave.id))
    a = _table(Assignment)
    data["assignments"] = _rows(
        select(*_columns(a), Shift.starts_at.label("shift_starts_at"), Shift.ends_at.label("shift_ends_at"),
               Shift.local_date.label("shift_date"), Role.name.label("role"), Site.name.label("site"))
        .join(Shift, Shift.id == a.c.shift_id).join(Role, Role.id == Shift.role_id).join(Site, Site.id == Shift.site_id)
        .where(mine(Assignment)).order_by(Shift.starts_at, a.c.id))
    their_assignments = select(Assignment.id).where(mine(Assignment))
    data["shift_offers"] = _rows(
        select(*_columns(_table(ShiftOffer)))
        .where(ShiftOffer.organisation_id.in_(organisation_ids),
               or_(ShiftOffer.taken_by_membership_id.in_(membership_ids),
                   ShiftOffer.offered_to_membership_id.in_(membership_ids),
                   ShiftOffer.assignment_id.in_(their_assignments)))
        .order_by(ShiftOffer.id))
    data["contributions"] = _rows(select(*_columns(_table(Contribution))).where(mine(Contribution))
                                  .order_by(Contribution.occurred_at, Contribution.id))
    data["load_warnings"] = _rows(select(*_columns(_table(LoadWarning))).where(mine(LoadWarning))
                                  .order_by(LoadWarning.raised_at, LoadWarning.id))
    outbox = _table(OutboxMessage)
    sent_from: ColumnElement[bool] = OutboxMessage.organisation_id.in_(organisation_ids)
    if org is None:  # their own download also holds the messages sent outside any organisation (password resets)
        sent_from = sent_from | OutboxMessage.organisation_id.is_(None)
    data["messages"] = _rows(select(*[outbox.c[name] for name in MESSAGE_FIELDS])
                             .where(OutboxMessage.to_address == person.email, sent_from).order_by(OutboxMessage.id))
    data["audit_entries"] = _rows(select(*_columns(_table(AuditLogEntry))).where(
        AuditLogEntry.organisation_id.in_(organisation_ids),
        _about(person.id, membership_ids, their_assignments, organisation_ids)).order_by(AuditLogEntry.id))
    return data


def _about(person_id: int, membership_ids: list[int], their_assignments: Select,
           organisation_ids: list[int]) -> ColumnElement[bool]:
    """Audit entries where the person acted, or whose target is them or one of their records."""
    def target(kind: str, ids: Any) -> ColumnElement[bool]:
        return (AuditLogEntry.target_type == kind) & AuditLogEntry.target_id.in_(ids)

    if not membership_ids:
        return AuditLogEntry.actor_person_id == person_id if organisation_ids else false()
    return or_(
        AuditLogEntry.actor_person_id == person_id,
        target("person", [person_id]),
        target("membership", membership_ids),
        target("assignment", their_assignments),
        target("contribution", select(Contribution.id).where(Contribution.membership_id.in_(membership_ids))),
        target("load_warning", select(LoadWarning.id).where(LoadWarning.membership_id.in_(membership_ids))),
    )


#: the header of a table with no rows, so every CSV says what it would hold
EMPTY_HEADERS: dict[str, Sequence[str]] = {
    "memberships": [c.name for c in _columns(_table(Membership))] + ["organisation_slug", "organisation"],
    "qualifications": [c.name for c in _columns(_table(PersonQualification))] + ["qualification"],
    "availability": [c.name for c in _columns(_table(AvailabilityWindow))],
    "leave": [c.name for c in _columns(_table(Leave))],
    "assignments": [c.name for c in _columns(_table(Assignment))]
    + ["shift_starts_at", "shift_ends_at", "shift_date", "role", "site"],
    "shift_offers": [c.name for c in _columns(_table(ShiftOffer))],
    "contributions": [c.name for c in _columns(_table(Contribution))],
    "load_warnings": [c.name for c in _columns(_table(LoadWarning))],
    "messages": list(MESSAGE_FIELDS),
    "audit_entries": [c.name for c in _columns(_table(AuditLogEntry))],
}


def write_zip(data: dict[str, Any], generated_at: datetime, scope: str, target: IO[bytes]) -> None:
    """Write the download into ``target``: ``data.json`` and one CSV per table, UTF-8."""
    document = {"generated_at": generated_at, "scope": scope, **data}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in tables.files(document, TABLES, EMPTY_HEADERS):
            archive.writestr(name, text.encode("utf-8"))


def export_zip(person: Person, org: Organisation | None, *, actor_person_id: int | None, source: str,
               now: datetime) -> IO[bytes]:
    """Build the download for ``person`` (``org``'s data only, when given), audit it, and return the file.

    Audited as ``privacy.export`` in each organisation whose data it holds
    (details: ids and counts only). The caller commits, and closes the
    returned file (positioned at its start).
    """
    data = person_data(person, org)
    scope = org.slug if org is not None else "all organisations"
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    write_zip(data, now, scope, archive)
    archive.seek(0)
    organisations = [org] if org is not None else list(db.session.scalars(
        select(Organisation).join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.person_id == person.id).order_by(Organisation.id)))
    counts = {table: len(data[table]) for table in TABLES if table != "person"}
    for each in organisations:
        audit.record(each, actor_person_id, "privacy.export", "person", person.id, None, now=now, source=source,
                     scope="organisation" if org is not None else "all", **counts)
    return archive
