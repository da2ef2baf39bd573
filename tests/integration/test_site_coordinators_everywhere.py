"""A coordinator limited to some sites acts on those sites only, on every web page — not only the board,
the shift panel and the people pages.

Before: /attendance listed and marked every site's shifts, /rota/fill filled
the whole organisation's period, logged hours of any site could be approved,
/settings changed organisation-wide rules, and a limited coordinator could
make anyone a coordinator or an admin (with no site limit: out of her sites
at a stroke). Admins and coordinators with no limit are unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Assignment, CoordinatorSite, Shift

GAIL, DORA = "gail@surestart.example", "dora@surestart.example"  # limited to Gateshead; no limit


@dataclass
class Areas:
    org: Organisation
    lead: Membership
    ann: Membership
    bob: Membership
    here: Shift  # Gateshead, yesterday
    there: Shift  # Sunderland, yesterday
    next_here: Shift  # Gateshead, next week
    next_there: Shift  # Sunderland, next week
    pending_here: Contribution
    pending_there: Contribution


def _pending(org: Organisation, member: Membership, shift: Shift) -> Contribution:
    entry = Contribution(organisation_id=org.id, membership_id=member.id, hours=Decimal("2"),
                         occurred_at=shift.starts_at, occurred_on=shift.local_date, role_id=shift.role_id,
                         site_id=shift.site_id, status="pending")
    _db.session.add(entry)
    _db.session.flush()
    return entry


@pytest.fixture()
def areas(db, clock) -> Areas:
    org = make_org("surestart", "Sure Start peer counsellors")
    make_member(org, "ada@surestart.example", role="admin", name="Ada Admin")
    lead = make_member(org, GAIL, role="coordinator", name="Gail Lead")
    make_member(org, DORA, role="coordinator", name="Dora Deputy")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    bob = make_member(org, "bob@example.org", name="Bob Baker")
    role = make_role(org, "Ward visit")
    gateshead, sunderland = make_site(org, "Gateshead ward"), make_site(org, "Sunderland ward")
    yesterday = clock.now.date() - timedelta(days=1)
    here = make_shift(org, role, gateshead, yesterday, time(9), time(12))
    there = make_shift(org, role, sunderland, yesterday, time(13), time(16))
    put_on(here, ann)
    put_on(there, bob)
    monday = clock.now.date() + timedelta(days=7 - clock.now.date().weekday())
    next_here = make_shift(org, role, gateshead, monday, time(9), time(12), needed=1)
    next_there = make_shift(org, role, sunderland, monday, time(13), time(16), needed=1)
    pending_here, pending_there = _pending(org, ann, here), _pending(org, bob, there)
    db.session.add(CoordinatorSite(organisation_id=org.id, membership_id=lead.id, site_id=gateshead.id))
    db.session.commit()
    return Areas(org, lead, ann, bob, here, there, next_here, next_there, pending_here, pending_there)


def _status(assignment_shift: Shift) -> str:
    _db.session.expire_all()
    return _db.session.scalar(select(Assignment.status).where(Assignment.shift_id == assignment_shift.id))


def test_attendance_lists_and_marks_only_her_sites(client, auth, areas) -> None:
    auth.login(GAIL)
    page = client.get("/attendance").text
    assert "Gateshead ward" in page and "Sunderland ward" not in page and "Bob Baker" not in page
    assert client.post(f"/attendance/shifts/{areas.there.id}/attended").status_code == 404
    bobs = _db.session.scalar(select(Assignment.id).where(Assignment.shift_id == areas.there.id))
    assert client.post(f"/attendance/places/{bobs}/no-show").status_code == 404
    assert _status(areas.there) == "assigned"
    assert client.post(f"/attendance/shifts/{areas.here.id}/attended").status_code == 302
    assert _status(areas.here) != "assigned"


def test_an_unlimited_coordinator_still_marks_every_site(client, auth, areas) -> None:
    auth.logout()
    auth.login(DORA)
    assert "Sunderland ward" in client.get("/attendance").text
    assert client.post(f"/attendance/shifts/{areas.there.id}/attended").status_code == 302


def test_the_auto_rota_fills_only_her_sites(client, auth, areas) -> None:
    auth.login(GAIL)
    monday = areas.next_here.local_date.isoformat()
    page = client.get(f"/rota/fill?kind=week&day={monday}").text
    assert "Gateshead ward" in page and "Sunderland ward" not in page
    forged = [f"{areas.next_here.id}:{areas.ann.id}", f"{areas.next_there.id}:{areas.bob.id}"]
    assert client.post("/rota/fill", data={"kind": "week", "day": monday, "place": forged}).status_code == 200
    assert _status(areas.next_here) == "assigned" and _status(areas.next_there) is None


def test_logged_hours_are_approved_only_at_her_sites(client, auth, areas) -> None:
    auth.login(GAIL)
    page = client.get("/approvals").text
    assert "Ann Archer" in page and "Bob Baker" not in page
    client.post("/approvals", data={"action": "approve", "ids": [areas.pending_here.id, areas.pending_there.id]})
    _db.session.expire_all()
    assert _db.session.get(Contribution, areas.pending_here.id).status == "approved"
    assert _db.session.get(Contribution, areas.pending_there.id).status == "pending"


@pytest.mark.parametrize("path", ["/settings", "/settings/rota", "/settings/load", "/settings/money",
                                  "/settings/retention", "/settings/waiting-list"])
def test_organisation_settings_are_not_hers(client, auth, areas, path) -> None:
    auth.login(GAIL)
    assert client.get(path).status_code == 403
    assert client.post(path, data={}).status_code == 403
    auth.logout()
    auth.login(DORA)
    assert client.get(path).status_code == 200


def test_she_cannot_make_a_coordinator_or_an_admin(client, auth, areas) -> None:
    auth.login(GAIL)
    form = {"name": "Ann Archer", "email": "ann@example.org", "role": "admin", "status": "active",
            "availability": ""}
    refused = client.post(f"/people/{areas.ann.id}", data=form)
    assert refused.status_code == 400 and "Only an admin, or a coordinator of every site" in refused.text
    made = client.post("/people/new", data={**form, "name": "Eve", "email": "eve@example.org",
                                            "role": "coordinator"})
    assert made.status_code == 400
    _db.session.expire_all()
    assert _db.session.get(Membership, areas.ann.id).role == "volunteer"
    assert _db.session.scalar(select(Person.id).where(Person.email == "eve@example.org")) is None
    assert client.post(f"/people/{areas.ann.id}", data={**form, "role": "volunteer"}).status_code == 302
    auth.logout()
    auth.login(DORA)
    assert client.post(f"/people/{areas.ann.id}", data={**form, "role": "coordinator"}).status_code == 302
