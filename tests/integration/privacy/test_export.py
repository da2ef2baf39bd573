"""Right of access: /me/data, a coordinator's download of a member, and the audit of each."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from tests.integration.privacy.helpers import build, unzip
from volunteers.core.models import AuditLogEntry


def _sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": "correct horse battery"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_volunteer_downloads_everything_held_about_them_in_every_organisation(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "ann@example.org")
    response = client.get("/me/data")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"  # personal data: no copy kept on the way
    assert "volunteers-data-2026-11-30.zip" in response.headers["Content-Disposition"]
    data, csvs = unzip(response.data)
    assert data["person"]["email"] == "ann@example.org" and data["person"]["has_password"] is True
    assert {m["organisation_slug"] for m in data["memberships"]} == {"tackley", "surestart"}
    assert {q["qualification"] for q in data["qualifications"]} == {"DBS check", "Peer counsellor course"}
    assert len(data["availability"]) == 2 and data["leave"][0]["reason"] == "Hospital appointment"
    assert {a["shift_date"] for a in data["assignments"]} == {"2026-11-02", "2026-11-03", "2026-12-14"}
    assert {(c["status"], c["hours"]) for c in data["contributions"]} == {
        ("approved", "4.00"), ("pending", "2.00")}
    assert {m["subject"] for m in data["messages"]} == {
        "About your shifts (tackley:reminder)", "About your shifts (tackley:rota)",
        "About your shifts (surestart:rota)", "About your shifts (password-reset)"}
    targets = {(e["action"], e["target_id"]) for e in data["audit_entries"]}
    assert ("people.update", world.ann.id) in targets and ("people.update", world.ann_there.id) in targets
    assert data["memberships"][0]["notes"] == "Carer for her mother"
    # no secrets, anywhere
    everything = str(data) + "".join(csvs.values())
    assert "password_hash" not in everything and "argon2" not in everything and "calendar_token" not in everything
    assert set(csvs) == {f"{t}.csv" for t in ("person", "memberships", "qualifications", "availability", "leave",
                                              "assignments", "shift_offers", "contributions", "load_warnings",
                                              "messages", "audit_entries")}
    person_rows = list(csv.DictReader(io.StringIO(csvs["person.csv"])))
    assert person_rows[0]["name"] == '\'=HYPERLINK("http://evil.example","Ann")'  # inert in a spreadsheet
    assert data["person"]["name"] == '=HYPERLINK("http://evil.example","Ann")'  # the JSON holds it as it is
    assert data["shift_offers"][0]["note"] == "Hospital appointment that morning"
    assert data["load_warnings"][0]["acknowledged_note"] == "Going through a divorce"
    assert csvs["leave.csv"].splitlines()[0].startswith("id,organisation_id")


def test_each_download_is_audited_in_each_organisation_it_covers(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "ann@example.org")
    assert client.get("/me/data").status_code == 200
    entries = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "privacy.export")).all()
    assert {e.organisation_id for e in entries} == {world.tackley.id, world.surestart.id}
    assert all(e.actor_person_id == world.ann.person_id and e.target_id == world.ann.person_id for e in entries)
    assert all(e.created_at == clock.now and e.details["source"] == "web" for e in entries)
    assert "ann@example.org" not in str([e.details for e in entries])


def test_a_coordinator_downloads_only_their_organisations_data_about_a_member(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "sam@surestart.example")
    response = client.get(f"/people/{world.ann_there.id}/data.zip")
    assert response.status_code == 200
    data, csvs = unzip(response.data)
    assert [m["organisation_slug"] for m in data["memberships"]] == ["surestart"]
    assert [q["qualification"] for q in data["qualifications"]] == ["Peer counsellor course"]
    assert {a["organisation_id"] for a in data["assignments"]} == {world.surestart.id}
    assert {c["organisation_id"] for c in data["contributions"]} == {world.surestart.id}
    assert [m["subject"] for m in data["messages"]] == ["About your shifts (surestart:rota)"]
    assert {e["organisation_id"] for e in data["audit_entries"]} == {world.surestart.id}
    assert data["leave"] == [] and "Carer" not in str(data) + "".join(csvs.values())
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "privacy.export"))
    assert entry is not None and entry.organisation_id == world.surestart.id
    assert entry.actor_person_id == world.other_coordinator.person_id and entry.details["source"] == "web"


def test_another_organisations_member_is_a_404_for_a_coordinator(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "sam@surestart.example")
    assert client.get(f"/people/{world.bob.id}/data.zip").status_code == 404
    assert client.get(f"/people/{world.ann.id}/data.zip").status_code == 404  # Ann's Tackley membership


def test_a_volunteer_cannot_download_someone_elses_data(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "bob@tackley.example")
    assert client.get(f"/people/{world.ann.id}/data.zip").status_code == 404
    assert client.get(f"/people/{world.bob.id}/data.zip").status_code == 404  # not even their own, this way
    data, _ = unzip(client.get("/me/data").data)
    assert data["person"]["email"] == "bob@tackley.example"
    assert db.session.scalar(select(AuditLogEntry.id).where(AuditLogEntry.target_id == world.ann.person_id,
                                                            AuditLogEntry.action == "privacy.export")) is None


def test_signing_in_is_needed_for_a_download(client, db) -> None:
    response = client.get("/me/data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_people_page_and_my_pages_link_to_the_downloads(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "cora@tackley.example")
    page = client.get(f"/people/{world.ann.id}").get_data(as_text=True)
    assert f"/people/{world.ann.id}/data.zip" in page and f"/people/{world.ann.id}/erase" in page
    assert 'href="/me/data"' in client.get("/me/shifts").get_data(as_text=True)


def test_a_coordinator_who_must_set_up_two_factor_first_gets_no_download(client, db, clock) -> None:
    world = build(clock.now)
    world.tackley.settings = {"require_two_factor_for_coordinators": True}
    db.session.commit()
    _sign_in(client, "cora@tackley.example")
    response = client.get(f"/people/{world.ann.id}/data.zip")
    assert response.status_code == 302 and "/me/security" in response.headers["Location"]
    assert db.session.scalar(select(AuditLogEntry.id).where(AuditLogEntry.action == "privacy.export")) is None
