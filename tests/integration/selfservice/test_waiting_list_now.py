"""A place released in a unit of work is offered at that unit's ``now``, not at the wall clock's time of the commit."""
from __future__ import annotations

from datetime import timedelta

from tests.integration.selfservice.test_waiting_list import NOW, _ann_cancels, _entries, _entry, full  # noqa: F401
from volunteers.extensions import db as _db
from volunteers.selfservice import waiting_list as wl


def test_the_offer_is_made_at_the_cancellation_s_now(full, clock) -> None:  # noqa: F811 - the fixture
    world, shift = full
    clock.now = NOW + timedelta(minutes=50)  # the commit's wall clock is not the service's now
    _ann_cancels(world, shift, at=NOW)
    assert _entries(shift) == {"Bob": "offered", "Cat": "waiting"}
    bob = _entry(world, world.bob.id, shift)
    assert bob.offered_at == NOW and bob.offer_expires_at == NOW + timedelta(hours=2)


def test_a_declined_offer_passes_on_at_the_decline_s_now(full, clock) -> None:  # noqa: F811 - the fixture
    world, shift = full
    _ann_cancels(world, shift)
    clock.now = NOW + timedelta(minutes=50)
    wl.decline(world.org, world.bob, _entry(world, world.bob.id, shift).id, NOW + timedelta(minutes=10))
    _db.session.commit()
    cat = _entry(world, world.cat.id, shift)
    assert cat.status == "offered" and cat.offered_at == NOW + timedelta(minutes=10)
