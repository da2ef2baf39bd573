"""The coordinator's calls: assign with the board's checks, remove, people, warnings; the volunteer's hours."""
from __future__ import annotations

from sqlalchemy import select

from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.rota.models import Assignment

from .conftest import assert_problem


def test_assign_then_full_then_remove(world, call) -> None:
    made = call("POST", f"/api/v1/shifts/{world.later.id}/assignments", world.coordinator_token,
                json={"membership_id": world.colleague.id})
    assert made.status_code == 201, made.get_data(as_text=True)
    assignment_id = made.get_json()["assignment_id"]
    full = call("POST", f"/api/v1/shifts/{world.later.id}/assignments", world.coordinator_token,
                json={"membership_id": world.volunteer.id})
    assert assert_problem(full, 409)["type"].endswith("full")
    removed = call("DELETE", f"/api/v1/assignments/{assignment_id}", world.coordinator_token)
    assert removed.status_code == 200 and removed.get_json()["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Assignment, assignment_id).status == "cancelled"
    actions = db.session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.target_id == assignment_id,
                                                                    AuditLogEntry.target_type == "assignment"))
    assert sorted(actions) == ["rota.assign", "rota.remove"]


def test_an_ineligible_member_needs_an_override_reason(world, call) -> None:
    world.colleague.status = "paused"
    db.session.commit()
    url = f"/api/v1/shifts/{world.later.id}/assignments"
    refused = assert_problem(call("POST", url, world.coordinator_token, json={"membership_id": world.colleague.id}),
                             422)
    assert refused["type"].endswith("needs-override") and refused["errors"][0]["field"] == "override_reason"
    made = call("POST", url, world.coordinator_token,
                json={"membership_id": world.colleague.id, "override_reason": "Back from Monday"})
    assert made.status_code == 201


def test_assign_refuses_another_organisations_member(world, call) -> None:
    response = call("POST", f"/api/v1/shifts/{world.later.id}/assignments", world.coordinator_token,
                    json={"membership_id": world.other_coordinator.id})
    assert_problem(response, 404)


def test_people_list_pages_by_name_and_reads_one(world, call) -> None:
    names, url = [], "/api/v1/people?limit=2"
    while url:
        body = call("GET", url, world.coordinator_token).get_json()
        names += [p["name"] for p in body["items"]]
        url = body["next"]
    assert names == ["Ann Archer", "Bob Baker", "Cora Ordinator"]
    person = call("GET", f"/api/v1/people/{world.volunteer.id}", world.coordinator_token).get_json()
    assert (person["email"], person["role"], person["status"]) == ("ann@example.org", "volunteer", "active")
    assert [p["name"] for p in call("GET", "/api/v1/people?role=coordinator", world.coordinator_token)
            .get_json()["items"]] == ["Cora Ordinator"]


def test_warnings_listed_and_acknowledged(world, call) -> None:
    listed = call("GET", "/api/v1/warnings", world.coordinator_token).get_json()["items"]
    assert [w["id"] for w in listed] == [world.warning.id] and listed[0]["value"] == 16.0
    done = call("POST", f"/api/v1/warnings/{world.warning.id}/acknowledge", world.coordinator_token,
                json={"note": "Talked; swapping Sunday"})
    assert done.status_code == 200 and done.get_json()["status"] == "acknowledged"
    assert call("GET", "/api/v1/warnings", world.coordinator_token).get_json()["items"] == []
    too_long = call("POST", f"/api/v1/warnings/{world.warning.id}/acknowledge", world.coordinator_token,
                    json={"note": "x" * 2001})
    assert assert_problem(too_long, 400)["errors"][0]["field"] == "note"


def test_hours_logged_and_listed(world, call) -> None:
    logged = call("POST", "/api/v1/me/hours", world.volunteer_token,
                  json={"date": "2026-11-28", "hours": 2.5, "note": "Stock-take"})
    assert logged.status_code == 201, logged.get_data(as_text=True)
    assert logged.get_json()["status"] == "pending" and logged.get_json()["hours"] == 2.5
    listed = call("GET", "/api/v1/me/hours", world.volunteer_token).get_json()["items"]
    assert [e["id"] for e in listed] == [logged.get_json()["id"]]
    assert [e["id"] for e in call("GET", "/api/v1/me/hours", world.colleague_token).get_json()["items"]] == [
        world.entry.id]
    future = call("POST", "/api/v1/me/hours", world.volunteer_token, json={"date": "2026-12-25", "hours": 1})
    assert assert_problem(future, 400)["errors"][0]["field"] == "date"
    zero = call("POST", "/api/v1/me/hours", world.volunteer_token, json={"date": "2026-11-28", "hours": 0})
    assert assert_problem(zero, 400)["errors"][0]["field"] == "hours"


