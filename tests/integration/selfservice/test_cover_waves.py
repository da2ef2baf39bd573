"""Cover requests go to the right few, in waves, and stop the moment the place is taken (issue 17.4)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import utc
from tests.integration.selfservice.conftest import make_world, shift_at
from tests.integration.selfservice.cover_crowd import NOW, ORDER, Crowd, cancel_late, make_crowd, minutes
from volunteers.autofill.ranking import candidate_list
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.rota.models import ShiftOffer
from volunteers.selfservice import cover_waves, swaps
from volunteers.selfservice.domain.channels import Preferences
from volunteers.selfservice.services import close_offers


@pytest.fixture()
def crowd(db, clock) -> Crowd:
    clock.now = NOW
    made = make_crowd()
    _db.session.commit()
    return made


def _asks(crowd: Crowd) -> list[CoverAsk]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(CoverAsk).order_by(CoverAsk.wave, CoverAsk.id)))


def _waves(crowd: Crowd) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for ask in _asks(crowd):
        found.setdefault(ask.wave, []).append(crowd.names([ask.membership_id])[0])
    return {wave: sorted(names, key=ORDER.index) for wave, names in found.items()}


def _request() -> CoverRequest:
    _db.session.expire_all()
    request = _db.session.scalar(select(CoverRequest))
    assert request is not None
    return request


def _cover_mail() -> list[str]:
    return sorted(_db.session.scalars(select(OutboxMessage.to_address).where(
        OutboxMessage.dedupe_key.like("cover%"))))


def test_a_late_cancellation_asks_the_first_five_in_the_board_s_order_and_no_one_it_would_overload(crowd) -> None:
    offer = cancel_late(crowd)
    _db.session.commit()
    assert _waves(crowd) == {1: ["Bob", "Cat", "Dee", "Eve", "Fay"]}
    assert _cover_mail() == sorted(f"{n.lower()}@example.org" for n in ("Bob", "Cat", "Dee", "Eve", "Fay"))
    # the board's candidate list ranks Tina third, with the warning the shift would give her
    board = candidate_list(crowd.world.org, crowd.shift, NOW, limit=None)
    tina = next(row for row in board.eligible if row.name == "Tina")
    assert tina.worst_warning == "warning" and "consecutive_days" in {w.rule for w in tina.warnings}
    unwarned = [row.name for row in board.eligible if row.worst_warning not in ("warning", "critical")]
    assert unwarned[:5] == _waves(crowd)[1]
    assert {"Lou", "Max", "Ann"}.isdisjoint(row.name for row in board.eligible)
    request = _request()
    assert (request.offer_id, request.waves_sent, request.next_wave_at) == (offer.id, 1, NOW + minutes(30))
    assert all(ask.asked_at == NOW and ask.channel == "email" for ask in _asks(crowd))


def test_the_next_wave_goes_once_the_interval_has_passed_and_never_asks_anyone_twice(crowd) -> None:
    cancel_late(crowd)
    _db.session.commit()
    assert cover_waves.send_due_waves(NOW + minutes(29)) == 0
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 5
    _db.session.commit()
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 0  # the same run again: nothing
    assert cover_waves.send_due_waves(NOW + minutes(45)) == 0  # not due yet
    _db.session.commit()
    assert _waves(crowd) == {1: ["Bob", "Cat", "Dee", "Eve", "Fay"], 2: ["Gus", "Hal", "Ivy", "Jo", "Kay"]}
    assert {ask.asked_at for ask in _asks(crowd) if ask.wave == 2} == {NOW + minutes(30)}
    assert cover_waves.send_due_waves(NOW + minutes(60)) == 1
    assert _waves(crowd)[3] == ["Helen"]
    # only Tina is left, and a warning keeps her out: the fourth run asks nobody and the request waits on
    assert cover_waves.send_due_waves(NOW + minutes(90)) == 0
    _db.session.commit()
    request = _request()
    assert request.waves_sent == 3 and request.stopped_at is None and request.next_wave_at == NOW + minutes(120)
    assert len(_cover_mail()) == 11


def test_wave_size_and_interval_are_the_organisation_s(crowd) -> None:
    crowd.world.org.settings = {"cover_wave_size": 2, "cover_wave_minutes": 10}
    cancel_late(crowd)
    assert cover_waves.send_due_waves(NOW + minutes(10)) == 2
    assert _waves(crowd) == {1: ["Bob", "Cat"], 2: ["Dee", "Eve"]}


@pytest.mark.parametrize("how", ["web accept", "swap waiting for approval"])
def test_taking_the_place_stops_the_waves_at_once(crowd, how) -> None:
    offer = cancel_late(crowd)
    if how == "swap waiting for approval":
        crowd.world.org.settings = {"swap_needs_approval": True}
    outcome = swaps.accept_offer(crowd.world.org, crowd.members["Dee"], offer.id, NOW + minutes(5))
    assert outcome.status == ("moved" if how == "web accept" else "waiting")
    _db.session.commit()
    request = _request()
    assert (request.stopped_at, request.stop_reason, request.next_wave_at) == (NOW + minutes(5), "taken", None)
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 0
    assert set(_waves(crowd)) == {1} and len(_cover_mail()) == 5


@pytest.mark.parametrize("decide", ["approve", "decline"])
def test_the_coordinator_s_decision_stops_the_waves(crowd, decide) -> None:
    offer = cancel_late(crowd)
    getattr(swaps, decide)(crowd.world.org, offer.id, crowd.world.coordinator.person_id, NOW + minutes(3))
    _db.session.commit()
    cover_waves.send_due_waves(NOW + minutes(30))
    _db.session.commit()
    request = _db.session.scalars(select(CoverRequest).where(CoverRequest.offer_id == offer.id)).one()
    assert (request.stop_reason, request.stopped_at, request.waves_sent) == ("decided", NOW + minutes(3), 1)
    # a released place may go out to cover again as an open place (the waiting list's hand-over), but
    # nobody is asked twice about the same shift
    asked = list(_db.session.scalars(select(CoverAsk.membership_id)))
    assert len(asked) == len(set(asked)) and {a.membership_id for a in _asks(crowd) if a.cover_request_id ==
                                              request.id} == {crowd.members[n].id for n in ORDER[:5]}


def test_an_open_place_put_out_again_asks_no_one_already_asked_about_the_shift(crowd) -> None:
    offer = cancel_late(crowd)
    swaps.approve(crowd.world.org, offer.id, crowd.world.coordinator.person_id, NOW + minutes(3))
    cover_waves.stop_cover(crowd.world.org, crowd.shift, NOW + minutes(3), "decided")  # whatever started since
    assert cover_waves.start_cover(crowd.world.org, crowd.shift, None, NOW + minutes(4)) == 5
    assert _waves(crowd) == {1: ["Bob", "Cat", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kay"]}
    assert len(_db.session.scalars(select(CoverRequest)).all()) == 2


def test_ann_withdrawing_her_request_stops_the_waves(crowd) -> None:
    offer = cancel_late(crowd)
    swaps.withdraw(crowd.world.org, crowd.world.ann, offer.id, NOW + minutes(1))
    assert _request().stop_reason == "withdrawn"


def test_the_job_stops_a_request_it_finds_no_longer_needed(crowd) -> None:
    """An offer closed without telling the waves (``close_offers`` writes in bulk): the job sees and stops it."""
    offer = cancel_late(crowd)
    close_offers(crowd.world.org, offer.assignment_id, NOW + minutes(2))
    _db.session.commit()
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 0
    _db.session.commit()
    request = _request()
    assert (request.stop_reason, request.stopped_at) == ("withdrawn", NOW + minutes(30))


def test_the_waves_stop_when_the_shift_starts(crowd) -> None:
    crowd.world.org.settings = {"cover_wave_minutes": 1440}
    cancel_late(crowd)
    _db.session.commit()
    assert cover_waves.send_due_waves(NOW + minutes(1440)) == 0
    assert _request().stop_reason == "started"


def test_a_text_goes_to_those_who_chose_texts_with_the_code_and_is_recorded_as_a_text(crowd) -> None:
    bob = crowd.members["Bob"]
    bob.person.phone, bob.person.phone_confirmed_at = "+447911000002", NOW - minutes(60)
    bob.preferences = {"messages": Preferences({"cover": "sms"}).to_stored()}
    offer = cancel_late(crowd)
    channels = {crowd.names([a.membership_id])[0]: a.channel for a in _asks(crowd)}
    assert channels["Bob"] == "sms" and channels["Cat"] == "email"
    text = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "+447911000002"))
    assert text is not None and text.dedupe_key == f"cover:{crowd.world.org.id}:{offer.id}:to:{bob.id}"
    assert "Reply YES" in text.body_text


def test_an_open_place_can_be_put_out_to_cover_without_an_offer_and_stops_once_filled(crowd) -> None:
    """The waiting list's way in: a free place nobody on the list could take."""
    org = crowd.world.org
    shift = shift_at(org, crowd.world.shop, crowd.world.hall, utc(2026, 12, 1, 14, 0), needed=1)
    assert cover_waves.start_cover(org, shift, None, NOW) == 5
    assert cover_waves.start_cover(org, shift, None, NOW) == 0  # already under way: nobody asked twice
    mail = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "bob@example.org"))
    assert mail is not None and "/me/shifts/open" in mail.body_text and "A place has come free" in mail.body_text
    shift.filled = 1
    _db.session.commit()
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 0
    assert _request().stop_reason == "taken"
    assert cover_waves.stop_cover(org, shift, NOW + minutes(31)) == 0


