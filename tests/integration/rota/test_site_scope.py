"""Site coordinators: a coordinator limited to some sites sees only those sites; another site's ids are 404.

Tested like tenancy (tests/integration/test_tenancy.py): the board and the
shift panel of a coordinator limited to Gateshead show nothing of Sunderland,
and Sunderland's shift ids answer 404, reads and writes alike; an admin, and
a coordinator with no limit, see every site.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.core.models import Organisation
from volunteers.people.models import Membership
from volunteers.rota import site_scope
from volunteers.rota.models import CoordinatorSite, Shift, ShiftSeries, Site

DAY = date(2030, 1, 7)


@dataclass
class Areas:
    org: Organisation
    admin: Membership
    lead: Membership  # limited to Gateshead
    deputy: Membership  # no limit
    ann: Membership
    gateshead: Site
    sunderland: Site
    here: Shift
    there: Shift


@pytest.fixture()
def areas(db) -> Areas:
    org = make_org("surestart", "Sure Start peer counsellors")
    admin = make_member(org, "ada@surestart.example", role="admin", name="Ada Admin")
    lead = make_member(org, "gail@surestart.example", role="coordinator", name="Gail Lead")
    deputy = make_member(org, "dora@surestart.example", role="coordinator", name="Dora Deputy")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    role = make_role(org, "Ward visit")
    gateshead, sunderland = make_site(org, "Gateshead ward"), make_site(org, "Sunderland ward")
    here = make_shift(org, role, gateshead, DAY, time(9), time(12))
    there = make_shift(org, role, sunderland, DAY, time(13), time(16))
    put_on(there, ann)
    db.session.add(CoordinatorSite(organisation_id=org.id, membership_id=lead.id, site_id=gateshead.id))
    db.session.commit()
    return Areas(org, admin, lead, deputy, ann, gateshead, sunderland, here, there)


@pytest.mark.parametrize("view", ["", "&view=month&month=2030-01", "&day=2030-01-07"])
def test_a_limited_coordinator_s_board_shows_only_their_sites(client, auth, areas, view) -> None:
    auth.login("gail@surestart.example")
    page = client.get(f"/rota?week=2030-01-07{view}").get_data(as_text=True)
    assert "Gateshead ward" in page and "13:00" not in page
    assert "Sunderland ward" not in page  # neither the card nor the site filter


@pytest.mark.parametrize("email", ["ada@surestart.example", "dora@surestart.example"])
def test_admins_and_unlimited_coordinators_see_every_site(client, auth, areas, email) -> None:
    auth.login(email)
    page = client.get("/rota?week=2030-01-07").get_data(as_text=True)
    assert "Gateshead ward" in page and "Sunderland ward" in page and "13:00" in page
    assert client.get(f"/rota/shifts/{areas.there.id}").status_code == 200


def test_another_site_s_shift_is_404_for_a_limited_coordinator(client, auth, areas, db) -> None:
    auth.login("gail@surestart.example")
    there = areas.there.id
    assert client.get(f"/rota/shifts/{areas.here.id}").status_code == 200
    assert client.get(f"/rota/shifts/{there}").status_code == 404
    assert client.post(f"/rota/shifts/{there}/assign", data={"membership_id": areas.ann.id}).status_code == 404
    assert client.post(f"/rota/shifts/{there}/needed", data={"needed": "3"}).status_code == 404
    assert client.post(f"/rota/shifts/{there}/cancel", data={"reason": "x"}).status_code == 404
    assert client.post(f"/rota/shifts/{there}/undo").status_code == 404
    db.session.expire_all()
    assert db.session.get(Shift, there).status == "planned" and db.session.get(Shift, there).needed == 2


def test_another_site_s_place_cannot_be_removed(client, auth, areas, db) -> None:
    from volunteers.rota.models import Assignment

    auth.login("gail@surestart.example")
    place = db.session.scalar(db.select(Assignment).where(Assignment.shift_id == areas.there.id))
    assert client.post(f"/rota/assignments/{place.id}/remove").status_code == 404
    db.session.expire_all()
    assert db.session.get(Assignment, place.id).status == "assigned"


def test_another_site_s_place_cannot_be_replaced(client, auth, areas, db) -> None:
    """The auto-rota's "replace this person" page and its save answer 404 as the panel does."""
    from volunteers.rota.models import Assignment

    auth.login("gail@surestart.example")
    place = db.session.scalar(db.select(Assignment).where(Assignment.shift_id == areas.there.id))
    assert client.get(f"/rota/fill/replace/{place.id}").status_code == 404
    assert client.post(f"/rota/fill/replace/{place.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Assignment, place.id).status == "assigned"


def test_the_limit_is_one_clause_of_sql_not_an_extra_statement(areas, db) -> None:
    from sqlalchemy import select

    limited = db.session.scalars(site_scope.within_sites(select(Shift), Shift.site_id, areas.lead)).all()
    unlimited = db.session.scalars(site_scope.within_sites(select(Shift), Shift.site_id, areas.deputy)).all()
    assert [s.id for s in limited] == [areas.here.id]
    assert {s.id for s in unlimited} == {areas.here.id, areas.there.id}
    assert site_scope.within_sites(select(Shift), Shift.site_id, areas.admin).whereclause is None


def test_an_admin_limits_a_coordinator_on_the_person_page(client, auth, areas, db) -> None:
    auth.login("ada@surestart.example")
    page = client.get(f"/people/{areas.deputy.id}").get_data(as_text=True)
    assert 'id="sites"' in page and "Dora Deputy coordinates every site" in page
    response = client.post(f"/people/{areas.deputy.id}/sites", data={"site": [str(areas.sunderland.id)]})
    assert response.status_code == 302 and response.headers["Location"].endswith("#sites")
    assert site_scope.site_ids_of(areas.org, areas.deputy.id) == {areas.sunderland.id}
    page = client.get(f"/people/{areas.deputy.id}").get_data(as_text=True)
    assert f'value="{areas.sunderland.id}" checked' in page and f'value="{areas.gateshead.id}" checked' not in page
    client.post(f"/people/{areas.deputy.id}/sites", data={})  # nothing ticked: every site again
    assert site_scope.site_ids_of(areas.org, areas.deputy.id) == set()


def test_only_admins_set_sites_and_only_of_their_own_coordinators(client, auth, areas, db) -> None:
    other = make_org("tackley", "Tackley Village Shop")
    stranger_site = make_site(other, "Village hall shop")
    stranger = make_member(other, "cora@tackley.example", role="coordinator")
    db.session.commit()
    auth.login("gail@surestart.example")
    assert 'id="sites"' not in client.get(f"/people/{areas.deputy.id}").get_data(as_text=True)
    assert client.post(f"/people/{areas.deputy.id}/sites", data={"site": [str(areas.gateshead.id)]}).status_code == 403
    auth.logout()
    auth.login("ada@surestart.example")
    assert client.post(f"/people/{stranger.id}/sites", data={}).status_code == 404
    assert client.post(f"/people/{areas.ann.id}/sites", data={}).status_code == 404  # a volunteer: nothing to limit
    client.post(f"/people/{areas.deputy.id}/sites", data={"site": [str(stranger_site.id)]})
    client.post(f"/people/{areas.deputy.id}/sites", data={"site": ["x"]})
    assert site_scope.site_ids_of(areas.org, areas.deputy.id) == set()
    assert "Choose sites of this organisation." in client.get(f"/people/{areas.deputy.id}").get_data(as_text=True)


def test_a_limited_coordinator_s_people_are_those_placed_at_their_sites_or_nowhere_yet(client, auth, areas, db) -> None:
    bea = make_member(areas.org, "bea@example.org", name="Bea Gateshead")
    put_on(areas.here, bea)
    make_member(areas.org, "nell@example.org", name="Nell Newcomer")  # no place anywhere yet
    db.session.commit()
    auth.login("gail@surestart.example")
    page = client.get("/people").get_data(as_text=True)
    assert "Bea Gateshead" in page and "Nell Newcomer" in page
    assert "Ann Archer" not in page  # her only place is at Sunderland
    assert client.get(f"/people/{areas.ann.id}").status_code == 404
    assert client.post(f"/people/{areas.ann.id}", data={"name": "x"}).status_code == 404
    for write in ("invite", "qualifications", "qualifications/1/remove", "supervision", "supervision/1/remove"):
        assert client.post(f"/people/{areas.ann.id}/{write}", data={}).status_code == 404, write
    assert client.get(f"/people/{bea.id}").status_code == 200
    # the pages beside a person's: availability and leave, their data, erasure, their statement
    assert client.get(f"/people/{areas.ann.id}/availability").status_code == 404
    assert client.post(f"/people/{areas.ann.id}/availability/leave", data={}).status_code == 404
    assert client.get(f"/people/{areas.ann.id}/data.zip").status_code == 404
    assert client.get(f"/people/{areas.ann.id}/erase").status_code == 404
    assert client.get(f"/me/statement?member={areas.ann.id}").status_code == 404
    assert client.get(f"/people/{bea.id}/availability").status_code == 200
    auth.logout()
    auth.login("dora@surestart.example")
    assert "Ann Archer" in client.get("/people").get_data(as_text=True)
    assert client.get(f"/people/{areas.ann.id}").status_code == 200
    assert client.get(f"/people/{areas.ann.id}/availability").status_code == 200
    assert client.get(f"/me/statement?member={areas.ann.id}").status_code == 200


def test_a_site_limit_costs_no_extra_statement(client, auth, areas) -> None:
    from tests.querycount import statements_run

    pages = ["/rota?week=2030-01-07", "/rota?view=month&month=2030-01", f"/rota/shifts/{areas.here.id}",
             "/people", f"/people/{areas.ann.id}", "/warnings", "/rota/requests"]
    counts = {}
    for email in ("dora@surestart.example", "gail@surestart.example"):
        auth.login(email)
        for page in pages:
            client.get(page)  # warm what a first visit caches
            with statements_run() as statements:
                status = client.get(page).status_code
            counts[email, page] = (len(statements) if status == 200 else None)
        auth.logout()
    assert counts["gail@surestart.example", f"/people/{areas.ann.id}"] is None  # 404: Ann is Sunderland's
    for page in pages[:4] + pages[5:]:
        assert counts["gail@surestart.example", page] == counts["dora@surestart.example", page] is not None, page


def _weekly(areas: Areas, site: Site, start: time) -> ShiftSeries:
    return ShiftSeries(organisation_id=areas.org.id, role_id=areas.here.role_id, site_id=site.id,
                       rrule="FREQ=WEEKLY;BYDAY=TU", starts_on=DAY, start_time=start, end_time=time(start.hour + 2))


@pytest.mark.parametrize("email, sees_sunderland", [("gail@surestart.example", False),
                                                    ("dora@surestart.example", True),
                                                    ("ada@surestart.example", True)])
def test_the_series_list_shows_a_limited_coordinator_her_sites_series_only(client, auth, areas, db, email,
                                                                           sees_sunderland) -> None:
    """Another site's series is a 404 to her; listing it would show what she may not open."""
    db.session.add_all([_weekly(areas, areas.gateshead, time(9)), _weekly(areas, areas.sunderland, time(13))])
    db.session.commit()
    auth.login(email)
    page = client.get("/rota/series").get_data(as_text=True)
    assert "Gateshead ward" in page
    assert ("Sunderland ward" in page) is sees_sunderland
