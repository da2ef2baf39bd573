"""The monthly report is the CLI's JSON; the load assessment is DESIGN's; every error is problem+json with its field."""
from __future__ import annotations

import json

from volunteers.extensions import db
from volunteers.wellbeing import assess

from .conftest import assert_problem

EXAMPLE = {
    "as_of": "2026-11-30T12:00:00+00:00", "timezone": "Europe/London", "policy": {},
    "volunteers": [{"id": "v1", "pledged_hours_per_week": 4, "shifts": [
        {"start": f"2026-11-{day:02d}T08:00:00+00:00", "end": f"2026-11-{day:02d}T20:00:00+00:00",
         "role": "Shop counter", "intensity": 1.0, "on_call": False} for day in range(20, 27)]}],
}


def test_the_monthly_report_is_the_clis_json(world, call, runner) -> None:
    response = call("GET", "/api/v1/reports/monthly/2026-11", world.coordinator_token)
    assert response.status_code == 200 and response.mimetype == "application/json"
    printed = runner.invoke(args=["report", "monthly", "--org", "tackley", "--month", "2026-11", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(response.get_data(as_text=True)) == json.loads(printed.stdout)
    assert response.get_json()["month"] == "2026-11"


def test_a_malformed_month_is_400_naming_it(world, call) -> None:
    body = assert_problem(call("GET", "/api/v1/reports/monthly/2026-13", world.coordinator_token), 400)
    assert body["errors"] == [{"field": "month", "message": "expected a month as YYYY-MM (1900-2999)"}]


def test_assess_answers_designs_json(world, call) -> None:
    response = call("POST", "/api/v1/load/assess", world.coordinator_token, json=EXAMPLE)
    assert response.status_code == 200
    assert response.get_json() == json.loads(json.dumps(assess(EXAMPLE)))
    assert any(w["rule"] == "weekly_load" for w in response.get_json()["warnings"])


def test_assess_names_the_failing_field(world, call) -> None:
    bad = {**EXAMPLE, "volunteers": [{"id": "v1", "shifts": [{"start": "yesterday", "end": "x", "role": "R"}]}]}
    body = assert_problem(call("POST", "/api/v1/load/assess", world.coordinator_token, json=bad), 400)
    assert body["errors"][0]["field"].startswith("volunteers[0].shifts[0]")
    missing = assert_problem(call("POST", "/api/v1/load/assess", world.coordinator_token, json={}), 400)
    assert {e["field"] for e in missing["errors"]} == {"as_of", "volunteers"}
    not_json = call("POST", "/api/v1/load/assess", world.coordinator_token, data="{", content_type="application/json")
    assert_problem(not_json, 400)


def test_bad_paging_names_the_field(world, call) -> None:
    body = assert_problem(call("GET", "/api/v1/me/shifts?limit=0", world.volunteer_token), 400)
    assert body["errors"][0]["field"] == "limit"
    body = assert_problem(call("GET", "/api/v1/me/shifts?cursor=nonsense", world.volunteer_token), 400)
    assert body["errors"][0]["field"] == "cursor"


def test_an_unknown_api_path_and_method_are_problems_too(world, call) -> None:
    assert_problem(call("GET", "/api/v1/no/such/thing", world.volunteer_token), 404)
    assert_problem(call("DELETE", "/api/v1/me/shifts", world.volunteer_token), 405)


def test_an_ineligible_sign_up_is_422(world, call) -> None:
    world.volunteer.status = "paused"
    db.session.commit()
    body = assert_problem(call("POST", f"/api/v1/me/shifts/{world.shift.id}/sign-up", world.volunteer_token), 422)
    assert body["type"].endswith("not-eligible")


def test_the_coordinators_shift_list_filters_gaps_and_pages(world, call) -> None:
    url = "/api/v1/shifts?from=2026-12-01&to=2026-12-31&gaps=true&limit=2"
    first = call("GET", url, world.coordinator_token)
    assert first.status_code == 200
    body = first.get_json()
    assert [s["id"] for s in body["items"]] == [world.shift.id, world.place.shift_id] and body["next"]
    assert body["items"][1]["people"] == [{"membership_id": world.volunteer.id, "name": "Ann Archer"}]
    assert [s["id"] for s in call("GET", body["next"], world.coordinator_token).get_json()["items"]] == [
        world.later.id]
    assert call("GET", url, world.coordinator_token,
                headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert_problem(call("GET", "/api/v1/shifts?from=2026-12-01&to=2026-11-01", world.coordinator_token), 400)


def test_a_bodys_values_have_the_documents_json_types(world, call) -> None:
    """schemathesis (`st run`) sent `{"confirmed": 0}` and was answered 200: a body's booleans, integers
    and numbers are JSON's own now, not 0/1, "2" or "2.5" (query strings still parse text)."""
    for path, body, field in (
            (f"/api/v1/me/shifts/{world.shift.id}/sign-up", {"confirmed": 0}, "confirmed"),
            ("/api/v1/me/hours", {"date": "2026-11-28", "hours": "2.5"}, "hours"),
            (f"/api/v1/shifts/{world.later.id}/assignments", {"membership_id": str(world.colleague.id)},
             "membership_id"),
            (f"/api/v1/shifts/{world.later.id}/assignments", {"membership_id": True}, "membership_id")):
        token = world.coordinator_token if "assignments" in path else world.volunteer_token
        refused = assert_problem(call("POST", path, token, json=body), 400)
        assert refused["errors"][0]["field"] == field, refused
    assert call("GET", "/api/v1/shifts?from=2026-12-01&gaps=true", world.coordinator_token).status_code == 200
    # every field of a member's edit is optional, so no body at all is a valid (empty) edit
    assert call("PATCH", f"/api/v1/people/{world.colleague.id}", world.coordinator_token).status_code == 200
