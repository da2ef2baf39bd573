"""A member's qualifications come in the person page's order in every people answer (issue 13, "still open").

The records came in whatever order the database read them (SQLite by record
id, PostgreSQL by where the rows lie), so the same member could list
differently from one call or one database to the next. They now come as
/people and /people/<id> show them: by qualification, the organisation's
oldest first (``people.queries``). Here the member's records are written
in the opposite order to their qualifications' and to their names'.
"""
from __future__ import annotations

from datetime import date

from tests.factories import DEFAULT_PASSWORD
from volunteers.extensions import db
from volunteers.people import services as people

from .conftest import World

#: qualification names, made in this order (after the world's "First aid"), not in name order
MADE = ("Manual handling", "Beekeeping")


def _record_in_reverse(world: World) -> list[str]:
    """Give the volunteer the world's qualification and two new ones, newest first; return the names by id."""
    made = [people.qualification_named(world.org, name) for name in MADE]
    first_aid = people.qualification_named(world.org, "First aid", create=False)
    qualifications = [q for q in (first_aid, *made) if q is not None]
    assert [q.id for q in qualifications] == sorted(q.id for q in qualifications)
    for qualification in reversed(qualifications):
        people.set_qualification(world.org, world.volunteer, qualification, date(2027, 6, 1))
    db.session.commit()
    return [q.name for q in qualifications]


def _names(person: dict) -> list[str]:
    return [record["name"] for record in person["qualifications"]]


def test_a_members_qualifications_come_by_qualification_in_list_and_detail(world, call) -> None:
    expected = _record_in_reverse(world)
    assert expected == ["First aid", "Manual handling", "Beekeeping"]  # neither the records' nor the names' order
    one = call("GET", f"/api/v1/people/{world.volunteer.id}", world.coordinator_token)
    assert one.status_code == 200, one.get_data(as_text=True)
    assert _names(one.get_json()) == expected
    listed = call("GET", "/api/v1/people?search=Ann", world.coordinator_token)
    [ann] = [p for p in listed.get_json()["items"] if p["id"] == world.volunteer.id]
    assert _names(ann) == expected
    changed = call("PATCH", f"/api/v1/people/{world.volunteer.id}", world.coordinator_token, json={"phone": "01869"})
    assert _names(changed.get_json()) == expected


def test_the_order_is_the_person_pages(world, call, client, auth) -> None:
    expected = _record_in_reverse(world)
    answered = _names(call("GET", f"/api/v1/people/{world.volunteer.id}", world.coordinator_token).get_json())
    auth.login("cora@tackley.example", DEFAULT_PASSWORD)
    page = client.get(f"/people/{world.volunteer.id}").get_data(as_text=True)
    shown = sorted(expected, key=lambda name: page.index(f'aria-label="Remove {name}"'))
    assert answered == shown == expected


def test_the_document_says_the_order(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    person = document["components"]["schemas"]["Person"]["properties"]["qualifications"]
    assert "by qualification" in person["description"]
