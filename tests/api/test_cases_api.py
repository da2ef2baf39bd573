"""Peer support through the API: a supporter sees only her own mothers, coordinators every case of the
organisation; every read of records is in the audit trail (ids only); contacts are logged by the service."""
from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_member
from volunteers.contributions.models import Contribution
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.peersupport.models import Contact

from .conftest import World, assert_problem, token_for


def _trail(world: World, action: str) -> list[AuditLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.organisation_id == world.org.id, AuditLogEntry.action == action).order_by(AuditLogEntry.id)))


def test_a_supporter_sees_her_own_mothers_and_no_one_elses(world, call) -> None:
    assert world.case is not None
    mine = call("GET", "/api/v1/cases", world.volunteer_token).get_json()
    assert [c["reference"] for c in mine["items"]] == ["REF-tackley"]
    assert call("GET", "/api/v1/cases", world.colleague_token).get_json()["items"] == []
    assert_problem(call("GET", f"/api/v1/cases/{world.case.id}", world.colleague_token), 404)
    assert_problem(call("POST", f"/api/v1/cases/{world.case.id}/contacts", world.colleague_token,
                        json={"mode": "phone", "minutes": 5}), 404)
    logged = call("POST", f"/api/v1/cases/{world.case.id}/contacts", world.volunteer_token,
                  json={"mode": "phone", "minutes": 15})
    assert logged.status_code == 201, logged.get_data(as_text=True)
    case = call("GET", f"/api/v1/cases/{world.case.id}", world.volunteer_token).get_json()
    assert case["first_name"] == "Mia" and [c["mode"] for c in case["contacts"]] == ["phone"]
    assert case["contacts"][0]["by"] == "Ann Archer" and case["steps"]
    views = _trail(world, "peersupport.view_case")
    assert [(v.actor_person_id, v.target_id, v.details["page"]) for v in views] == [
        (world.volunteer.person_id, world.case.id, "log_contact"),
        (world.volunteer.person_id, world.case.id, "api")]  # the refused reads left no entry
    lists = _trail(world, "peersupport.view_my_cases")
    assert [v.details["cases"] for v in lists] == [[world.case.id], []]
    assert "Mia" not in str([v.details for v in views + lists])


def test_coordinators_see_every_case_and_the_due_list(world, call) -> None:
    assert world.case is not None
    every = call("GET", "/api/v1/cases?status=all", world.coordinator_token).get_json()
    assert [c["id"] for c in every["items"]] == [world.case.id]
    assert call("GET", "/api/v1/cases?status=closed", world.coordinator_token).get_json()["items"] == []
    due = call("GET", "/api/v1/cases/due?status=all", world.coordinator_token)
    assert due.status_code == 200, due.get_data(as_text=True)
    items = due.get_json()["items"]
    assert items and {i["case_id"] for i in items} == {world.case.id}
    assert {i["supporter_membership_id"] for i in items} == {world.volunteer.id}
    assert [i["due_by"] for i in items] == sorted(i["due_by"] for i in items)
    [entry] = _trail(world, "peersupport.view_due")
    assert entry.details["cases"] == [world.case.id] and entry.details["filters"] == {"status": "all"}
    bad = call("GET", "/api/v1/cases/due?step=no-such-step", world.coordinator_token)
    assert assert_problem(bad, 400)["errors"][0]["field"] == "step"
    assert_problem(call("GET", "/api/v1/cases/due", world.volunteer_token), 403)
    nobody = call("GET", "/api/v1/cases/due?status=all&counsellor=none", world.coordinator_token).get_json()
    assert nobody["items"] == []


def test_the_due_list_pages_with_a_cursor(world, call) -> None:
    seen, url = [], "/api/v1/cases/due?status=all&limit=1"
    while url:
        body = call("GET", url, world.coordinator_token).get_json()
        seen += [(i["step"], i["due_by"]) for i in body["items"]]
        url = body["next"]
    everything = call("GET", "/api/v1/cases/due?status=all&limit=100", world.coordinator_token).get_json()
    assert seen == [(i["step"], i["due_by"]) for i in everything["items"]] and len(seen) >= 1


def test_a_supporter_logs_a_contact_and_its_time_reaches_the_ledger(world, call, clock) -> None:
    assert world.case is not None
    url = f"/api/v1/cases/{world.case.id}/contacts"
    made = call("POST", url, world.volunteer_token, json={"mode": "home", "minutes": 45, "date": "2026-11-29"})
    assert made.status_code == 201, made.get_data(as_text=True)
    contact = db.session.get(Contact, made.get_json()["id"])
    assert (contact.membership_id, contact.minutes, str(contact.contact_on)) == (world.volunteer.id, 45,
                                                                               "2026-11-29")
    assert db.session.get(Contribution, contact.contribution_id).membership_id == world.volunteer.id
    logged = _trail(world, "peersupport.log_contact")
    assert logged[-1].details["contact"] == contact.id and logged[-1].actor_person_id == world.volunteer.person_id
    future = call("POST", url, world.volunteer_token, json={"mode": "home", "minutes": 45, "date": "2026-12-25"})
    assert assert_problem(future, 400)["errors"][0]["field"] == "date"
    assert_problem(call("POST", url, world.volunteer_token, json={"mode": "carrier-pigeon", "minutes": 5}), 400)
    assert_problem(call("POST", url, world.volunteer_read_token, json={"mode": "home", "minutes": 5}), 403)
    world.case.status, world.case.closed_on, world.case.closed_reason = "closed", clock.now.date(), "moved_away"
    db.session.commit()
    assert_problem(call("POST", url, world.volunteer_token, json={"mode": "home", "minutes": 5}), 422)


def test_a_coordinator_who_must_enrol_two_factor_reads_no_record(world, call) -> None:
    assert world.case is not None
    world.org.settings = {**world.org.settings, "require_two_factor_for_coordinators": True}
    db.session.commit()
    for path in (f"/api/v1/cases/{world.case.id}", "/api/v1/cases", "/api/v1/cases/due"):
        assert assert_problem(call("GET", path, world.coordinator_token), 403)["type"].endswith("two-factor-required")
    assert not _trail(world, "peersupport.view_case") and not _trail(world, "peersupport.view_due")


def test_a_paused_membership_lists_no_records(world, call, clock) -> None:
    """The access rule (peersupport.domain.access): a paused membership opens no record, list or due list —
    the pages refuse it (b782d58); the API's list gave a paused coordinator every mother's name and phone."""
    assert world.case is not None
    paused_lead = make_member(world.org, "pat@tackley.example", role="admin", name="Pat Paused")
    paused_lead.status = "paused"
    world.volunteer.status = "paused"
    lead_token = token_for(paused_lead, clock.now)
    db.session.commit()
    for token in (lead_token, world.volunteer_token):
        assert_problem(call("GET", "/api/v1/cases?status=all", token), 403)
        assert_problem(call("GET", f"/api/v1/cases/{world.case.id}", token), 404)
    assert _trail(world, "peersupport.view_case") == []
