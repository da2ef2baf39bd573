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
                  json={"date": "2026-11-28", "hours": "2.5", "note": "Stock-take"})
    assert logged.status_code == 201, logged.get_data(as_text=True)
    assert logged.get_json()["status"] == "pending" and logged.get_json()["hours"] == 2.5
    listed = call("GET", "/api/v1/me/hours", world.volunteer_token).get_json()["items"]
    assert [e["id"] for e in listed] == [logged.get_json()["id"]]
    assert call("GET", "/api/v1/me/hours", world.colleague_token).get_json()["items"] == []
    future = call("POST", "/api/v1/me/hours", world.volunteer_token, json={"date": "2026-12-25", "hours": 1})
    assert assert_problem(future, 400)["errors"][0]["field"] == "date"
    zero = call("POST", "/api/v1/me/hours", world.volunteer_token, json={"date": "2026-11-28", "hours": 0})
    assert assert_problem(zero, 400)["errors"][0]["field"] == "hours"
