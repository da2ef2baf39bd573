"""A member's weekly availability, leave and qualifications, for coordinators (the person page's services).

Each call finds the member as the pages do (``people.site_limits.member_or_404``: another organisation's,
or another site's for a coordinator limited to some sites, is a 404); each write is audited with the
pages' actions (``people.availability_set``, ``people.leave_add``/``_remove``,
``people.qualification_add``/``_remove``).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.schemas.people import (
    AvailabilityArgs,
    AvailabilitySchema,
    LeaveAddedSchema,
    LeaveArgs,
    LeaveListSchema,
    QualificationArgs,
    QualificationDetailSchema,
    QualificationListSchema,
)
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db
from volunteers.people import services as people
from volunteers.people import site_limits
from volunteers.people.domain.availability import WeeklyWindow, format_availability, parse_availability
from volunteers.people.models import Leave, Membership, PersonQualification
from volunteers.selfservice import leave as leaves

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _member(membership_id: int) -> Membership:
    return site_limits.member_or_404(current_organisation(), membership_id)


def _availability_json(membership: Membership, windows: tuple[WeeklyWindow, ...]) -> dict[str, Any]:
    return {"membership_id": membership.id, "pattern": format_availability(windows).replace(";", "; "),
            "windows": [{"weekday": DAYS[w.weekday], "start": f"{w.start:%H:%M}", "end": f"{w.end:%H:%M}"}
                        for w in windows]}


@bp.response(200, AvailabilitySchema)
@coordinator_call
def availability(membership_id: int) -> dict[str, Any]:
    """A member's weekly availability (local times; none: any time may suit)."""
    membership = _member(membership_id)
    return _availability_json(membership, people.availability_of(current_organisation(), membership.id))


@bp.arguments(AvailabilityArgs, as_kwargs=True)
@bp.response(200, AvailabilitySchema)
@coordinator_call
def set_availability(membership_id: int, pattern: str) -> dict[str, Any]:
    """Replace a member's weekly availability; 400 names `pattern` when it does not parse."""
    org = current_organisation()
    membership = _member(membership_id)
    try:
        windows = tuple(parse_availability(pattern))
    except ValueError as error:
        raise field_problem("pattern", str(error)) from None
    before = format_availability(people.availability_of(org, membership.id))
    people.set_availability(org, membership, windows)
    audit.record(org, current_membership().person_id, "people.availability_set", "membership", membership.id,
                 now=utcnow(), changes={"availability": [before, format_availability(windows)]})
    return _availability_json(membership, people.availability_of(org, membership.id))


def _leave_json(leave: Leave) -> dict[str, Any]:
    return {"id": leave.id, "starts_on": leave.starts_on, "ends_on": leave.ends_on, "reason": leave.reason}


def _today() -> date:
    return local_date(utcnow(), current_organisation().timezone)


@bp.response(200, LeaveListSchema)
@coordinator_call
def leave(membership_id: int) -> dict[str, Any]:
    """A member's current and future leave, soonest first."""
    membership = _member(membership_id)
    return {"items": [_leave_json(x) for x in leaves.leaves_of(current_organisation(), membership, _today())]}


@bp.arguments(LeaveArgs, as_kwargs=True)
@bp.response(201, LeaveAddedSchema)
@coordinator_call
def add_leave(membership_id: int, starts_on: date, ends_on: date | None, reason: str | None) -> dict[str, Any]:
    """Record leave (inclusive local days); the shifts it clashes with are named, nobody is taken off them."""
    org = current_organisation()
    membership = _member(membership_id)
    try:
        made = leaves.add_leave(org, membership, starts_on, ends_on, reason, _today())
    except ServiceError as error:
        raise field_problem(error.field or "starts_on", str(error)) from None
    # the reason may say why someone is away (health, family): it stays out of the trail, as on the page
    audit.record(org, current_membership().person_id, "people.leave_add", "membership", membership.id,
                 now=utcnow(), leave_id=made.id, starts_on=made.starts_on, ends_on=made.ends_on)
    clashes = leaves.shifts_during(org, membership, [made], utcnow())
    return {**_leave_json(made), "clashing_shift_ids": [a.shift_id for a in clashes]}


@bp.response(204)
@coordinator_call
def remove_leave(membership_id: int, leave_id: int) -> None:
    """Remove one of a member's leave entries (404 when it is not theirs)."""
    org = current_organisation()
    membership = _member(membership_id)
    if not leaves.remove_leave(org, membership, leave_id):
        raise ApiProblem(404, "not-found", "No such leave for this member.")
    audit.record(org, current_membership().person_id, "people.leave_remove", "membership", membership.id,
                 now=utcnow(), leave_id=leave_id)


def _records(membership: Membership) -> list[PersonQualification]:
    return sorted(membership.qualification_records, key=lambda r: (r.qualification.name.casefold(), r.id))


def _record_json(record: PersonQualification) -> dict[str, Any]:
    return {"qualification_id": record.qualification_id, "name": record.qualification.name,
            "obtained_on": record.obtained_on, "expires_on": record.expires_on,
            "certificate_recorded": record.certificate_number is not None,
            "update_service_checked_on": record.update_service_checked_on}


@bp.response(200, QualificationListSchema)
@coordinator_call
def qualifications(membership_id: int) -> dict[str, Any]:
    """A member's qualifications and checks, by name."""
    return {"items": [_record_json(r) for r in _records(_member(membership_id))]}


@bp.arguments(QualificationArgs, as_kwargs=True)
@bp.response(201, QualificationDetailSchema)
@coordinator_call
def add_qualification(membership_id: int, name: str, obtained_on: date | None, expires_on: date | None,
                      certificate_number: str | None, update_service_checked_on: date | None) -> dict[str, Any]:
    """Record a qualification or check (or update the member's record of it); 400 names the failing field."""
    org = current_organisation()
    membership = _member(membership_id)
    if not name.strip():
        raise field_problem("name", "Give the qualification's name.")
    try:
        people.check_qualification_dates(expires_on, obtained_on)
    except ServiceError as error:
        raise field_problem(error.field or "expires_on", str(error)) from None
    qualification = people.qualification_named(org, name)
    assert qualification is not None
    record = people.set_qualification(org, membership, qualification, expires_on, obtained_on,
                                      certificate_number or None, update_service_checked_on)
    audit.record(org, current_membership().person_id, "people.qualification_add", "membership", membership.id,
                 now=utcnow(), qualification_id=qualification.id, record_id=record.id,
                 expires_on=record.expires_on, obtained_on=record.obtained_on,
                 certificate_recorded=record.certificate_number is not None,
                 update_service_checked_on=record.update_service_checked_on)
    return _record_json(record)


@bp.response(204)
@coordinator_call
def remove_qualification(membership_id: int, qualification_id: int) -> None:
    """Remove a member's record of a qualification (404 when they have none)."""
    org = current_organisation()
    membership = _member(membership_id)
    held = db.session.scalar(scoped(PersonQualification, org, PersonQualification.id).where(
        PersonQualification.membership_id == membership.id,
        PersonQualification.qualification_id == qualification_id))
    if held is None:
        raise ApiProblem(404, "not-found", "This member has no record of that qualification.")
    people.remove_qualification(org, membership, qualification_id)
    audit.record(org, current_membership().person_id, "people.qualification_remove", "membership", membership.id,
                 now=utcnow(), qualification_id=qualification_id)
