"""/rota/requests of a coordinator limited to some sites: requests and no-show places of those sites only.

Another site's request or place is a 404 to approve, decline or mark, as another organisation's is
(the areas of tests/integration/rota/test_site_scope.py: Gail leads Gateshead; Ann is on Sunderland's shift).
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_member, put_on
from tests.integration.rota.test_site_scope import Areas, areas
from volunteers.extensions import db
from volunteers.rota.models import Assignment, ShiftOffer

__all__ = ["areas"]


@pytest.fixture()
def asked(areas: Areas) -> dict[str, ShiftOffer]:
    bea = make_member(areas.org, "bea@example.org", name="Bea Gateshead")
    place = put_on(areas.here, bea)
    ann_place = db.session.scalar(db.select(Assignment).where(Assignment.shift_id == areas.there.id))
    offers = {"bea": ShiftOffer(organisation_id=areas.org.id, assignment_id=place.id, shift_id=areas.here.id,
                                kind="cancel_request", status="open"),
              "ann": ShiftOffer(organisation_id=areas.org.id, assignment_id=ann_place.id, shift_id=areas.there.id,
                                kind="cancel_request", status="open")}
    db.session.add_all(offers.values())
    db.session.commit()
    return offers


def test_a_limited_coordinator_answers_only_their_sites_requests(client, auth, areas, asked, clock) -> None:
    clock.now = datetime(2030, 1, 6, 12, tzinfo=UTC)
    auth.login("gail@surestart.example")
    page = client.get("/rota/requests").get_data(as_text=True)
    assert f'id="request-{asked["bea"].id}"' in page and f'id="request-{asked["ann"].id}"' not in page
    ann = asked["ann"].id
    assert client.post(f"/rota/requests/{ann}/approve").status_code == 404
    assert client.post(f"/rota/requests/{ann}/decline", data={"reason": "no"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(ShiftOffer, ann).status == "open"
    assert client.post(f"/rota/requests/{asked['bea'].id}/decline", data={"reason": "no"}).status_code == 302


def test_a_limited_coordinator_marks_no_shows_of_their_sites_only(client, auth, areas, asked, clock) -> None:
    clock.now = datetime(2030, 1, 7, 17, tzinfo=UTC)  # both shifts over, within the 48 hours
    auth.login("gail@surestart.example")
    page = client.get("/rota/requests").get_data(as_text=True)
    assert "Bea Gateshead" in page and "Ann Archer" not in page
    ann_place = asked["ann"].assignment_id
    assert client.post(f"/rota/places/{ann_place}/no-show").status_code == 404
    db.session.expire_all()
    assert db.session.get(Assignment, ann_place).status == "assigned"


@pytest.mark.parametrize("email", ["ada@surestart.example", "dora@surestart.example"])
def test_admins_and_unlimited_coordinators_see_every_request(client, auth, areas, asked, clock, email) -> None:
    clock.now = datetime(2030, 1, 6, 12, tzinfo=UTC)
    auth.login(email)
    page = client.get("/rota/requests").get_data(as_text=True)
    assert f'id="request-{asked["bea"].id}"' in page and f'id="request-{asked["ann"].id}"' in page
