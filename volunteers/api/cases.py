"""Peer support through the API: supported people, one case with its plan and contacts, logging a contact,
and the coordinators' due list (``peersupport``'s services and queries, as the pages call them).

Who may see a record is the pages' rule (``peersupport.domain.access.may_see``): the organisation's
coordinators see every case, a supporter only the mothers she supports; anyone else gets the 404 a
missing record gets. Every read of records (a list, a case, the due list) is put in the audit trail by
ids only, as the pages do; logging a contact is audited by the service.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from volunteers.api.auth import (
    coordinator_call,
    current_membership,
    current_organisation,
    refuse_until_enrolled,
)
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.paging import page
from volunteers.api.schemas.cases import (
    CaseArgs,
    CaseDetailSchema,
    CasePageSchema,
    ContactArgs,
    ContactSchema,
    DueArgs,
    DuePageSchema,
)
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db
from volunteers.peersupport import casework, queries, services
from volunteers.peersupport.domain.access import may_use_records
from volunteers.peersupport.domain.due import DueItem
from volunteers.peersupport.models import Contact, SupportedPerson


def case_json(case: SupportedPerson) -> dict[str, Any]:
    return {"id": case.id, "reference": case.reference, "first_name": case.first_name, "born_on": case.born_on,
            "area": case.area, "phone": case.phone, "language": case.language,
            "supporter_membership_id": case.supporter_membership_id, "status": case.status,
            "closed_on": case.closed_on, "closed_reason": case.closed_reason}


def contact_json(contact: Contact, by: str) -> dict[str, Any]:
    return {"id": contact.id, "date": contact.contact_on, "mode": contact.mode, "minutes": contact.minutes,
            "membership_id": contact.membership_id, "by": by, "outcome": contact.outcome}


def _viewer_case(case_id: int, what: str) -> SupportedPerson:
    """The case, if the token's member may see it (the read then in the trail); else 404."""
    viewer = current_membership()
    if viewer.is_coordinator:
        refuse_until_enrolled(viewer)  # before the read is recorded, as on the pages
    case = get_scoped(SupportedPerson, current_organisation(), case_id)
    if case is None:
        raise ApiProblem(404, "not-found", "No such record.")
    try:
        casework.record_view(current_organisation(), viewer, case, utcnow(), what)
    except LookupError:
        raise ApiProblem(404, "not-found", "No such record.") from None
    return case


@bp.arguments(CaseArgs, location="query", as_kwargs=True)
@bp.response(200, CasePageSchema)
def list_cases(status: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """Supported people, oldest record first: a coordinator's are the organisation's, a supporter's her own.
    `open` (default), `closed` or `all`."""
    org, viewer = current_organisation(), current_membership()
    if not may_use_records(membership_status=viewer.status):  # a paused membership lists nothing, as the pages
        raise ApiProblem(403, "forbidden", "A paused membership opens no supported person's record.")
    if viewer.is_coordinator:
        refuse_until_enrolled(viewer)
    stmt = scoped(SupportedPerson, org).order_by(SupportedPerson.id)
    if not viewer.is_coordinator:
        stmt = stmt.where(SupportedPerson.supporter_membership_id == viewer.id)
    if status != "all":
        stmt = stmt.where(SupportedPerson.status == status)
    result = page(list(db.session.scalars(stmt)), lambda c: ("", c.id), limit, cursor)
    # the list shows the records (names, phones): a read, in the trail like the pages', by ids only
    audit.record(org, viewer.person_id, "peersupport.view_my_cases", "membership", viewer.id, now=utcnow(),
                 cases=[c.id for c in result["items"]], source="api")
    result["items"] = [case_json(c) for c in result["items"]]
    return result


@bp.response(200, CaseDetailSchema)
def read_case(case_id: int) -> dict[str, Any]:
    """One case: her record, the contact plan's steps for her and the contacts, newest first."""
    org = current_organisation()
    case = _viewer_case(case_id, "api")
    details = queries.case_page(org, case, local_date(utcnow(), org.timezone))
    return {**case_json(case),
            "steps": [{"step": s.step, "opens": s.opens, "due_by": s.due_by, "state": s.state,
                       "done_on": s.done_on, "days_overdue": s.days_overdue} for s in details.steps],
            "contacts": [contact_json(contact, name) for contact, name in details.contacts]}


@bp.arguments(ContactArgs, as_kwargs=True)
@bp.response(201, ContactSchema)
def log_contact(case_id: int, day: date | None, mode: str, minutes: int, outcome: str | None) -> dict[str, Any]:
    """Log a contact made by the token's member (the date is today, the organisation's zone, unless sent);
    400 names `date` (in the future), `minutes` or `mode`; 422 for a closed case."""
    org, viewer, now = current_organisation(), current_membership(), utcnow()
    case = _viewer_case(case_id, "log_contact")
    try:
        contact = casework.log_contact(org, case, viewer, on=day or local_date(now, org.timezone), mode=mode,
                                       minutes=minutes, outcome=(outcome or "").strip() or None, now=now)
    except ServiceError as error:
        if error.field is None:
            raise ApiProblem(422, "unprocessable", str(error)) from None
        raise field_problem(error.field, str(error)) from None
    return contact_json(contact, viewer.person.name)


def _due_key(item: DueItem) -> tuple[str, int]:
    return f"{item.due_by.isoformat()}\x1f{item.reference}\x1f{item.step}", 0


@bp.arguments(DueArgs, location="query", as_kwargs=True)
@bp.response(200, DuePageSchema)
@coordinator_call
def cases_due(status: str, step: str, area: str, counsellor: str, limit: int,
              cursor: str | None) -> dict[str, Any]:
    """The contacts due (the /cases/due page's filters), the longest overdue first."""
    org, now = current_organisation(), utcnow()
    step = step.strip()
    if step and services.contact_plan(org).step(step) is None:
        raise field_problem("step", "not a step of the contact plan")
    filters = queries.DueFilter(status, step, area.strip(), int(counsellor) if counsellor.isdigit() else None,
                                counsellor == "none")
    items = sorted(queries.due_items(org, local_date(now, org.timezone), filters), key=_due_key)
    result = page(items, _due_key, limit, cursor)
    shown: list[DueItem] = result["items"]
    cases = {ref: (cid, name, supporter) for cid, ref, name, supporter in db.session.execute(
        scoped(SupportedPerson, org, SupportedPerson.id, SupportedPerson.reference, SupportedPerson.first_name,
               SupportedPerson.supporter_membership_id)
        .where(SupportedPerson.reference.in_({i.reference for i in shown})))} if shown else {}
    # the list names the mothers: a read of special-category records, in the trail like the page
    audit.record(org, current_membership().person_id, "peersupport.view_due", "organisation", org.id, now=now,
                 filters=filters.as_args(), cases=sorted({cases[i.reference][0] for i in shown}), source="api")
    result["items"] = [{"case_id": cases[i.reference][0], "reference": i.reference,
                        "first_name": cases[i.reference][1], "step": i.step, "opens": i.opens,
                        "due_by": i.due_by, "status": i.status, "days_overdue": i.days_overdue,
                        "supporter_membership_id": cases[i.reference][2]} for i in shown]
    return result
