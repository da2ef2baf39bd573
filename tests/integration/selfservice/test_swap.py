"""Swaps: offer to a colleague or to anyone eligible; the place moves in one unit of work, never overbooked."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice import swaps
from volunteers.selfservice.services import SelfServiceError

NOW = utc(2026, 11, 2, 8)


def _to(subject_start: str) -> list[str]:
    return sorted(_db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.subject.startswith(subject_start))))


def test_swap_end_to_end_through_the_pages(world, client, auth) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=4), needed=1)
    place = put_on(shift, world.ann)
    _db.session.commit()
    auth.login("ann@example.org")
    form = client.get(f"/me/places/{place.id}/offer").get_data(as_text=True)
    assert f'<option value="{world.bob.id}">Bob</option>' in form
    assert client.post(f"/me/places/{place.id}/offer", data={"to": str(world.bob.id)}).status_code == 302
    offer = _db.session.scalar(select(ShiftOffer))
    assert offer.kind == "swap" and offer.offered_to_membership_id == world.bob.id
    assert _to("Ann offers you a shift") == ["bob@example.org"]
    assert "You offered this shift to Bob" in client.get("/me/shifts").get_data(as_text=True)
    auth.logout()

    auth.login("cat@example.org")  # not the one asked: sees nothing, cannot take it
    assert f"/me/offers/{offer.id}/accept" not in client.get("/me/shifts").get_data(as_text=True)
    assert client.post(f"/me/offers/{offer.id}/accept").status_code == 404
    auth.logout()

    auth.login("bob@example.org")
    assert f"/me/offers/{offer.id}/accept" in client.get("/me/shifts").get_data(as_text=True)
    assert client.post(f"/me/offers/{offer.id}/accept").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Assignment, place.id).status == "cancelled"
    assert _db.session.get(Assignment, place.id).sequence == 1
    taker = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id,
                                                        Assignment.status != "cancelled"))
    assert taker.membership_id == world.bob.id and taker.source == "self"
    assert _db.session.get(Shift, shift.id).filled == 1
    assert _db.session.get(ShiftOffer, offer.id).status == "approved"
    assert _to("Your place is taken") == ["ann@example.org"]


def test_an_offer_to_anyone_goes_to_everyone_eligible(world) -> None:
    shift = shift_at(world.org, world.post_office, world.hall, NOW + timedelta(days=3), needed=1)
    from volunteers.people import services as people

    training = people.qualification_named(world.org, "Post Office training")
    for m in (world.ann, world.cat):
        people.set_qualification(world.org, m, training, None)
    place = put_on(shift, world.ann)
    offer = swaps.offer_place(world.org, world.ann, place.id, NOW)
    assert offer.offered_to_membership_id is None
    assert _to("Ann offers you a shift") == ["cat@example.org"]  # Bob and Helen lack the training
    with pytest.raises(SelfServiceError) as refused:
        swaps.accept_offer(world.org, world.bob, offer.id, NOW)
    assert refused.value.code == "not_eligible"
    assert swaps.accept_offer(world.org, world.cat, offer.id, NOW).status == "moved"


def test_with_approval_required_the_place_moves_only_when_approved(world) -> None:
    world.org.settings = {"swap_needs_approval": True}
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3), needed=1)
    place = put_on(shift, world.ann)
    offer = swaps.offer_place(world.org, world.ann, place.id, NOW, to_membership_id=world.bob.id)
    assert swaps.accept_offer(world.org, world.bob, offer.id, NOW).status == "waiting"
    assert offer.status == "taken" and place.status == "assigned"
    assert _to("Swap to approve") == ["coord@example.org"]
    swaps.approve(world.org, offer.id, world.coordinator.person_id, NOW)
    assert place.status == "cancelled" and offer.status == "approved"
    live = _db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status != "cancelled")).all()
    assert live == [world.bob.id] and _db.session.get(Shift, shift.id).filled == 1


def test_a_declined_swap_leaves_the_giver_on(world) -> None:
    world.org.settings = {"swap_needs_approval": True}
    place = put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3)), world.ann)
    offer = swaps.offer_place(world.org, world.ann, place.id, NOW)
    swaps.accept_offer(world.org, world.bob, offer.id, NOW)
    swaps.decline(world.org, offer.id, world.coordinator.person_id, NOW, "Bob has had a long week")
    assert offer.status == "declined" and place.status == "assigned"
    assert _to("Request declined") == ["ann@example.org"]


def test_a_taker_already_on_the_shift_or_busy_then_is_refused(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3), needed=2)
    place = put_on(shift, world.ann)
    put_on(shift, world.bob)
    put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3, hours=1)), world.cat)
    offer = swaps.offer_place(world.org, world.ann, place.id, NOW)
    for taker in (world.bob, world.cat):
        with pytest.raises(SelfServiceError) as refused:
            swaps.accept_offer(world.org, taker, offer.id, NOW)
        assert refused.value.code == "not_eligible"
    assert place.status == "assigned"


def test_the_place_has_gone_if_the_giver_cancelled_meanwhile(world) -> None:
    from volunteers.selfservice.services import cancel

    place = put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3)), world.ann)
    offer = swaps.offer_place(world.org, world.ann, place.id, NOW)
    cancel(world.org, world.ann, place.id, NOW)
    assert offer.status == "withdrawn"
    with pytest.raises(SelfServiceError):
        swaps.accept_offer(world.org, world.bob, offer.id, NOW)
    assert _db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.membership_id == world.bob.id)) == 0


def test_another_organisations_offers_and_places_are_not_found(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    theirs = put_on(shift_at(other.org, other.shop, other.hall, utcnow() + timedelta(days=4)), other.ann)
    offer = swaps.offer_place(other.org, other.ann, theirs.id, utcnow())
    _db.session.commit()
    auth.login("bob@example.org")
    assert client.post(f"/me/offers/{offer.id}/accept").status_code == 404
    assert client.post(f"/me/offers/{offer.id}/withdraw").status_code == 404
    assert client.get(f"/me/places/{theirs.id}/offer").status_code == 404
    auth.logout()
    auth.login("coord@example.org")
    assert client.post(f"/rota/requests/{offer.id}/approve").status_code == 404
    assert client.post(f"/rota/places/{theirs.id}/no-show").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(ShiftOffer, offer.id).status == "open"