def test_stop_cover_by_shift_or_offer_stops_only_live_requests(crowd) -> None:
    offer = cancel_late(crowd)
    assert cover_waves.stop_cover(crowd.world.org, crowd.shift, NOW + minutes(1), "cancelled") == 1
    assert cover_waves.stop_cover(crowd.world.org, offer, NOW + minutes(2)) == 0
    assert _request().stop_reason == "cancelled"


def test_a_coordinator_asks_a_named_eligible_person_by_hand_and_it_is_audited(crowd) -> None:
    cancel_late(crowd)
    request = _request()
    coordinator = crowd.world.coordinator.person_id
    asked = cover_waves.ask_by_hand(crowd.world.org, request, crowd.members["Kay"].id, coordinator, NOW + minutes(7))
    assert asked.channel == "email"
    _db.session.commit()
    assert _waves(crowd)[0] == ["Kay"]
    [entry] = _db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "rota.cover_ask"))
    assert (entry.actor_person_id, entry.target_id, entry.details["membership_id"]) == (
        coordinator, request.id, crowd.members["Kay"].id)
    assert entry.created_at == NOW + minutes(7)
    for name, words in (("Kay", "asked already"), ("Bob", "asked already"), ("Lou", "can't take this shift"),
                        ("Max", "can't take this shift"), ("Ann", "already on this shift")):
        with pytest.raises(ServiceError, match=words):
            cover_waves.ask_by_hand(crowd.world.org, _request(), crowd.members[name].id, coordinator, NOW)
    # the next wave does not ask Kay again
    assert cover_waves.send_due_waves(NOW + minutes(30)) == 5
    assert _waves(crowd)[2] == ["Gus", "Hal", "Ivy", "Jo", "Helen"]


