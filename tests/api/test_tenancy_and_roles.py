"""Every API endpoint, from the route list: no token is 401, a volunteer on a coordinator's call is 403,
another organisation's id is 404. A new endpoint must be added to ROUTES (the first test says so)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from .conftest import World, assert_problem

Path = Callable[[World], str]


def NO_BODY(world: World) -> None:  # a constant of the table: no body
    return None


def EMPTY(world: World) -> dict[str, Any]:  # a constant of the table: an empty JSON object
    return {}



#: endpoint -> (method, path in Tackley, path naming Gateshead's record or None, coordinators only, JSON body)
ROUTES: dict[str, tuple[str, Path, Path | None, bool, Callable[[World], Any]]] = {
    "api.my_shifts": ("GET", lambda w: "/api/v1/me/shifts", None, False, NO_BODY),
    "api.open_shifts": ("GET", lambda w: "/api/v1/me/shifts/open", None, False, NO_BODY),
    "api.sign_up": ("POST", lambda w: f"/api/v1/me/shifts/{w.shift.id}/sign-up",
                    lambda w: f"/api/v1/me/shifts/{w.other_shift.id}/sign-up", False, EMPTY),
    "api.cancel": ("POST", lambda w: f"/api/v1/me/places/{w.place.id}/cancel",
                   lambda w: f"/api/v1/me/places/{w.other_place.id}/cancel", False, EMPTY),
    "api.offer": ("POST", lambda w: f"/api/v1/me/places/{w.place.id}/offer",
                  lambda w: f"/api/v1/me/places/{w.other_place.id}/offer", False, EMPTY),
    "api.load_note": ("GET", lambda w: "/api/v1/me/load-note", None, False, NO_BODY),
    "api.open_offers": ("GET", lambda w: "/api/v1/me/offers", None, False, NO_BODY),
    "api.accept_offer": ("POST", lambda w: f"/api/v1/me/offers/{w.offer.id}/accept",
                         lambda w: f"/api/v1/me/offers/{w.other_offer.id}/accept", False, EMPTY),
    "api.my_hours": ("GET", lambda w: "/api/v1/me/hours", None, False, NO_BODY),
    "api.log_hours": ("POST", lambda w: "/api/v1/me/hours", None, False,
                      lambda w: {"date": "2026-11-29", "hours": 2}),
    "api.list_shifts": ("GET", lambda w: "/api/v1/shifts?from=2026-12-01", None, True, NO_BODY),
    "api.create_shift": ("POST", lambda w: "/api/v1/shifts", None, True,
                         lambda w: {"date": "2026-12-10", "start": "09:00", "end": "12:00",
                                    "role_id": w.shift.role_id, "site_id": w.shift.site_id}),
    "api.update_shift": ("PATCH", lambda w: f"/api/v1/shifts/{w.later.id}",
                         lambda w: f"/api/v1/shifts/{w.other_shift.id}", True, lambda w: {"needed": 3}),
    "api.cancel_shift": ("POST", lambda w: f"/api/v1/shifts/{w.later.id}/cancel",
                         lambda w: f"/api/v1/shifts/{w.other_shift.id}/cancel", True, EMPTY),
    "api.assign": ("POST", lambda w: f"/api/v1/shifts/{w.shift.id}/assignments",
                   lambda w: f"/api/v1/shifts/{w.other_shift.id}/assignments", True,
                   lambda w: {"membership_id": w.colleague.id}),
    "api.remove": ("DELETE", lambda w: f"/api/v1/assignments/{w.place.id}",
                   lambda w: f"/api/v1/assignments/{w.other_place.id}", True, NO_BODY),
    "api.list_people": ("GET", lambda w: "/api/v1/people", None, True, NO_BODY),
    "api.create_person": ("POST", lambda w: "/api/v1/people", None, True,
                          lambda w: {"name": "Dee Dawson", "email": "dee@example.org"}),
    "api.read_person": ("GET", lambda w: f"/api/v1/people/{w.volunteer.id}",
                        lambda w: f"/api/v1/people/{w.other_coordinator.id}", True, NO_BODY),
    "api.update_person": ("PATCH", lambda w: f"/api/v1/people/{w.colleague.id}",
                          lambda w: f"/api/v1/people/{w.other_coordinator.id}", True,
                          lambda w: {"pledged_hours_per_week": 4}),
    "api.availability": ("GET", lambda w: f"/api/v1/people/{w.colleague.id}/availability",
                         lambda w: f"/api/v1/people/{w.other_coordinator.id}/availability", True, NO_BODY),
    "api.set_availability": ("PUT", lambda w: f"/api/v1/people/{w.colleague.id}/availability",
                             lambda w: f"/api/v1/people/{w.other_coordinator.id}/availability", True,
                             lambda w: {"pattern": "Mon 09:00-13:00"}),
    "api.leave": ("GET", lambda w: f"/api/v1/people/{w.colleague.id}/leave",
                  lambda w: f"/api/v1/people/{w.other_coordinator.id}/leave", True, NO_BODY),
    "api.add_leave": ("POST", lambda w: f"/api/v1/people/{w.colleague.id}/leave",
                      lambda w: f"/api/v1/people/{w.other_coordinator.id}/leave", True,
                      lambda w: {"starts_on": "2026-12-20"}),
    "api.remove_leave": ("DELETE", lambda w: f"/api/v1/people/{w.colleague.id}/leave/{w.leave.id}",
                         lambda w: f"/api/v1/people/{w.colleague.id}/leave/{w.other_leave.id}", True, NO_BODY),
    "api.qualifications": ("GET", lambda w: f"/api/v1/people/{w.colleague.id}/qualifications",
                           lambda w: f"/api/v1/people/{w.other_coordinator.id}/qualifications", True, NO_BODY),
    "api.add_qualification": ("POST", lambda w: f"/api/v1/people/{w.colleague.id}/qualifications",
                              lambda w: f"/api/v1/people/{w.other_coordinator.id}/qualifications", True,
                              lambda w: {"name": "Food hygiene", "expires_on": "2027-12-01"}),
    "api.remove_qualification": (
        "DELETE", lambda w: f"/api/v1/people/{w.colleague.id}/qualifications/{w.qualification_id}",
        lambda w: f"/api/v1/people/{w.colleague.id}/qualifications/{w.other_qualification_id}", True, NO_BODY),
    "api.list_warnings": ("GET", lambda w: "/api/v1/warnings?status=all", None, True, NO_BODY),
    "api.acknowledge": ("POST", lambda w: f"/api/v1/warnings/{w.warning.id}/acknowledge",
                        lambda w: f"/api/v1/warnings/{w.other_warning.id}/acknowledge", True, EMPTY),
    "api.snooze": ("POST", lambda w: f"/api/v1/warnings/{w.warning.id}/snooze",
                   lambda w: f"/api/v1/warnings/{w.other_warning.id}/snooze", True,
                   lambda w: {"until": "2026-12-10"}),
    "api.record_contribution": ("POST", lambda w: "/api/v1/contributions", None, True,
                                lambda w: {"kind": "time", "date": "2026-11-28", "hours": 3,
                                           "membership_id": w.colleague.id}),
    "api.approve": ("POST", lambda w: f"/api/v1/contributions/{w.entry.id}/approve",
                    lambda w: f"/api/v1/contributions/{w.other_entry.id}/approve", True, EMPTY),
    "api.reject": ("POST", lambda w: f"/api/v1/contributions/{w.entry.id}/reject",
                   lambda w: f"/api/v1/contributions/{w.other_entry.id}/reject", True, EMPTY),
    "api.reverse": ("POST", lambda w: f"/api/v1/contributions/{w.entry.id}/reverse",
                    lambda w: f"/api/v1/contributions/{w.other_entry.id}/reverse", True, EMPTY),
    "api.list_cases": ("GET", lambda w: "/api/v1/cases?status=all", None, False, NO_BODY),
    "api.read_case": ("GET", lambda w: f"/api/v1/cases/{w.case.id}", lambda w: f"/api/v1/cases/{w.other_case.id}",
                      False, NO_BODY),
    "api.log_contact": ("POST", lambda w: f"/api/v1/cases/{w.case.id}/contacts",
                        lambda w: f"/api/v1/cases/{w.other_case.id}/contacts", False,
                        lambda w: {"mode": "phone", "minutes": 20}),
    "api.cases_due": ("GET", lambda w: "/api/v1/cases/due?status=all", None, True, NO_BODY),
    "api.monthly_report": ("GET", lambda w: "/api/v1/reports/monthly/2026-11", None, True, NO_BODY),
    "api.assess_load": ("POST", lambda w: "/api/v1/load/assess", None, True,
                        lambda w: {"as_of": "2026-11-30T12:00:00+00:00", "volunteers": []}),
}


def _body(endpoint: str, world: World) -> Any:
    return ROUTES[endpoint][4](world)


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
    assert call(method, path(world), world.coordinator_token, json=body).status_code not in (401, 403, 404)


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
