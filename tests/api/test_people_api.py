"""The coordinator's people calls beyond the list: editing a member, their availability, leave and
qualifications, and recording a contribution — the pages' services and rules, audited, site limits kept."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.factories import make_member, make_site
from volunteers.api import tokens
from volunteers.contributions.models import Contribution
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.people import services as people
from volunteers.people.models import Leave, Membership, PersonQualification, Qualification
from volunteers.rota import site_scope

from .conftest import World, assert_problem


def _trail(world: World, action: str) -> list[AuditLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.organisation_id == world.org.id, AuditLogEntry.action == action).order_by(AuditLogEntry.id)))


def test_a_member_is_edited_field_by_field_and_the_change_audited(world, call) -> None:
    response = call("PATCH", f"/api/v1/people/{world.colleague.id}", world.coordinator_token,
                    json={"pledged_hours_per_week": 4.5, "status": "paused", "phone": "01869 123456"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["pledged_hours_per_week"], body["status"], body["name"]) == (4.5, "paused", "Bob Baker")
    db.session.expire_all()
    bob = db.session.get(Membership, world.colleague.id)
    assert (bob.pledged_hours_per_week, bob.status, bob.person.email) == (Decimal("4.50"), "paused",
                                                                          "bob@example.org")
    [entry] = _trail(world, "people.update")
    assert entry.actor_person_id == world.coordinator.person_id and entry.target_id == bob.id
    assert entry.details["changes"]["status"] == ["active", "paused"]
    assert entry.details["changes"]["phone"] is None  # personal: the trail says it changed, not to what


def test_the_pages_edit_rules_refuse_naming_the_field(world, call) -> None:
    taken = call("PATCH", f"/api/v1/people/{world.colleague.id}", world.coordinator_token,
                 json={"email": "ANN@example.org", "name": "Robert Baker"})
    assert assert_problem(taken, 400)["errors"][0]["field"] == "email"
    own = call("PATCH", f"/api/v1/people/{world.coordinator.id}", world.coordinator_token,
               json={"role": "volunteer"})
    assert assert_problem(own, 400)["errors"][0]["field"] == "role"
    db.session.expire_all()
    assert db.session.get(Membership, world.colleague.id).person.name == "Bob Baker"  # nothing half-written
    assert not _trail(world, "people.update")


def test_a_read_token_may_not_edit(world, call, clock) -> None:
    read = tokens.create_token(world.org, world.coordinator, "screen", "read", 5, clock.now).token
    db.session.commit()
    assert_problem(call("PATCH", f"/api/v1/people/{world.colleague.id}", read, json={"notes": "x"}), 403)
    assert call("GET", f"/api/v1/people/{world.colleague.id}/availability", read).status_code == 200


def test_availability_is_read_and_replaced(world, call) -> None:
    url = f"/api/v1/people/{world.colleague.id}/availability"
    assert call("GET", url, world.coordinator_token).get_json()["windows"] == []
    saved = call("PUT", url, world.coordinator_token, json={"pattern": "mon 09:00-13:00; Thursday 14:00-18:00"})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["pattern"] == "Mon 09:00-13:00; Thu 14:00-18:00"
    assert saved.get_json()["windows"][1] == {"weekday": "Thu", "start": "14:00", "end": "18:00"}
    [entry] = _trail(world, "people.availability_set")
    assert entry.details["changes"]["availability"] == ["", "Mon 09:00-13:00;Thu 14:00-18:00"]
    bad = call("PUT", url, world.coordinator_token, json={"pattern": "Funday 09:00-13:00"})
    assert assert_problem(bad, 400)["errors"][0]["field"] == "pattern"
    assert len(call("GET", url, world.coordinator_token).get_json()["windows"]) == 2


def test_leave_is_added_with_its_clashes_listed_and_removed(world, call) -> None:
    url = f"/api/v1/people/{world.volunteer.id}/leave"
    day = world.place.shift.local_date
    made = call("POST", url, world.coordinator_token, json={"starts_on": day.isoformat(), "reason": "Hospital"})
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert body["ends_on"] == day.isoformat() and body["clashing_shift_ids"] == [world.place.shift_id]
    [entry] = _trail(world, "people.leave_add")
    assert "Hospital" not in str(entry.details) and entry.details["leave_id"] == body["id"]
    assert [x["id"] for x in call("GET", url, world.coordinator_token).get_json()["items"]] == [body["id"]]
    past = call("POST", url, world.coordinator_token, json={"starts_on": "2026-11-01", "ends_on": "2026-11-02"})
    assert assert_problem(past, 400)["errors"][0]["field"] == "ends_on"
    assert call("DELETE", f"{url}/{body['id']}", world.coordinator_token).status_code == 204
    assert db.session.get(Leave, body["id"]) is None and _trail(world, "people.leave_remove")
    assert_problem(call("DELETE", f"{url}/{world.leave.id}", world.coordinator_token), 404)  # Bob's, not Ann's


def test_qualifications_are_recorded_checked_and_removed(world, call) -> None:
    url = f"/api/v1/people/{world.volunteer.id}/qualifications"
    made = call("POST", url, world.coordinator_token, json={
        "name": "DBS check", "obtained_on": "2026-01-10", "expires_on": "2029-01-10",
        "certificate_number": "001234567890"})
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert body["certificate_recorded"] is True and "001234567890" not in made.get_data(as_text=True)
    [entry] = _trail(world, "people.qualification_add")
    assert entry.details["qualification_id"] == body["qualification_id"]
    backwards = call("POST", url, world.coordinator_token, json={
        "name": "Manual handling", "obtained_on": "2026-05-01", "expires_on": "2026-04-01"})
    assert assert_problem(backwards, 400)["errors"][0]["field"] == "expires_on"
    assert people.qualification_named(world.org, "Manual handling", create=False) is None  # nothing written
    assert [q["name"] for q in call("GET", url, world.coordinator_token).get_json()["items"]] == ["DBS check"]
    gone = call("DELETE", f"{url}/{body['qualification_id']}", world.coordinator_token)
    assert gone.status_code == 204 and _trail(world, "people.qualification_remove")
    assert db.session.scalar(select(PersonQualification.id).where(
        PersonQualification.membership_id == world.volunteer.id)) is None
    assert_problem(call("DELETE", f"{url}/{body['qualification_id']}", world.coordinator_token), 404)
    assert db.session.get(Qualification, body["qualification_id"]) is not None  # the organisation's list keeps it


def test_a_contribution_is_recorded_approved_and_audited(world, call) -> None:
    made = call("POST", "/api/v1/contributions", world.coordinator_token, json={
        "kind": "money", "date": "2026-11-20", "amount": 25.5, "contributor_type": "community_group",
        "contributor_name": "Tackley WI", "stage": "delivery"})
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert (body["amount"], body["status"], body["contributor_name"]) == (25.5, "approved", "Tackley WI")
    entry = db.session.get(Contribution, body["id"])
    assert entry.amount == Decimal("25.50") and entry.approved_by_person_id == world.coordinator.person_id
    [audited] = _trail(world, "contributions.record")
    assert audited.target_id == body["id"] and audited.actor_person_id == world.coordinator.person_id
    future = call("POST", "/api/v1/contributions", world.coordinator_token,
                  json={"kind": "time", "date": "2026-12-24", "hours": 2, "membership_id": world.colleague.id})
    assert assert_problem(future, 400)["errors"][0]["field"] == "date"
    elsewhere = call("POST", "/api/v1/contributions", world.coordinator_token,
                     json={"kind": "time", "date": "2026-11-20", "hours": 2,
                           "membership_id": world.other_coordinator.id})
    assert assert_problem(elsewhere, 400)["errors"][0]["field"] == "membership_id"
    assert len(_trail(world, "contributions.record")) == 1


def test_a_site_coordinators_token_sees_and_edits_only_their_sites_people(world, call, clock) -> None:
    limited = make_member(world.org, "sid@tackley.example", role="coordinator", name="Sid Site")
    site_scope.set_sites(world.org, limited, {make_site(world.org, "Chapel").id})
    token = tokens.create_token(world.org, limited, "bot", "write", 5, clock.now).token
    db.session.commit()
    # Ann holds a place at the shop only; Bob has no place anywhere yet (everyone's to place)
    names = [p["name"] for p in call("GET", "/api/v1/people", token).get_json()["items"]]
    assert "Ann Archer" not in names and "Bob Baker" in names
    for method, path, body in (("GET", "", None), ("PATCH", "", {"notes": "x"}), ("GET", "/availability", None),
                               ("PUT", "/availability", {"pattern": ""}), ("GET", "/leave", None),
                               ("POST", "/leave", {"starts_on": "2026-12-20"}), ("GET", "/qualifications", None),
                               ("POST", "/qualifications", {"name": "First aid"})):
        assert_problem(call(method, f"/api/v1/people/{world.volunteer.id}{path}", token, json=body), 404)
    assert call("GET", f"/api/v1/people/{world.colleague.id}/leave", token).status_code == 200
