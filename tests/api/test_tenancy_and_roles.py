"""Every API endpoint, from the route list: no token is 401, a volunteer on a coordinator's call is 403,
another organisation's id is 404. A new endpoint must be added to ROUTES (the first test says so)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from .conftest import World, assert_problem

#: endpoint -> (method, path in Tackley, path naming Gateshead's record or None, coordinators only, JSON body)
ROUTES: dict[str, tuple[str, Callable[[World], str], Callable[[World], str] | None, bool, Any]] = {
    "api.my_shifts": ("GET", lambda w: "/api/v1/me/shifts", None, False, None),
    "api.open_shifts": ("GET", lambda w: "/api/v1/me/shifts/open", None, False, None),
    "api.sign_up": ("POST", lambda w: f"/api/v1/me/shifts/{w.shift.id}/sign-up",
                    lambda w: f"/api/v1/me/shifts/{w.other_shift.id}/sign-up", False, {}),
    "api.cancel": ("POST", lambda w: f"/api/v1/me/places/{w.place.id}/cancel",
                   lambda w: f"/api/v1/me/places/{w.other_place.id}/cancel", False, {}),
    "api.my_hours": ("GET", lambda w: "/api/v1/me/hours", None, False, None),
    "api.log_hours": ("POST", lambda w: "/api/v1/me/hours", None, False, {"date": "2026-11-29", "hours": 2}),
    "api.list_shifts": ("GET", lambda w: "/api/v1/shifts?from=2026-12-01", None, True, None),
    "api.assign": ("POST", lambda w: f"/api/v1/shifts/{w.shift.id}/assignments",
                   lambda w: f"/api/v1/shifts/{w.other_shift.id}/assignments", True,
                   {"membership_id": 0}),  # filled in below: the colleague
    "api.remove": ("DELETE", lambda w: f"/api/v1/assignments/{w.place.id}",
                   lambda w: f"/api/v1/assignments/{w.other_place.id}", True, None),
    "api.list_people": ("GET", lambda w: "/api/v1/people", None, True, None),
    "api.read_person": ("GET", lambda w: f"/api/v1/people/{w.volunteer.id}",
                        lambda w: f"/api/v1/people/{w.other_coordinator.id}", True, None),
    "api.list_warnings": ("GET", lambda w: "/api/v1/warnings?status=all", None, True, None),
    "api.acknowledge": ("POST", lambda w: f"/api/v1/warnings/{w.warning.id}/acknowledge",
                        lambda w: f"/api/v1/warnings/{w.other_warning.id}/acknowledge", True, {}),
    "api.monthly_report": ("GET", lambda w: "/api/v1/reports/monthly/2026-11", None, True, None),
    "api.assess_load": ("POST", lambda w: "/api/v1/load/assess", None, True,
                        {"as_of": "2026-11-30T12:00:00+00:00", "volunteers": []}),
}


def _body(endpoint: str, world: World) -> Any:
    body = ROUTES[endpoint][4]
    return {"membership_id": world.colleague.id} if endpoint == "api.assign" else body


def test_the_table_names_every_api_endpoint(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_no_token_or_a_bad_one_is_401(endpoint: str, world: World, call) -> None:
    method, path, _, _, _ = ROUTES[endpoint]
    body = _body(endpoint, world)
    assert_problem(call(method, path(world), None, json=body), 401)
    assert_problem(call(method, path(world), "vol_not-a-token", json=body), 401)
    assert call(method, path(world), None, json=body).headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("endpoint", sorted(e for e, (_, _, _, coordinator, _) in ROUTES.items() if coordinator))
def test_a_volunteers_token_on_a_coordinators_call_is_403(endpoint: str, world: World, call) -> None:
    method, path, _, _, _ = ROUTES[endpoint]
    body = _body(endpoint, world)
    assert_problem(call(method, path(world), world.volunteer_token, json=body), 403)
    assert call(method, path(world), world.coordinator_token, json=body).status_code in (200, 201)


@pytest.mark.parametrize("endpoint", sorted(e for e, (_, _, other, _, _) in ROUTES.items() if other))
def test_another_organisations_id_is_404(endpoint: str, world: World, call) -> None:
    method, _, other, coordinator, _ = ROUTES[endpoint]
    body = _body(endpoint, world)
    assert other is not None
    token = world.coordinator_token if coordinator else world.volunteer_token
    assert_problem(call(method, other(world), token, json=body), 404)


@pytest.mark.parametrize("endpoint", sorted(e for e, (method, *_rest) in ROUTES.items() if method == "GET"))
def test_lists_show_only_the_tokens_organisation(endpoint: str, world: World, call) -> None:
    method, path, _, coordinator, _ = ROUTES[endpoint]
    token = world.coordinator_token if coordinator else world.volunteer_token
    text = call(method, path(world), token).get_data(as_text=True)
    assert "Gateshead" not in text and "Counsellor" not in text
