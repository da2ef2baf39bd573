"""Cancelling: on one's own before the notice cutoff, a coordinator's decision (and a cover call) after it."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice import swaps
from volunteers.selfservice.leave import add_leave
from volunteers.selfservice.services import SelfServiceError, cancel

NOW = utc(2026, 11, 2, 8)


def _messages() -> list[OutboxMessage]:
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_49_hours_ahead_cancels_at_once_and_tells_the_coordinator(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=49))
    place = put_on(shift, world.ann)
    outcome = cancel(world.org, world.ann, place.id, NOW)
    assert outcome.status == "cancelled"
    assert place.status == "cancelled" and place.sequence == 1
    assert place.notified_sequence == 1  # she did it herself: the next publish does not tell her again
    assert _db.session.get(Shift, shift.id).filled == 0
    assert [m.to_address for m in _messages()] == ["coord@example.org"]
    assert "Ann has cancelled" in _messages()[0].body_text


def test_exactly_at_the_cutoff_is_still_in_time(world) -> None:
    place = put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=48)), world.ann)
    assert cancel(world.org, world.ann, place.id, NOW).status == "cancelled"


def test_47_hours_ahead_becomes_a_request_and_a_cover_call(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=47))
    place = put_on(shift, world.ann)
    add_leave(world.org, world.cat, shift.local_date, shift.local_date, None, date(2026, 11, 1))  # Cat is away
    outcome = cancel(world.org, world.ann, place.id, NOW, note="Poorly")
    assert outcome.status == "requested" and outcome.asked_to_cover == 2  # Bob and Helen; not Ann, not Cat
    assert place.status == "assigned" and _db.session.get(Shift, shift.id).filled == 1
    offer = outcome.offer
    assert offer.kind == "cancel_request" and offer.status == "open" and offer.note == "Poorly"
    sent = _messages()
    cover = sorted(m.to_address for m in sent if m.subject.startswith("Cover needed"))
    assert cover == ["bob@example.org", "coord@example.org"]
    assert any(m.subject.startswith("Late cancellation") and m.to_address == "coord@example.org" for m in sent)
    # asking again changes nothing and queues nothing more
    again = cancel(world.org, world.ann, place.id, NOW + timedelta(minutes=5))
    assert again.offer.id == offer.id and len(_messages()) == len(sent)


def test_the_notice_period_is_the_organisations_setting(world) -> None:
    world.org.settings = {"self_cancel_notice_hours": 24}
    place = put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=25)), world.ann)
    assert cancel(world.org, world.ann, place.id, NOW).status == "cancelled"


def test_the_coordinator_releases_a_late_canceller(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=20))
    place = put_on(shift, world.ann)
    offer = cancel(world.org, world.ann, place.id, NOW).offer
    swaps.approve(world.org, offer.id, world.coordinator.person_id, NOW + timedelta(hours=1))
    assert place.status == "cancelled" and offer.status == "approved"
    assert _db.session.get(Shift, shift.id).filled == 0
    assert any(m.to_address == "ann@example.org" and "Cancellation approved" in m.subject for m in _messages())


def test_a_colleague_covers_a_late_cancellation(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=20), needed=1)
    place = put_on(shift, world.ann)
    offer = cancel(world.org, world.ann, place.id, NOW).offer
    outcome = swaps.accept_offer(world.org, world.bob, offer.id, NOW + timedelta(hours=1))
    assert outcome.status == "moved"
    assert place.status == "cancelled" and outcome.assignment.membership_id == world.bob.id
    assert offer.status == "approved" and _db.session.get(Shift, shift.id).filled == 1


def test_a_started_shift_or_someone_elses_place_cannot_be_cancelled(world) -> None:
    started = put_on(shift_at(world.org, world.shop, world.hall, NOW - timedelta(hours=1)), world.ann)
    with pytest.raises(SelfServiceError) as refused:
        cancel(world.org, world.ann, started.id, NOW)
    assert refused.value.code == "started"
    bobs = put_on(shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=5)), world.bob)
    with pytest.raises(SelfServiceError) as refused:
        cancel(world.org, world.ann, bobs.id, NOW)
    assert refused.value.code == "not_found"


def test_cancel_pages_follow_the_rule_and_hide_other_peoples_places(world, client, auth) -> None:
    now = utcnow()
    early = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=49)), world.ann)
    late = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=47)), world.ann)
    bobs = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(hours=60)), world.bob)
    other = make_world("surestart", prefix="ss-")
    foreign = put_on(shift_at(other.org, other.shop, other.hall, now + timedelta(hours=60)), other.ann)
    _db.session.commit()
    auth.login("ann@example.org")
    assert "you can cancel yourself" in client.get(f"/me/places/{early.id}/cancel").get_data(as_text=True)
    assert "your coordinator decides" in client.get(f"/me/places/{late.id}/cancel").get_data(as_text=True)
    assert client.post(f"/me/places/{early.id}/cancel").status_code == 302
    assert client.post(f"/me/places/{late.id}/cancel").status_code == 302
    for place in (bobs, foreign):
        assert client.get(f"/me/places/{place.id}/cancel").status_code == 404
        assert client.post(f"/me/places/{place.id}/cancel").status_code == 404
    _db.session.expire_all()
    assert _db.session.get(Assignment, early.id).status == "cancelled"
    assert _db.session.get(Assignment, late.id).status == "assigned"
    assert _db.session.scalar(select(ShiftOffer.kind).where(ShiftOffer.assignment_id == late.id)) == "cancel_request"
    assert _db.session.get(Assignment, bobs.id).status == "assigned"
    page = client.get("/me/shifts").get_data(as_text=True)
    assert "You asked to be released" in page
