"""The coordinator's people: the list (the /people page's filters), one member, adding and editing one (audited).

As on the pages, a coordinator limited to some sites sees the members of those sites (``people.site_limits``):
another site's member is a 404, as another organisation's is.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import field_problem
from volunteers.api.paging import page
from volunteers.api.schemas.people import NewPersonArgs, PeopleArgs, PersonPageSchema, PersonSchema, PersonUpdateArgs
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people import services as people
from volunteers.people import site_limits
from volunteers.people.models import Membership, PersonQualification
from volunteers.people.queries import PeopleFilter, people_list

#: the /people page's refusal: a new coordinator or admin has no site limit, so the role was a way out of one
ROLE_REFUSED = "Only an admin, or a coordinator of every site, can give or change a coordinator's or an admin's role."


def _refuse_role_change(role: str, current: str) -> None:
    """400 naming `role` when a coordinator limited to some sites gives or changes a role (as /people does)."""
    if role != current and site_limits.is_limited(current_membership()):
        raise field_problem("role", ROLE_REFUSED)


def person_json(membership: Membership) -> dict[str, Any]:
    pledge = membership.pledged_hours_per_week
    return {"id": membership.id, "name": membership.person.name, "email": membership.person.email,
            "phone": membership.person.phone, "role": membership.role, "status": membership.status,
            "pledged_hours_per_week": float(pledge) if pledge is not None else None,
            "joined_on": membership.joined_on,
            "qualifications": [{"name": q.qualification.name, "expires_on": q.expires_on}
                               for q in _by_qualification(membership.qualification_records)]}


def _by_qualification(records: list[PersonQualification]) -> list[PersonQualification]:
    """A member's records in the person page's order (``people.queries``): by qualification, oldest first.

    The relationship loads them as the database happens to read them, which differs between SQLite and
    PostgreSQL and from one call to the next; a member holds a qualification once, so the order is total.
    """
    return sorted(records, key=lambda record: record.qualification_id)


@bp.arguments(PeopleArgs, location="query", as_kwargs=True)
@bp.response(200, PersonPageSchema)
@coordinator_call
def list_people(search: str, status: str, role: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """The organisation's members, by name, filtered as on /people."""
    org = current_organisation()
    members = people_list(org, PeopleFilter(search=search, status=status, role=role),
                          local_date(utcnow(), org.timezone), viewer=current_membership())
    ordered = sorted(members, key=lambda m: (m.person.name, m.id))  # the cursor's order, whatever the collation
    result = page(ordered, lambda m: (m.person.name, m.id), limit, cursor)
    result["items"] = [person_json(m) for m in result["items"]]
    return result


@bp.response(200, PersonSchema)
@coordinator_call
def read_person(membership_id: int) -> dict[str, Any]:
    """One member (404 for another organisation's, or another site's for a coordinator limited to some)."""
    return person_json(site_limits.member_or_404(current_organisation(), membership_id))


@bp.arguments(NewPersonArgs, as_kwargs=True)
@bp.response(201, PersonSchema)
@coordinator_call
def create_person(name: str, email: str, phone: str | None, role: str,
                  pledged_hours_per_week: float | None) -> dict[str, Any]:
    """Add a member (a person already known elsewhere keeps their sign-in); 400 names `email` if already here."""
    org = current_organisation()
    _refuse_role_change(role, "volunteer")
    pledge = _pledge(pledged_hours_per_week)
    try:
        membership = people.add_member(org, email=email.strip().lower(), name=name.strip(), phone=phone or None,
                                       role=role, pledged_hours_per_week=pledge)
    except ServiceError as error:
        raise field_problem(error.field or "email", str(error)) from None
    audit.record(org, current_membership().person_id, "people.create", "membership", membership.id, now=utcnow(),
                 person_id=membership.person_id, role=membership.role, status=membership.status)
    return person_json(membership)


def _pledge(hours: float | None) -> Decimal | None:
    return None if hours is None else Decimal(str(round(hours, 2)))


@bp.arguments(PersonUpdateArgs, as_kwargs=True, required=False)
@bp.response(200, PersonSchema)
@coordinator_call
def update_person(membership_id: int, **sent: Any) -> dict[str, Any]:
    """Change a member: only the fields sent (the page's rules; 400 names `email` or `role` when refused)."""
    org, me = current_organisation(), current_membership()
    membership = site_limits.member_or_404(org, membership_id)
    _refuse_role_change(sent.get("role", membership.role), membership.role)
    before = people.edit_snapshot(org, membership)
    person = membership.person
    try:
        people.update_member(membership, actor_person_id=me.person_id, today=local_date(utcnow(), org.timezone),
                             name=sent.get("name", person.name), email=sent.get("email", person.email),
                             phone=sent.get("phone", person.phone), role=sent.get("role", membership.role),
                             status=sent.get("status", membership.status))
    except ServiceError as error:
        raise field_problem(error.field or "email", str(error)) from None
    if "pledged_hours_per_week" in sent:
        membership.pledged_hours_per_week = _pledge(sent["pledged_hours_per_week"])
    if "joined_on" in sent:
        membership.joined_on = sent["joined_on"]
    if "notes" in sent:
        membership.notes = (sent["notes"] or "").strip() or None
    audit.record(org, me.person_id, "people.update", "membership", membership.id, now=utcnow(),
                 person_id=membership.person_id, changes=people.edit_changes(org, membership, before))
    return person_json(membership)
