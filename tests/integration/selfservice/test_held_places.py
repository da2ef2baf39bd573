"""A place a waiting list holds for someone is theirs until the offer ends: no sign-up, API list or cover takes it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.integration.selfservice.test_waiting_list import (  # noqa: F401 - full is a fixture
    NOW,
    _ann_cancels,
    _entries,
    _entry,
    _holders,
    full,
)
from volunteers.api import tokens
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.selfservice import cover_waves, services
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice.services import SelfServiceError


def _dan(world) -> Membership:
    dan = _db.session.scalar(select(Membership).where(Membership.organisation_id == world.org.id,
                                                      Membership.person.has(email="dan@example.org")))
    assert dan is not None
    return dan


def test_a_place_held_for_the_first_person_waiting_cannot_be_signed_up_for(full) -> None:  # noqa: F811 - the fixture
    world, shift = full
    _ann_cancels(world, shift)
    assert _entries(shift) == {"Bob": "offered", "Cat": "waiting"}
    dan = _dan(world)
    with pytest.raises(SelfServiceError) as refused:
        services.sign_up(world.org, dan, shift.id, NOW + timedelta(minutes=5))
    assert refused.value.code == "full" and "waiting list" in str(refused.value)
    _db.session.rollback()
    outcome = wl.accept(world.org, world.bob, _entry(world, world.bob.id, shift).id, NOW + timedelta(minutes=10))
    _db.session.commit()
    assert outcome.status == "taken" and _holders(shift) == [world.bob.id]
    assert _entries(shift) == {"Bob": "accepted", "Cat": "waiting"}


def test_the_apis_open_shifts_leave_out_a_held_place_and_its_sign_up_is_refused(full, client) -> None:  # noqa: F811 - the fixture
    world, shift = full
    _ann_cancels(world, shift)
    dan = _dan(world)
    token = tokens.create_token(world.org, dan, "phone", "write", 30, NOW).token
    _db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/me/shifts/open", headers=headers)
    assert listed.status_code == 200
    assert shift.id not in [item["id"] for item in listed.get_json()["items"]]
    taken = client.post(f"/api/v1/me/shifts/{shift.id}/sign-up", headers=headers, json={})
    assert taken.status_code == 409, taken.get_data(as_text=True)
    outcome = wl.accept(world.org, world.bob, _entry(world, world.bob.id, shift).id, NOW + timedelta(minutes=10))
    _db.session.commit()
    assert outcome.status == "taken" and _holders(shift) == [world.bob.id]


def test_a_live_open_place_cover_request_stops_once_the_list_holds_the_place(full) -> None:  # noqa: F811 - the fixture
    world, shift = full
    request = CoverRequest(organisation_id=world.org.id, shift_id=shift.id, offer_id=None, wave_size=5,
                           wave_minutes=30, waves_sent=0, started_at=NOW, next_wave_at=NOW + timedelta(minutes=1))
    _db.session.add(request)
    _db.session.commit()
    _ann_cancels(world, shift)  # the freed place is offered to Bob at once
    assert _entries(shift)["Bob"] == "offered"
    assert cover_waves.send_due_waves(NOW + timedelta(minutes=2)) == 0
    _db.session.commit()
    _db.session.refresh(request)
    assert request.stop_reason == "taken"
    assert not _db.session.scalars(select(CoverAsk).where(CoverAsk.cover_request_id == request.id)).all()
