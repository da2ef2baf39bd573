"""A coordinator limited to some sites reaches, through the API, what the pages show them: their sites' shifts
(the board's list, changing, cancelling, assigning, removing a place) and warnings; another site's is a 404,
as another organisation's is. Unlimited coordinators are unchanged."""
from __future__ import annotations

from tests.factories import make_member, make_site
from volunteers.api import tokens
from volunteers.extensions import db
from volunteers.rota import site_scope

from .conftest import World, assert_problem


def _limited_token(world: World, now) -> str:
    """A coordinator limited to a chapel where none of the fixture's shifts are."""
    limited = make_member(world.org, "sid@tackley.example", role="coordinator", name="Sid Site")
    site_scope.set_sites(world.org, limited, {make_site(world.org, "Chapel").id})
    token = tokens.create_token(world.org, limited, "bot", "write", 5, now).token
    db.session.commit()
    return token


def test_another_sites_shifts_places_and_warnings_are_404(world, call, clock) -> None:
    token = _limited_token(world, clock.now)
    assert call("GET", "/api/v1/shifts?from=2026-12-01&to=2026-12-31", token).get_json()["items"] == []
    assert call("GET", "/api/v1/warnings?status=all", token).get_json()["items"] == []
    for method, path, body in (
            ("PATCH", f"/api/v1/shifts/{world.later.id}", {"needed": 3}),
            ("POST", f"/api/v1/shifts/{world.later.id}/cancel", {}),
            ("POST", f"/api/v1/shifts/{world.later.id}/assignments", {"membership_id": world.colleague.id}),
            ("DELETE", f"/api/v1/assignments/{world.place.id}", None),
            ("POST", f"/api/v1/warnings/{world.warning.id}/acknowledge", {}),
            ("POST", f"/api/v1/warnings/{world.warning.id}/snooze", {"until": "2026-12-10"})):
        assert_problem(call(method, path, token, json=body), 404)
    db.session.expire_all()
    assert world.later.status == "planned" and world.later.needed == 1 and world.place.status == "assigned"


def test_unlimited_coordinators_still_reach_every_site(world, call) -> None:
    listed = call("GET", "/api/v1/shifts?from=2026-12-01&to=2026-12-31", world.coordinator_token).get_json()
    assert world.later.id in {s["id"] for s in listed["items"]}
    assert [w["id"] for w in call("GET", "/api/v1/warnings?status=all", world.coordinator_token)
            .get_json()["items"]] == [world.warning.id]
    assert call("PATCH", f"/api/v1/shifts/{world.later.id}", world.coordinator_token,
                json={"needed": 2}).status_code == 200
