"""A coordinator limited to some sites reaches, through the API, what the pages show them: their sites' shifts
(the board's list, changing, cancelling, assigning, removing a place) and warnings; another site's is a 404,
as another organisation's is. Unlimited coordinators are unchanged."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.factories import make_member, make_site
from volunteers.api import tokens
from volunteers.contributions.ledger import new_entry
from volunteers.extensions import db
from volunteers.rota import site_scope
from volunteers.rota.models import Site

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


def test_a_limited_coordinator_cannot_give_a_coordinators_or_admins_role(world, call, clock) -> None:
    """As on /people (8406392): a new coordinator or admin has no site limit, so giving that role was a way out."""
    token = _limited_token(world, clock.now)
    for body in ({"name": "Ed Escape", "email": "ed@example.org", "role": "admin"},
                 {"name": "Ed Escape", "email": "ed@example.org", "role": "coordinator"}):
        assert assert_problem(call("POST", "/api/v1/people", token, json=body), 400)["errors"][0]["field"] == "role"
    # Bob has no place anywhere: the limited coordinator sees him, yet may not make him an admin
    refused = call("PATCH", f"/api/v1/people/{world.colleague.id}", token, json={"role": "admin"})
    assert assert_problem(refused, 400)["errors"][0]["field"] == "role"
    db.session.expire_all()
    assert world.colleague.role == "volunteer"
    assert call("PATCH", f"/api/v1/people/{world.colleague.id}", token, json={"notes": "ok"}).status_code == 200
    added = call("POST", "/api/v1/people", token, json={"name": "Vi Vol", "email": "vi@example.org"})
    assert added.status_code == 201 and added.get_json()["role"] == "volunteer"
    assert call("PATCH", f"/api/v1/people/{world.colleague.id}", world.coordinator_token,
                json={"role": "coordinator"}).status_code == 200  # an unlimited coordinator still may


def test_a_limited_coordinator_decides_no_hours_logged_at_another_site(world, call, clock) -> None:
    """As on /approvals: hours logged at another site are neither listed nor decided by a site coordinator."""
    token = _limited_token(world, clock.now)
    at_shop = new_entry(world.org, clock.now, None, status="pending", membership_id=world.colleague.id,
                        contributor_type="volunteer", kind="time", stage="delivery", hours=Decimal("2"),
                        occurred_at=clock.now, occurred_on=clock.now.date(), site_id=world.shift.site_id)
    db.session.commit()
    for verb in ("approve", "reject"):
        assert_problem(call("POST", f"/api/v1/contributions/{at_shop.id}/{verb}", token), 404)
    db.session.expire_all()
    assert at_shop.status == "pending"
    assert call("POST", f"/api/v1/contributions/{world.entry.id}/approve", token).status_code == 200  # no site
    assert call("POST", f"/api/v1/contributions/{at_shop.id}/approve", world.coordinator_token).status_code == 200


def test_a_limited_coordinator_adds_shifts_at_their_sites_only(world, call, clock) -> None:
    """A shift added at another site would be one she could then neither see nor change."""
    token = _limited_token(world, clock.now)
    body = {"date": "2026-12-12", "start": "09:00", "end": "12:00", "role_id": world.shift.role_id,
            "site_id": world.shift.site_id, "needed": 1}
    assert assert_problem(call("POST", "/api/v1/shifts", token, json=body), 400)["errors"][0]["field"] == "site_id"
    chapel = db.session.scalar(select(Site.id).where(Site.organisation_id == world.org.id, Site.name == "Chapel"))
    assert call("POST", "/api/v1/shifts", token, json={**body, "site_id": chapel}).status_code == 201
    assert call("POST", "/api/v1/shifts", world.coordinator_token, json=body).status_code == 201
