"""Tenancy: other organisations' records are 404, coordinator pages 403 for volunteers."""
from __future__ import annotations

import pytest

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.people.models import Membership


@pytest.fixture()
def two_orgs(db):
    from datetime import date

    tackley = make_org("tackley", "Tackley Village Shop")
    surestart = make_org("surestart", "Sure Start peer counsellors")
    make_member(tackley, "coordinator@tackley.example", role="coordinator")
    vol = make_member(tackley, "volunteer@tackley.example", name="Tess Volunteer")
    make_member(surestart, "coordinator@surestart.example", role="coordinator")
    other = make_member(surestart, "counsellor@surestart.example", name="Sam Counsellor")
    both = make_member(tackley, "jo@example.org", name="Jo Both")
    make_member(surestart, "jo@example.org")
    role, site = make_role(tackley), make_site(tackley)
    shift = make_shift(tackley, role, site, date(2030, 1, 7))
    put_on(shift, vol)
    s_role, s_site = make_role(surestart, "Helpline"), make_site(surestart, "Helpline (remote)")
    make_shift(surestart, s_role, s_site, date(2030, 1, 7))
    db.session.commit()
    return {"tackley": tackley, "surestart": surestart, "volunteer": vol, "other": other, "both": both}


COORDINATOR_PAGES = ["/rota", "/people", "/people/new", "/people/import"]


@pytest.mark.parametrize("path", COORDINATOR_PAGES + ["/me/shifts", "/"])
def test_anonymous_users_are_sent_to_login(client, db, path) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_volunteers_get_403_on_coordinator_pages(client, auth, two_orgs, path) -> None:
    auth.login("volunteer@tackley.example")
    assert client.get(path).status_code == 403


def test_coordinator_sees_own_people_only(client, auth, two_orgs) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/people").get_data(as_text=True)
    assert "volunteer@tackley.example" in page
    assert "counsellor@surestart.example" not in page


def test_coordinator_gets_404_for_another_orgs_person(client, auth, two_orgs) -> None:
    auth.login("coordinator@tackley.example")
    other_id = two_orgs["other"].id
    assert client.get(f"/people/{other_id}").status_code == 404
    assert client.post(f"/people/{other_id}", data={"name": "x"}).status_code == 404
    assert client.post(f"/people/{other_id}/invite").status_code == 404
    assert client.post(f"/people/{other_id}/qualifications", data={"qualification": "x"}).status_code == 404
    assert client.post(f"/people/{other_id}/qualifications/1/remove").status_code == 404


def test_board_shows_only_own_shifts(client, auth, two_orgs) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/rota?week=2030-01-07").get_data(as_text=True)
    assert "Shop counter" in page and "Helpline" not in page


def test_person_in_two_orgs_can_switch(client, auth, two_orgs, db) -> None:
    auth.login("jo@example.org")
    first = client.get("/me/shifts").get_data(as_text=True)
    assert "Tackley Village Shop" in first
    response = client.post("/switch", data={"organisation_id": two_orgs["surestart"].id})
    assert response.status_code == 302
    # the header's brand names the organisation now in use (its full name in the title, for when it is cut short)
    assert 'title="Sure Start peer counsellors">Sure Start peer counsellors</a>' in client.get("/me/shifts").get_data(
        as_text=True)


def test_switching_to_an_org_you_are_not_in_is_404(client, auth, two_orgs) -> None:
    auth.login("volunteer@tackley.example")
    assert client.post("/switch", data={"organisation_id": two_orgs["surestart"].id}).status_code == 404


def test_database_refuses_an_assignment_across_organisations(two_orgs, db) -> None:
    from sqlalchemy.exc import IntegrityError

    from volunteers.rota.models import Assignment, Shift

    tackley_shift = db.session.scalar(db.select(Shift).where(Shift.organisation_id == two_orgs["tackley"].id))
    stranger: Membership = two_orgs["other"]
    db.session.add(Assignment(organisation_id=tackley_shift.organisation_id, shift_id=tackley_shift.id,
                              membership_id=stranger.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