def test_no_one_is_asked_by_hand_once_the_place_is_taken(crowd) -> None:
    offer = cancel_late(crowd)
    swaps.accept_offer(crowd.world.org, crowd.members["Bob"], offer.id, NOW + minutes(1))
    with pytest.raises(ServiceError, match="stopped"):
        cover_waves.ask_by_hand(crowd.world.org, _request(), crowd.members["Kay"].id,
                                crowd.world.coordinator.person_id, NOW + minutes(2))


def test_thirty_minutes_across_the_autumn_clock_change_are_thirty_real_minutes(db, clock) -> None:
    """01:45 BST on Sunday 25 October; thirty minutes later the wall clock reads 01:15 GMT."""
    now = utc(2026, 10, 25, 0, 45)
    clock.now = now
    crowd = make_crowd()
    shift = shift_at(crowd.world.org, crowd.world.shop, crowd.world.hall, utc(2026, 10, 25, 9, 0), needed=1)
    assert cover_waves.start_cover(crowd.world.org, shift, None, now) == 5
    _db.session.commit()
    assert _request().next_wave_at == utc(2026, 10, 25, 1, 15)
    assert cover_waves.send_due_waves(utc(2026, 10, 25, 1, 14)) == 0
    assert cover_waves.send_due_waves(utc(2026, 10, 25, 1, 15)) > 0


def test_another_organisation_s_members_are_never_asked(crowd) -> None:
    make_world("gateshead", prefix="g-")  # three free volunteers of another organisation
    _db.session.commit()
    cancel_late(crowd)
    assert {ask.organisation_id for ask in _asks(crowd)} == {crowd.world.org.id}
    assert not [address for address in _cover_mail() if address.startswith("g-")]


def test_the_offer_s_cover_request_is_one_row_whatever_happens(crowd) -> None:
    offer = cancel_late(crowd)
    assert cover_waves.start_cover(crowd.world.org, crowd.shift, offer, NOW + minutes(1)) == 0
    assert _db.session.scalar(select(_db.func.count(CoverRequest.id))) == 1
    assert _db.session.get(ShiftOffer, offer.id).status == "open"
