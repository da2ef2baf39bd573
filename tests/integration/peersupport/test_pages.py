"""The peer-support pages: who may see a record (404 for anyone else, every view in the trail), my mothers,
logging a contact, the coordinators' due list."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_member
from tests.querycount import statements_run
from volunteers.contributions.models import Contribution
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.peersupport.models import Contact

from .conftest import Programme, add_case


def _login(client, email: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, email


def _views(org, case_id: int) -> list[AuditLogEntry]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.organisation_id == org.id, AuditLogEntry.action == "peersupport.view_case",
        AuditLogEntry.target_id == case_id).order_by(AuditLogEntry.id)))


@pytest.mark.parametrize("email", ["cora@surestart.example", "ann@example.org"])
def test_the_coordinator_and_the_supporter_see_the_record_and_each_view_is_in_the_trail(
        client, programme: Programme, clock, email: str) -> None:
    _login(client, email)
    page = client.get(f"/cases/{programme.amy.id}")
    assert page.status_code == 200
    assert "Amy" in page.text and "0191 000 0001" in page.text
    client.get(f"/cases/{programme.amy.id}/contacts/new")
    views = _views(programme.org, programme.amy.id)
    viewer = programme.coordinator if email.startswith("cora") else programme.ann
    assert [(v.actor_person_id, v.details["page"], v.created_at) for v in views] == [
        (viewer.person_id, "case", clock.now), (viewer.person_id, "log_contact", clock.now)]
    # the entry holds ids only: no name, phone or note
    assert "Amy" not in str(views[0].details) and "0191" not in str(views[0].details)


@pytest.mark.parametrize("email", ["bob@example.org", "vic@example.org", "olga@elsewhere.example"])
def test_anyone_else_gets_404_and_nothing_is_written(client, programme: Programme, email: str) -> None:
    _login(client, email)
    case = programme.amy.id
    assert client.get(f"/cases/{case}").status_code == 404
    assert client.get(f"/cases/{case}/contacts/new").status_code == 404
    posted = client.post(f"/cases/{case}/contacts/new", data={
        "contact_on": "2026-11-30", "mode": "phone", "minutes": "20"})
    assert posted.status_code == 404
    assert "Amy" not in client.get(f"/cases/{case}").text
    assert _views(programme.org, case) == []
    assert _db.session.scalars(select(Contact).where(Contact.supported_person_id == case)).all() == [
        c for c in _db.session.scalars(select(Contact).where(Contact.supported_person_id == case)) if c.mode == "ward"]


def test_a_volunteer_cannot_open_the_coordinators_pages(client, programme: Programme) -> None:
    _login(client, "ann@example.org")
    assert client.get("/cases/due").status_code == 403
    assert client.get("/cases/hand-over").status_code == 403
    assert client.post(f"/cases/{programme.amy.id}/reassign", data={"reassign-supporter": ""}).status_code == 403


def test_signed_out_is_sent_to_sign_in(client, programme: Programme) -> None:
    assert client.get(f"/cases/{programme.amy.id}").status_code == 302
    assert client.get("/me/mothers").status_code == 302


def test_my_mothers_lists_my_open_cases_next_contact_due_first(client, programme: Programme) -> None:
    _login(client, "ann@example.org")
    page = client.get("/me/mothers")
    assert page.status_code == 200
    text = page.text
    # Cat's ward visit is due by Tue 1 Dec, Amy's 20-week follow-up by Fri 4 Dec; Bea is Bob's
    assert text.index("Cat") < text.index("Amy") and "Bea" not in text
    assert "My mothers" in text  # the menu link
    seen = _db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "peersupport.view_my_cases")).one()
    assert (seen.actor_person_id, seen.target_id) == (programme.ann.person_id, programme.ann.id)
    assert sorted(seen.details["cases"]) == sorted([programme.amy.id, programme.cat.id])
    _login(client, "bob@example.org")
    assert "Bea" in client.get("/me/mothers").text and "Amy" not in client.get("/me/mothers").text


def test_logging_a_contact_defaults_to_today_and_puts_the_time_in_the_ledger(client, programme: Programme,
                                                                             clock) -> None:
    _login(client, "ann@example.org")
    form = client.get(f"/cases/{programme.amy.id}/contacts/new")
    assert 'value="2026-11-30"' in form.text  # today in Europe/London
    done = client.post(f"/cases/{programme.amy.id}/contacts/new", data={
        "contact_on": "2026-11-30", "mode": "phone", "minutes": "25", "outcome": "Feeding well."})
    assert done.status_code == 302 and done.location.endswith("/me/mothers")
    contact = _db.session.scalar(select(Contact).where(Contact.mode == "phone"))
    assert (contact.minutes, contact.membership_id, contact.outcome) == (25, programme.ann.id, "Feeding well.")
    entry = _db.session.get(Contribution, contact.contribution_id)
    assert (entry.kind, entry.stage, entry.hours, entry.membership_id) == ("time", "delivery", Decimal("0.42"),
                                                                          programme.ann.id)
    # the follow-up is done: Amy now has nothing left to do and goes last
    text = client.get("/me/mothers").text
    assert "Every step of the plan is done." in text


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"contact_on": "2026-12-01", "mode": "phone", "minutes": "20"}, "contact_on", "cannot be in the future"),
    ({"contact_on": "2026-11-30", "mode": "phone", "minutes": "721"}, "minutes", "12 hours"),
    ({"contact_on": "2026-11-30", "mode": "phone", "minutes": "0"}, "minutes", "1 to 720"),
    ({"contact_on": "2026-11-30", "mode": "fax", "minutes": "20"}, "mode", "Not a valid choice"),
    ({"contact_on": "30/11/2026", "mode": "phone", "minutes": "20"}, "contact_on", "Not a valid date"),
])
def test_a_refused_contact_names_its_field_and_writes_nothing(client, programme: Programme, data, field,
                                                               words) -> None:
    _login(client, "ann@example.org")
    before = _db.session.scalar(select(Contribution.id).order_by(Contribution.id.desc()).limit(1))
    refused = client.post(f"/cases/{programme.amy.id}/contacts/new", data=data)
    assert refused.status_code == 400
    assert f'id="{field}-error"' in refused.text and words in refused.text
    assert f'href="#{field}"' in refused.text  # the error summary links to the field
    assert _db.session.scalar(select(Contribution.id).order_by(Contribution.id.desc()).limit(1)) == before
    assert _db.session.scalars(select(Contact).where(Contact.mode != "ward")).all() == []


def test_the_due_list_groups_by_counsellor_and_filters(client, programme: Programme, clock) -> None:
    _login(client, "cora@surestart.example")
    page = client.get("/cases/due")
    assert page.status_code == 200
    text = page.text.split('role="search"', 1)[1].split("</form>", 1)[1]  # the groups, after the filters
    assert text.index("Ann Archer") < text.index("Cat") < text.index("Amy") < text.index("Bob Baker") \
        < text.index("Bea")
    assert "9 days late" in text  # Bea's follow-up closed 21 Nov
    overdue = client.get("/cases/due?status=overdue").text
    assert "Bea" in overdue and "Amy" not in overdue
    assert "Bea" not in client.get(f"/cases/due?counsellor={programme.ann.id}").text
    only_felling = client.get("/cases/due?area=Felling").text
    assert "Amy" in only_felling and "Bea" not in only_felling
    follow_ups = client.get("/cases/due?step=follow_up_20w").text
    assert "Cat" not in follow_ups and "Amy" in follow_ups
    assert "Nothing is due" in client.get("/cases/due?counsellor=none").text
    assert client.get("/cases/due?status=nonsense").status_code == 400
    assert client.get("/cases/due?page=x").status_code == 400
    # the coordinator of another organisation sees none of it
    _login(client, "olga@elsewhere.example")
    assert "Amy" not in client.get("/cases/due").text


def test_the_due_list_reads_as_many_statements_for_many_cases_as_for_few(client, programme: Programme) -> None:
    _login(client, "cora@surestart.example")

    def count() -> int:
        client.get("/cases/due")  # warm: the session's first page
        with statements_run() as statements:
            assert client.get("/cases/due").status_code == 200
        return len(statements)

    few = count()
    for n in range(40):
        add_case(programme.org, f"X-{n:03d}", f"Mum{n}", date(2026, 11, 28), [programme.ann, programme.bob][n % 2],
                 area="Felling")
    _db.session.commit()
    assert count() == few


def test_my_mothers_reads_as_many_statements_for_many_cases_as_for_few(client, programme: Programme) -> None:
    _login(client, "ann@example.org")

    def count() -> int:
        client.get("/me/mothers")
        with statements_run() as statements:
            assert client.get("/me/mothers").status_code == 200
        return len(statements)

    few = count()
    for n in range(30):
        add_case(programme.org, f"Y-{n:03d}", f"Mum{n}", date(2026, 11, 20 - n % 10), programme.ann)
    _db.session.commit()
    assert count() == few


def test_no_contact_is_logged_on_a_closed_case(client, programme: Programme) -> None:
    amy = programme.amy
    amy.status, amy.closed_on, amy.closed_reason = "closed", date(2026, 11, 29), "declined"
    _db.session.commit()
    _login(client, "ann@example.org")
    refused = client.post(f"/cases/{programme.amy.id}/contacts/new", data={
        "contact_on": "2026-11-30", "mode": "phone", "minutes": "20"})
    assert refused.status_code == 400 and "This case is closed" in refused.text
    assert _db.session.scalars(select(Contact).where(Contact.mode != "ward")).all() == []
    assert "Log a contact" not in client.get(f"/cases/{programme.amy.id}").text


def test_a_supporter_who_coordinates_elsewhere_cannot_reassign_or_close_her_case(client, programme: Programme) -> None:
    """``coordinator_required`` judges the organisation chosen in the session; the case's own one decides."""
    make_member(programme.other, "ann@example.org", role="coordinator")
    _db.session.commit()
    _login(client, "ann@example.org")
    assert client.post("/switch", data={"organisation_id": programme.other.id}).status_code == 302
    moved = client.post(f"/cases/{programme.amy.id}/reassign", data={"reassign-supporter": str(programme.vic.id)})
    closed = client.post(f"/cases/{programme.cat.id}/close",
                         data={"close-reason": "moved_away", "close-closed_on": "2026-11-30"})
    assert (moved.status_code, closed.status_code) == (404, 404)
    _db.session.expire_all()
    assert programme.amy.supporter_membership_id == programme.ann.id
    assert programme.cat.status == "open"
