"""The coordinator's people pages: list, filter, add, edit, qualifications, invite, import."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from tests.integration.auth_support import send
from tests.querycount import statements_run
from volunteers.mail.models import OutboxMessage
from volunteers.people import services, supervision
from volunteers.people.domain.availability import parse_availability
from volunteers.people.models import AvailabilityWindow, Membership, Person, PersonQualification


@pytest.fixture()
def org(db, auth, clock):
    """The organisation, its coordinator signed in; the app's clock is the test's (``clock``), never the day the
    tests run."""
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    bob = make_member(org, "bob@example.org", name="Bob Baker")
    bob.status = "paused"
    dbs = services.qualification_named(org, "DBS check")
    services.set_qualification(org, ann, dbs, clock.now.date() + timedelta(days=20))
    po = services.qualification_named(org, "Post Office training")
    services.set_qualification(org, bob, po, clock.now.date() + timedelta(days=400))
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return org


def test_list_shows_people_and_expiry_badges(client, org) -> None:
    page = client.get("/people").get_data(as_text=True)
    assert "Ann Archer" in page and "Bob Baker" in page
    assert 'class="badge soon"' in page


def test_search_and_filters(client, org) -> None:
    assert "Bob Baker" not in client.get("/people?q=ann").get_data(as_text=True)
    paused = client.get("/people?status=paused").get_data(as_text=True)
    assert "Bob Baker" in paused and "Ann Archer" not in paused
    expiring = client.get("/people?expiring=1").get_data(as_text=True)
    assert "Ann Archer" in expiring and "Bob Baker" not in expiring


def test_htmx_filter_returns_only_the_rows(client, org) -> None:
    page = client.get("/people?q=bob", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in page and "Bob Baker" in page


def test_list_uses_a_constant_number_of_queries(client, org, db) -> None:
    def count_queries() -> int:
        with statements_run() as statements:
            client.get("/people")
        return len(statements)

    few = count_queries()
    for i in range(15):
        m = make_member(org, f"extra{i}@example.org", password=None)
        services.set_qualification(org, m, services.qualification_named(org, "DBS check"), None)
    db.session.commit()
    assert count_queries() == few


def test_a_persons_page_runs_five_statements_however_much_they_have_on_record(client, org, db, clock) -> None:
    ann = services.membership_for_email(org, "ann@example.org")
    cora = services.membership_for_email(org, "coordinator@tackley.example")
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302
    url = f"/people/{ann.id}"

    def count_queries() -> list[str]:
        with statements_run() as statements:
            assert send(client, "GET", url).status_code == 200  # in an app context of its own, as in production
        return statements

    few = count_queries()
    today = clock.now.date()
    for k in range(4):
        supervision.record_session(org, ann, today - timedelta(days=10 * k), cora.id if k % 2 else None, "ok", today)
        services.set_qualification(org, ann, services.qualification_named(org, f"Course {k}"), None)
    services.set_availability(org, ann, parse_availability("Mon 09:00-13:00; Wed 14:00-18:00; Sat 22:00-02:00"))
    archived = services.qualification_named(org, "Course 0")
    archived.archived_at = clock.now  # its record still shows; a lazy load of it cost one more statement
    db.session.commit()
    many = count_queries()
    page = send(client, "GET", url).get_data(as_text=True)
    assert "Course 0" in page and "Cora Ordinator" in page
    assert "Mon 09:00-13:00; Wed 14:00-18:00; Sat 22:00-02:00" in page  # the windows read with the member
    # who is signed in (with the organisation's change mark: the page is served at it, below), the member
    # with their person and availability, the qualifications with their records, their supervision sessions with
    # the supervisors' names, the coordinators who may supervise
    assert len(few) == len(many) == 5, "\n".join(many)
    # served at the unchanged mark (people.kept_pages.person_at_mark): who is signed in alone
    assert len(count_queries()) == 1


def test_add_a_volunteer(client, org, db) -> None:
    response = client.post("/people/new", data={
        "name": "Cat Carter", "email": "Cat@Example.org", "role": "volunteer", "status": "active",
        "pledged_hours_per_week": "3", "availability": "Tue 09:00-13:00",
    })
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "cat@example.org"))
    assert person is not None and person.name == "Cat Carter"
    assert db.session.scalar(select(AvailabilityWindow.weekday)) == 1


def test_add_refuses_bad_availability_naming_the_field(client, org, db) -> None:
    response = client.post("/people/new", data={
        "name": "Cat", "email": "cat@example.org", "role": "volunteer", "status": "active",
        "availability": "Funday 9-5",
    })
    assert response.status_code == 400
    assert 'id="availability-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Person).where(Person.email == "cat@example.org")) is None


def test_add_refuses_an_existing_member(client, org) -> None:
    response = client.post("/people/new", data={
        "name": "Ann", "email": "ann@example.org", "role": "volunteer", "status": "active",
    })
    assert response.status_code == 400
    assert "already a member" in response.get_data(as_text=True)


def test_edit_pledge_and_status(client, org, db) -> None:
    ann = services.membership_for_email(org, "ann@example.org")
    response = client.post(f"/people/{ann.id}", data={
        "name": "Ann Archer", "email": "ann@example.org", "role": "volunteer", "status": "paused",
        "pledged_hours_per_week": "6",
    })
    assert response.status_code == 302
    db.session.expire_all()
    ann = db.session.get(Membership, ann.id)
    assert ann.status == "paused" and float(ann.pledged_hours_per_week) == 6


def test_record_and_remove_a_qualification(client, org, db) -> None:
    ann = services.membership_for_email(org, "ann@example.org")
    client.post(f"/people/{ann.id}/qualifications", data={"qualification": "First aid", "expires_on": "2027-05-01"})
    record = db.session.scalar(
        select(PersonQualification)
        .where(PersonQualification.membership_id == ann.id, PersonQualification.expires_on == date(2027, 5, 1))
    )
    assert record is not None
    client.post(f"/people/{ann.id}/qualifications/{record.qualification_id}/remove")
    assert db.session.get(PersonQualification, record.id) is None


def test_invite_queues_an_email(client, org, db) -> None:
    ann = services.membership_for_email(org, "ann@example.org")
    assert client.post(f"/people/{ann.id}/invite").status_code == 302
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == "ann@example.org" and "/invite/" in message.body_text


def test_import_page_all_or_nothing(client, org, db) -> None:
    bad = b"name,email\nDee,dee@example.org\nEve,not-an-email\n"
    response = client.post("/people/import", data={"file": (io.BytesIO(bad), "people.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "people.csv:3: field &#39;email&#39;" in response.get_data(as_text=True)
    assert services.membership_for_email(org, "dee@example.org") is None
    empty = client.post("/people/import", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choose a CSV file to import." in empty.get_data(as_text=True)
    good = b"name,email\nDee,dee@example.org\n"
    response = client.post("/people/import", data={"file": (io.BytesIO(good), "people.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert services.membership_for_email(org, "dee@example.org") is not None


def test_edit_refuses_an_email_someone_else_signs_in_with(client, org, db) -> None:
    ann = services.membership_for_email(org, "ann@example.org")
    response = client.post(f"/people/{ann.id}", data={
        "name": "Ann Archer", "email": "BOB@example.org", "role": "volunteer", "status": "active",
    })
    assert response.status_code == 400
    assert "already signs in with that e-mail" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, ann.id).person.email == "ann@example.org"
