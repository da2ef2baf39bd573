"""The API's writes are audited: tokens made and revoked on /me/tokens (the name, never the token), and a
coordinator's token assigning, removing and acknowledging (the services' entries, the token's person the actor)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_role, make_shift, make_site
from volunteers.api import tokens
from volunteers.api.models import ApiToken
from volunteers.contributions import services as contributions
from volunteers.extensions import db
from volunteers.peersupport import casework
from volunteers.wellbeing.models import LoadWarning

from .conftest import only
from .coverage import audits


@audits("api_pages.tokens_page", "api_pages.revoke")
def test_token_made_and_revoked(client, auth, trail, clock) -> None:
    auth.login("cora@tackley.example")
    page = client.post("/me/tokens", data={"name": "Hall screen", "scope": "write", "days": "30"})
    assert page.status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Hall screen"))
    made = only(trail.org, "api.token_create")
    assert (made.actor_person_id, made.target_type, made.target_id) == (
        trail.coordinator.person_id, "api_token", token.id)
    assert made.details["scope"] == "write" and made.created_at == clock.now
    assert "vol_" not in str(made.details)
    client.post(f"/me/tokens/{token.id}/revoke")
    revoked = only(trail.org, "api.token_revoke")
    assert (revoked.actor_person_id, revoked.target_id) == (trail.coordinator.person_id, token.id)


@audits("api.assign", "api.acknowledge")
def test_api_assign_remove_and_acknowledge(client, trail, clock) -> None:
    org = trail.org
    shift = make_shift(org, make_role(org), make_site(org), date(2026, 12, 7), needed=2)
    warning = LoadWarning(organisation_id=org.id, membership_id=trail.admin.id, rule="weekly_load",
                          episode_key="weekly_load:1", severity="warning", status="open",
                          window_start=clock.now - timedelta(days=7), window_end=clock.now, value=16, threshold=15,
                          message="16 h of load in 7 days", evidence={})
    db.session.add(warning)
    token = tokens.create_token(org, trail.coordinator, "bot", "write", 5, clock.now).token
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    made = client.post(f"/api/v1/shifts/{shift.id}/assignments", json={"membership_id": trail.volunteer.id},
                       headers=headers)
    assert made.status_code == 201, made.get_data(as_text=True)
    assignment_id = made.get_json()["assignment_id"]
    entry = only(org, "rota.assign")
    assert (entry.actor_person_id, entry.target_id) == (trail.coordinator.person_id, assignment_id)
    client.delete(f"/api/v1/assignments/{assignment_id}", headers=headers)
    assert only(org, "rota.remove").actor_person_id == trail.coordinator.person_id
    client.post(f"/api/v1/warnings/{warning.id}/acknowledge", json={"note": "Talked"}, headers=headers)
    ack = only(org, "wellbeing.acknowledge")
    assert (ack.actor_person_id, ack.target_id, ack.reason) == (trail.coordinator.person_id, warning.id, "Talked")


@audits("api.create_shift", "api.cancel_shift", "api.snooze", "api.approve", "api.reject", "api.reverse")
def test_api_shift_warning_and_ledger_writes(client, trail, clock) -> None:
    org, actor = trail.org, trail.coordinator.person_id
    role, site = make_role(org), make_site(org)
    warning = LoadWarning(organisation_id=org.id, membership_id=trail.admin.id, rule="weekly_load",
                          episode_key="weekly_load:1", severity="warning", status="open",
                          window_start=clock.now - timedelta(days=7), window_end=clock.now, value=16, threshold=15,
                          message="16 h of load in 7 days", evidence={})
    db.session.add(warning)
    first, second = (contributions.log_hours(org, trail.volunteer, date(2026, 11, 28), "2", None, None, clock.now)
                     for _ in range(2))
    token = tokens.create_token(org, trail.coordinator, "bot", "write", 5, clock.now).token
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    made = client.post("/api/v1/shifts", headers=headers, json={
        "date": "2026-12-07", "start": "09:00", "end": "13:00", "role_id": role.id, "site_id": site.id})
    shift_id = made.get_json()["id"]
    assert (only(org, "shifts.create").actor_person_id, only(org, "shifts.create").target_id) == (actor, shift_id)
    client.post(f"/api/v1/shifts/{shift_id}/cancel", headers=headers, json={"reason": "Hall flooded"})
    assert only(org, "shifts.cancel_shift").reason == "Hall flooded"
    client.post(f"/api/v1/warnings/{warning.id}/snooze", headers=headers, json={"until": "2026-12-10"})
    assert only(org, "wellbeing.snooze").target_id == warning.id
    client.post(f"/api/v1/contributions/{first.id}/approve", headers=headers)
    client.post(f"/api/v1/contributions/{second.id}/reject", headers=headers)
    client.post(f"/api/v1/contributions/{first.id}/reverse", headers=headers, json={"reason": "Logged twice"})
    assert (only(org, "contributions.approve").target_id, only(org, "contributions.reject").target_id) == (
        first.id, second.id)
    assert only(org, "contributions.reverse").reason == "Logged twice"
    assert {only(org, a).actor_person_id for a in ("wellbeing.snooze", "contributions.reverse")} == {actor}


@audits("api.create_person")
def test_api_person_added(client, trail, clock) -> None:
    token = tokens.create_token(trail.org, trail.coordinator, "bot", "write", 5, clock.now).token
    db.session.commit()
    made = client.post("/api/v1/people", json={"name": "Dee Dawson", "email": "dee@example.org"},
                       headers={"Authorization": f"Bearer {token}"})
    entry = only(trail.org, "people.create")
    assert (entry.actor_person_id, entry.target_id) == (trail.coordinator.person_id, made.get_json()["id"])
    assert entry.details["role"] == "volunteer"


@audits("api.add_leave", "api.add_qualification", "api.record_contribution", "api.log_contact")
def test_api_people_ledger_and_casework_writes(client, trail, clock) -> None:
    org, actor = trail.org, trail.coordinator.person_id
    token = tokens.create_token(org, trail.coordinator, "bot", "write", 5, clock.now).token
    case = casework.register(org, casework.NewCase("R1", "Mia", date(2026, 11, 1), None, None, None, None, None,
                                                   trail.volunteer.id), now=clock.now, actor=trail.coordinator)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    person = f"/api/v1/people/{trail.volunteer.id}"
    leave = client.post(f"{person}/leave", headers=headers, json={"starts_on": "2026-12-20", "reason": "Surgery"})
    entry = only(org, "people.leave_add")
    assert (entry.actor_person_id, entry.target_id, entry.details["leave_id"]) == (
        actor, trail.volunteer.id, leave.get_json()["id"])
    assert "Surgery" not in str(entry.details)
    client.delete(f"{person}/leave/{leave.get_json()['id']}", headers=headers)
    assert only(org, "people.leave_remove").actor_person_id == actor
    made = client.post(f"{person}/qualifications", headers=headers, json={"name": "First aid"})
    assert only(org, "people.qualification_add").details["qualification_id"] == made.get_json()["qualification_id"]
    client.delete(f"{person}/qualifications/{made.get_json()['qualification_id']}", headers=headers)
    assert only(org, "people.qualification_remove").actor_person_id == actor
    client.put(f"{person}/availability", headers=headers, json={"pattern": "Tue 10:00-12:00"})
    assert only(org, "people.availability_set").details["changes"]["availability"][1] == "Tue 10:00-12:00"
    client.patch(person, headers=headers, json={"status": "paused"})
    assert only(org, "people.update").details["changes"]["status"] == ["active", "paused"]
    gift = client.post("/api/v1/contributions", headers=headers, json={
        "kind": "in_kind", "date": "2026-11-20", "amount": 40, "contributor_name": "Village bakery"})
    assert (only(org, "contributions.record").actor_person_id, only(org, "contributions.record").target_id) == (
        actor, gift.get_json()["id"])
    client.post(f"/api/v1/cases/{case.id}/contacts", headers=headers, json={"mode": "phone", "minutes": 10})
    logged = only(org, "peersupport.log_contact")
    assert (logged.actor_person_id, logged.target_id) == (actor, case.id)
