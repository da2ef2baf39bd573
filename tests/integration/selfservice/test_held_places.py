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
from volunteers.autofill.assign import assign
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
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


def test_a_live_open_place_cover_request_waits_while_the_list_holds_the_place(full) -> None:  # noqa: F811 - the fixture
    """Nobody is asked for a held place; once the list lets it go, the same request asks again."""
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
    assert request.stop_reason is None and request.stopped_at is None
    assert not _db.session.scalars(select(CoverAsk).where(CoverAsk.cover_request_id == request.id)).all()
    for who in (world.bob, world.cat):  # both say no: the list is empty, the place open
        wl.decline(world.org, who, _entry(world, who.id, shift).id, NOW + timedelta(minutes=3))
        _db.session.commit()
    later = NOW + timedelta(hours=1)
    wl.run(later)
    cover_waves.send_due_waves(later)
    _db.session.commit()
    _db.session.refresh(request)
    assert request.stopped_at is None
    assert _db.session.scalars(select(CoverAsk).where(CoverAsk.cover_request_id == request.id)).all()


def test_an_offer_holds_nothing_once_its_person_is_put_on_another_way(full) -> None:  # noqa: F811 - the fixture
    """The coordinator puts Bob on while his offer is open: the place he was offered is free for anyone."""
    world, shift = full
    _ann_cancels(world, shift)  # Bob is offered the one place
    shift.needed = 2  # and a second place is added
    _db.session.commit()
    outcome = assign(world.org, shift.id, world.bob.id, actor_person_id=world.coordinator.person_id,
                     now=NOW + timedelta(minutes=5))
    _db.session.commit()
    assert outcome.assignment is not None
    assert services.sign_up(world.org, _dan(world), shift.id, NOW + timedelta(minutes=6)).status == "signed_up"
    _db.session.commit()
    assert _holders(shift) == sorted([world.bob.id, _dan(world).id])
    wl.run(NOW + timedelta(minutes=7))
    _db.session.commit()
    assert _entries(shift)["Bob"] == "accepted"


def test_signing_up_while_holding_an_offer_ends_the_entry(full) -> None:  # noqa: F811 - the fixture
    world, shift = full
    _ann_cancels(world, shift)
    assert services.sign_up(world.org, world.bob, shift.id, NOW + timedelta(minutes=5)).status == "signed_up"
    _db.session.commit()
    wl.run(NOW + timedelta(minutes=6))
    _db.session.commit()
    assert _entries(shift) == {"Bob": "accepted", "Cat": "waiting"}


def test_an_offer_s_unsent_message_stops_when_the_shift_is_cancelled(full) -> None:  # noqa: F811 - the fixture
    world, shift = full
    _ann_cancels(world, shift)  # Bob is offered the place; his message waits in the outbox
    entry = _entry(world, world.bob.id, shift)
    key = f"waitlist:{world.org.id}:{entry.id}:%"
    assert _db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.dedupe_key.like(key))) == "pending"
    shift.status = "cancelled"
    _db.session.commit()
    wl.run(NOW + timedelta(minutes=1))
    _db.session.commit()
    assert _entries(shift) == {"Bob": "closed", "Cat": "closed"}
    assert _db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.dedupe_key.like(key))) == "failed"