def test_shift_created_changed_and_cancelled(world, call) -> None:
    made = call("POST", "/api/v1/shifts", world.coordinator_token,
                json={"date": "2026-12-10", "start": "22:00", "end": "06:00", "role_id": world.shift.role_id,
                      "site_id": world.shift.site_id, "needed": 2})
    assert made.status_code == 201, made.get_data(as_text=True)
    shift = made.get_json()
    assert (shift["date"], shift["needed"], shift["open_places"]) == ("2026-12-10", 2, 2)
    assert shift["ends_at"].startswith("2026-12-11T06:00")  # an end before the start is the next day
    changed = call("PATCH", f"/api/v1/shifts/{shift['id']}", world.coordinator_token, json={"needed": 3})
    assert changed.get_json()["needed"] == 3
    below = call("PATCH", f"/api/v1/shifts/{world.place.shift_id}", world.coordinator_token, json={"needed": 1})
    assert below.status_code == 200  # one person is on it: one is allowed
    cancelled = call("POST", f"/api/v1/shifts/{world.place.shift_id}/cancel", world.coordinator_token,
                     json={"reason": "Hall flooded"})
    assert cancelled.get_json() == {"shift_id": world.place.shift_id, "status": "cancelled", "people_told": 1}
    unknown_role = call("POST", "/api/v1/shifts", world.coordinator_token,
                        json={"date": "2026-12-10", "start": "09:00", "end": "12:00", "role_id": 999,
                              "site_id": world.shift.site_id})
    assert assert_problem(unknown_role, 400)["errors"][0]["field"] == "role_id"


def test_entries_approved_rejected_and_reversed(world, call) -> None:
    approved = call("POST", f"/api/v1/contributions/{world.entry.id}/approve", world.coordinator_token)
    assert approved.get_json() == {"contribution_id": world.entry.id, "status": "approved"}
    assert_problem(call("POST", f"/api/v1/contributions/{world.entry.id}/reject", world.coordinator_token), 409)
    reversed_ = call("POST", f"/api/v1/contributions/{world.entry.id}/reverse", world.coordinator_token,
                     json={"reason": "Logged twice"})
    assert reversed_.status_code == 201 and reversed_.get_json()["reversal_id"] != world.entry.id
    assert_problem(call("POST", f"/api/v1/contributions/{world.entry.id}/reverse", world.coordinator_token), 422)


def test_warning_snoozed_within_90_days(world, call) -> None:
    done = call("POST", f"/api/v1/warnings/{world.warning.id}/snooze", world.coordinator_token,
                json={"until": "2026-12-10", "note": "After the holidays"})
    assert done.status_code == 200 and done.get_json()["snoozed_until"].startswith("2026-12-10")
    too_far = call("POST", f"/api/v1/warnings/{world.warning.id}/snooze", world.coordinator_token,
                   json={"until": "2027-06-01"})
    assert assert_problem(too_far, 400)["errors"][0]["field"] == "until"


def test_offer_my_place_to_everyone(world, call) -> None:
    offered = call("POST", f"/api/v1/me/places/{world.place.id}/offer", world.volunteer_token, json={})
    assert offered.status_code == 201 and offered.get_json()["to"] is None
    assert call("POST", f"/api/v1/me/places/{world.place.id}/offer", world.volunteer_token).status_code in (409, 422)


def test_a_person_added_once(world, call) -> None:
    made = call("POST", "/api/v1/people", world.coordinator_token,
                json={"name": "Dee Dawson", "email": "Dee@Example.org", "pledged_hours_per_week": 3})
    assert made.status_code == 201, made.get_data(as_text=True)
    person = made.get_json()
    assert (person["email"], person["role"], person["pledged_hours_per_week"]) == ("dee@example.org", "volunteer", 3)
    again = call("POST", "/api/v1/people", world.coordinator_token, json={"name": "Dee", "email": "dee@example.org"})
    assert assert_problem(again, 400)["errors"][0]["field"] == "email"
    bad = call("POST", "/api/v1/people", world.coordinator_token, json={"name": "X", "email": "not-an-address"})
    assert assert_problem(bad, 400)["errors"][0]["field"] == "email"
