"""Every coordinator write on the people pages leaves an audit entry: who, what, which record, what changed."""
from __future__ import annotations

import io

from sqlalchemy import select

from volunteers.extensions import db
from volunteers.people import services
from volunteers.people.models import Leave, Membership, Person

from .conftest import entries, expect
from .coverage import audits


@audits("people.new_person", "people.edit_person")
def test_adding_and_editing_a_person(client, desk, clock) -> None:
    t = desk.t
    added = client.post("/people/new", data={
        "name": "Dee Dawson", "email": "dee@example.org", "role": "volunteer", "status": "active",
        "pledged_hours_per_week": "3", "phone": "07700 900123"})
    assert added.status_code == 302
    dee = db.session.scalar(select(Membership).join(Person).where(Person.email == "dee@example.org"))
    created = expect(t.org, "people.create", t.coordinator, "membership", dee.id, clock.now)
    assert created.details == {"person_id": dee.person_id, "role": "volunteer", "status": "active"}
    edited = client.post(f"/people/{dee.id}", data={
        "name": "Dee Dixon", "email": "dee.dixon@example.org", "role": "coordinator", "status": "paused",
        "pledged_hours_per_week": "5", "phone": "07700 900123", "notes": "Prefers mornings",
        "availability": "Mon 09:00-12:00"})
    assert edited.status_code == 302
    update = expect(t.org, "people.update", t.coordinator, "membership", dee.id, clock.now)
    assert update.details["changes"] == {
        "role": ["volunteer", "coordinator"], "status": ["active", "paused"],
        "pledged_hours_per_week": ["3.00", "5"], "notes": None, "name": None, "email": None,
        "availability": ["", "Mon 09:00-12:00"]}
    # personal data stays out of the trail: names, addresses, phone numbers, notes
    text = str([(e.details, e.reason) for e in entries(t.org)])
    for personal in ("Dee", "dee@", "dixon", "07700", "mornings"):
        assert personal not in text


@audits("people.add_qualification", "people.remove_qualification", "people.invite_person")
def test_qualifications_and_invitations(client, desk, clock) -> None:
    t = desk.t
    ann = t.volunteer
    client.post(f"/people/{ann.id}/qualifications", data={"qualification": "First aid", "expires_on": "2027-05-01"})
    first_aid = services.qualification_named(t.org, "First aid", create=False)
    added = expect(t.org, "people.qualification_add", t.coordinator, "membership", ann.id, clock.now)
    assert added.details["qualification_id"] == first_aid.id and added.details["expires_on"] == "2027-05-01"
    client.post(f"/people/{ann.id}/qualifications/{first_aid.id}/remove")
    removed = expect(t.org, "people.qualification_remove", t.coordinator, "membership", ann.id, clock.now)
    assert removed.details == {"qualification_id": first_aid.id}
    assert client.post(f"/people/{ann.id}/invite").status_code == 302
    expect(t.org, "people.invite", t.coordinator, "membership", ann.id, clock.now)


@audits("people.import_people")
def test_an_import_is_one_entry_with_its_counts(client, desk, clock) -> None:
    t = desk.t
    good = b"name,email\nDee,dee@example.org\nAnn Archer,ann@example.org\n"
    response = client.post("/people/import", data={"file": (io.BytesIO(good), "people.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    entry = expect(t.org, "people.import", t.coordinator, "organisation", t.org.id, clock.now)
    assert entry.details == {"source": "web", "added": 1, "updated": 1}
    bad = b"name,email\nEve,not-an-email\n"
    client.post("/people/import", data={"file": (io.BytesIO(bad), "bad.csv")}, content_type="multipart/form-data")
    assert len(entries(t.org, "people.import")) == 1  # nothing imported, nothing recorded


@audits("availability.member_availability", "availability.add_member_leave", "availability.remove_member_leave")
def test_a_members_availability_and_leave(client, desk, clock) -> None:
    t = desk.t
    ann = t.volunteer
    client.post(f"/people/{ann.id}/availability", data={"pattern": "Tue 09:00-13:00"})
    pattern = expect(t.org, "people.availability_set", t.coordinator, "membership", ann.id, clock.now)
    assert pattern.details == {"changes": {"availability": ["", "Tue 09:00-13:00"]}}
    client.post(f"/people/{ann.id}/availability/leave", data={
        "starts_on": "2026-12-24", "ends_on": "2026-12-27", "reason": "Family in Leeds"})
    leave = db.session.scalar(select(Leave))
    added = expect(t.org, "people.leave_add", t.coordinator, "membership", ann.id, clock.now)
    assert added.details == {"leave_id": leave.id, "starts_on": "2026-12-24", "ends_on": "2026-12-27"}
    client.post(f"/people/{ann.id}/availability/leave/{leave.id}/remove")
    removed = expect(t.org, "people.leave_remove", t.coordinator, "membership", ann.id, clock.now)
    assert removed.details == {"leave_id": leave.id}
