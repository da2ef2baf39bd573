"""The coordinator's people: the list (the /people page's filters) and one member."""
from __future__ import annotations

from typing import Any

from volunteers.api.auth import coordinator_call, current_organisation
from volunteers.api.base import bp
from volunteers.api.paging import page
from volunteers.api.schemas import PeopleArgs, PersonPageSchema, PersonSchema
from volunteers.core.tenancy import get_scoped_or_404
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people.models import Membership
from volunteers.people.queries import PeopleFilter, people_list


def person_json(membership: Membership) -> dict[str, Any]:
    pledge = membership.pledged_hours_per_week
    return {"id": membership.id, "name": membership.person.name, "email": membership.person.email,
            "phone": membership.person.phone, "role": membership.role, "status": membership.status,
            "pledged_hours_per_week": float(pledge) if pledge is not None else None,
            "joined_on": membership.joined_on,
            "qualifications": [{"name": q.qualification.name, "expires_on": q.expires_on}
                               for q in membership.qualification_records]}


@bp.arguments(PeopleArgs, location="query", as_kwargs=True)
@bp.response(200, PersonPageSchema)
@coordinator_call
def list_people(search: str, status: str, role: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """The organisation's members, by name, filtered as on /people."""
    org = current_organisation()
    members = people_list(org, PeopleFilter(search=search, status=status, role=role),
                          local_date(utcnow(), org.timezone))
    ordered = sorted(members, key=lambda m: (m.person.name, m.id))  # the cursor's order, whatever the collation
    result = page(ordered, lambda m: (m.person.name, m.id), limit, cursor)
    result["items"] = [person_json(m) for m in result["items"]]
    return result


@bp.response(200, PersonSchema)
@coordinator_call
def read_person(membership_id: int) -> dict[str, Any]:
    """One member (404 for another organisation's)."""
    return person_json(get_scoped_or_404(Membership, current_organisation(), membership_id))
