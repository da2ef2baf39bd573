"""/me/shifts/open with qualification names holding any character, the separators it joins with included.

A qualification's name is user text: the API checks only its length and a CSV
import strips only its ends, so it may hold the record and unit separators
(\\x1e, \\x1f) ``selfservice.open_list`` once joined names with. The page then
answered 500 to a holder, and a role needing such a name was judged as needing
its pieces. Now only ids, dates and times are joined; these hold the page to
``rota.candidates.load_candidates`` and ``open_pages.open_page`` (the API's list).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_role, put_on
from tests.integration.selfservice.conftest import shift_at
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.people.models import PersonQualification, Qualification
from volunteers.rota.candidates import load_candidates
from volunteers.selfservice.open_candidate import load_candidate
from volunteers.selfservice.open_list import open_list
from volunteers.selfservice.open_pages import open_page


def _give(world, membership, name: str, expires_on: date | None = None) -> Qualification:
    """Give ``membership`` the qualification named exactly ``name`` (made as it is: an import may keep
    separators at the ends, which ``people.services.qualification_named`` would strip as white space)."""
    q = db.session.scalar(select(Qualification).where(Qualification.organisation_id == world.org.id,
                                                      Qualification.name == name))
    if q is None:
        q = Qualification(organisation_id=world.org.id, name=name)
        db.session.add(q)
        db.session.flush()
    db.session.add(PersonQualification(organisation_id=world.org.id, membership_id=membership.id,
                                       qualification_id=q.id, expires_on=expires_on))
    db.session.flush()
    return q


@pytest.mark.parametrize("name", ["Food\x1ehygiene", "First\x1faid", "a\x1fb\x1ec", "\x1e", "\x1f", "\x1f\x1e"])
def test_a_name_with_a_separator_held_and_required(world, app, client, auth, name) -> None:
    now = utcnow()
    q = _give(world, world.ann, name, expires_on=(now + timedelta(days=365)).date())
    training = _give(world, world.ann, "Post Office training")
    role = make_role(world.org, "Needs it", requires=(q.id,))
    both = make_role(world.org, "Needs it and training",
                     requires=(q.id, training.id))
    open_one = shift_at(world.org, role, world.hall, now + timedelta(days=2))
    open_two = shift_at(world.org, both, world.hall, now + timedelta(days=3))
    full = shift_at(world.org, role, world.hall, now + timedelta(days=4), needed=1)
    put_on(full, world.cat)
    db.session.commit()

    with app.test_request_context():
        end = now + timedelta(days=30)
        assert load_candidate(world.org, world.ann.id, now, end) == \
            load_candidates(world.org, [world.ann.id], now, end)[world.ann.id]
        api = [item.shift.id for item in open_page([world.ann], now).items]
        listed = open_list([world.ann], now)
    assert {open_one.id, open_two.id} <= set(api)
    assert [row.id for row in listed.items] == api
    assert [row.id for row in listed.full] == [full.id]

    auth.login("ann@example.org")
    response = client.get("/me/shifts/open")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for shift in (open_one, open_two):
        assert f"/me/shifts/{shift.id}/sign-up" in page
    assert f"/me/shifts/{full.id}/waiting-list" in page


def test_holding_the_pieces_of_a_name_is_not_holding_the_name(world, app, client, auth) -> None:
    """A role needing "First\\x1faid" is not open to one who holds "First" and "aid" but not it."""
    now = utcnow()
    _give(world, world.bob, "First")
    _give(world, world.bob, "aid")
    whole = _give(world, world.ann, "First\x1faid")
    role = make_role(world.org, "First aider", requires=(whole.id,))
    shift = shift_at(world.org, role, world.hall, now + timedelta(days=2))
    full = shift_at(world.org, role, world.hall, now + timedelta(days=3), needed=1)
    put_on(full, world.cat)
    db.session.commit()

    with app.test_request_context():
        for member, sees in ((world.bob, False), (world.ann, True)):
            api = [item.shift.id for item in open_page([member], now).items]
            listed = open_list([member], now)
            assert [row.id for row in listed.items] == api
            assert (shift.id in api) is sees
            assert [row.id for row in listed.full] == ([full.id] if sees else [])

    auth.login("bob@example.org")
    response = client.get("/me/shifts/open")
    assert response.status_code == 200
    assert f"/me/shifts/{shift.id}/sign-up" not in response.get_data(as_text=True)
    assert f"/me/shifts/{full.id}/waiting-list" not in response.get_data(as_text=True)


def test_an_expired_qualification_with_a_separator_hides_the_shift(world, app) -> None:
    now = utcnow()
    q = _give(world, world.ann, "CRB\x1echeck", expires_on=(now + timedelta(days=1)).date())
    role = make_role(world.org, "Checked", requires=(q.id,))
    before = shift_at(world.org, role, world.hall, now + timedelta(hours=6))
    after = shift_at(world.org, role, world.hall, now + timedelta(days=5))
    db.session.commit()

    with app.test_request_context():
        api = [item.shift.id for item in open_page([world.ann], now).items]
        assert [row.id for row in open_list([world.ann], now).items] == api
    assert before.id in api and after.id not in api
