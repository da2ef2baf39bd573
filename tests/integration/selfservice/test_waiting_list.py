"""The waiting list: join a full shift, be offered a freed place (by every path that frees one), take or pass it."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_member, make_org, put_on, utc
from tests.integration.selfservice.conftest import World, make_world, shift_at
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.privacy.services import erase_member
from volunteers.rota import services as rota
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.rota.models import Assignment, Shift
from volunteers.selfservice import jobs, swaps
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice import waiting_list_pages as pages
from volunteers.selfservice.leave import add_leave
from volunteers.selfservice.services import SelfServiceError, cancel
from volunteers.selfservice.waiting_list_models import WaitingListEntry

NOW = utc(2026, 11, 2, 8)  # a Monday, GMT; notice to cancel is 48 h by default


@pytest.fixture()
def full(db, clock) -> tuple[World, Shift]:
    """A one-place shift in three days held by Ann; Bob, then Cat join its waiting list."""
    clock.now = NOW
    world = make_world()
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3), needed=1)
    put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, NOW)
    wl.join(world.org, world.cat, shift.id, NOW + timedelta(minutes=1))
    make_member(world.org, "dan@example.org", name="Dan")
    _db.session.commit()
    return world, shift


def _entries(shift: Shift) -> dict[str, str]:
    _db.session.expire_all()
    return {e.membership.person.name: e.status for e in _db.session.scalars(
        select(WaitingListEntry).where(WaitingListEntry.shift_id == shift.id).order_by(WaitingListEntry.id))}


def _entry(world: World, membership_id: int, shift: Shift) -> WaitingListEntry:
    found = _db.session.scalar(select(WaitingListEntry).where(
        WaitingListEntry.shift_id == shift.id, WaitingListEntry.membership_id == membership_id,
        WaitingListEntry.status.in_(("waiting", "offered"))))
    assert found is not None
    return found


def _holders(shift: Shift) -> list[int]:
    return sorted(_db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status.in_(("assigned", "confirmed")))))


def _ann_cancels(world: World, shift: Shift, at=NOW) -> None:
    place = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id,
                                                        Assignment.membership_id == world.ann.id))
    assert cancel(world.org, world.ann, place.id, at).status == "cancelled"
    _db.session.commit()


# --- joining ---------------------------------------------------------------------------------------------------


def test_joining_puts_people_in_order_and_twice_is_once(full) -> None:
    world, shift = full
    again = wl.join(world.org, world.bob, shift.id, NOW + timedelta(hours=1))
    assert again.id == _entry(world, world.bob.id, shift).id
    mine = pages.my_entries([world.cat], NOW)
    assert [(m.position, m.until) for m in mine] == [(2, None)]
    assert [(p.position, p.name, p.status) for p in pages.panel_entries(shift)] == [
        (1, "Bob", "waiting"), (2, "Cat", "waiting")]


def test_a_shift_with_a_free_place_someone_on_it_or_ineligible_cannot_be_joined(full) -> None:
    world, shift = full
    with pytest.raises(SelfServiceError) as on:
        wl.join(world.org, world.ann, shift.id, NOW)
    assert on.value.code == "already_on"
    roomy = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=4), needed=2)
    with pytest.raises(SelfServiceError) as free:
        wl.join(world.org, world.bob, roomy.id, NOW)
    assert free.value.code == "not_full"
    counter = shift_at(world.org, world.post_office, world.hall, NOW + timedelta(days=4), needed=1)
    put_on(counter, world.ann)
    with pytest.raises(SelfServiceError) as untrained:
        wl.join(world.org, world.bob, counter.id, NOW)
    assert untrained.value.code == "not_eligible" and "Post Office training" in str(untrained.value)


# --- every path that frees a place -----------------------------------------------------------------------------


def test_a_cancellation_in_time_offers_the_place_to_the_first_person_at_once(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    assert _entries(shift) == {"Bob": "offered", "Cat": "waiting"}
    bob = _entry(world, world.bob.id, shift)
    assert bob.offer_expires_at == NOW + timedelta(hours=2) and bob.offer_slot == 1
    mail = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "bob@example.org"))
    assert mail is not None and mail.subject.startswith("A place is free for you: Shop counter")
    assert "until 08:00" not in mail.body_text and "10:00" in mail.body_text  # 2 h, in London time
    assert "/me/shifts#waiting" in mail.body_text
    assert [(m.position, m.until) for m in pages.my_entries([world.bob], NOW)] == [(1, "10:00")]


def test_a_coordinator_removing_someone_offers_the_place(full) -> None:
    world, shift = full
    place = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id))
    rota.remove_assignment(world.org, place.id, NOW, world.coordinator.person_id)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "offered", "Cat": "waiting"}


def test_an_approved_late_cancellation_offers_the_place(full, clock) -> None:
    world, shift = full
    late = NOW + timedelta(days=2, hours=1)  # 47 h before: a request for the coordinator
    clock.now = late
    place = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id))
    outcome = cancel(world.org, world.ann, place.id, late)
    assert outcome.status == "requested" and outcome.offer is not None
    _db.session.commit()
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}
    swaps.approve(world.org, outcome.offer.id, world.coordinator.person_id, late)
    _db.session.commit()
    assert _entries(shift)["Bob"] == "offered"


def test_raising_needed_is_picked_up_by_the_job_within_a_minute(full, clock) -> None:
    world, shift = full
    rota.set_needed(world.org, shift, 3)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}  # no release signal: the job's net
    clock.now = NOW + timedelta(seconds=40)
    assert jobs.move_waiting_lists(clock.now) == 2
    _db.session.commit()
    assert _entries(shift) == {"Bob": "offered", "Cat": "offered"}
    slots = sorted(e.offer_slot for e in _db.session.scalars(select(WaitingListEntry)))
    assert slots == [1, 2]
    assert jobs.move_waiting_lists(clock.now + timedelta(seconds=5)) is None  # this minute already ran


def test_the_waiting_list_promotes_the_next_person_within_a_minute_of_a_cancellation(full, clock) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    bob = _entry(world, world.bob.id, shift)
    clock.now = bob.offer_expires_at + timedelta(seconds=30)  # Bob did not answer: the next minute's run
    assert jobs.move_waiting_lists(clock.now) == 1
    _db.session.commit()
    assert _entries(shift) == {"Bob": "expired", "Cat": "offered"}


def test_someone_ineligible_now_is_passed_over_but_keeps_their_place(full) -> None:
    world, shift = full
    add_leave(world.org, world.bob, shift.local_date, shift.local_date, None, date(2026, 11, 1))
    _ann_cancels(world, shift)
    assert _entries(shift) == {"Bob": "waiting", "Cat": "offered"}
    assert [m.position for m in pages.my_entries([world.bob], NOW)] == [1]


def test_a_shift_cancelled_or_started_closes_its_list(full, clock) -> None:
    world, shift = full
    rota.cancel_shift(world.org, shift, NOW, world.coordinator.person_id, "Hall flooded")
    _db.session.commit()
    clock.now = NOW + timedelta(minutes=1)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "closed", "Cat": "closed"}


# --- answering -------------------------------------------------------------------------------------------------


def test_taking_the_offer_takes_the_place_through_the_guarded_path(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    entry = _entry(world, world.bob.id, shift)
    outcome = wl.accept(world.org, world.bob, entry.id, NOW + timedelta(minutes=5))
    _db.session.commit()
    assert outcome.status == "taken" and _holders(shift) == [world.bob.id]
    assert _entries(shift) == {"Bob": "accepted", "Cat": "waiting"}
    assert _db.session.get(Shift, shift.id).filled == 1


def test_declining_passes_the_place_to_the_next_person(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    wl.decline(world.org, world.bob, _entry(world, world.bob.id, shift).id, NOW + timedelta(minutes=5))
    _db.session.commit()
    assert _entries(shift) == {"Bob": "declined", "Cat": "offered"}


def test_an_offer_taken_after_it_lapsed_is_refused(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    entry = _entry(world, world.bob.id, shift)
    with pytest.raises(SelfServiceError) as late:
        wl.accept(world.org, world.bob, entry.id, NOW + timedelta(hours=2))
    assert late.value.code == "expired" and _holders(shift) == []


def test_a_place_filled_by_someone_else_meanwhile_puts_them_back_in_line(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    entry = _entry(world, world.bob.id, shift)
    put_on(_db.session.get(Shift, shift.id), world.coordinator)  # the coordinator fills it by hand
    _db.session.commit()
    with pytest.raises(SelfServiceError) as gone:
        wl.accept(world.org, world.bob, entry.id, NOW + timedelta(minutes=5))
    _db.session.commit()
    assert gone.value.code == "full" and _holders(shift) == [world.coordinator.id]
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}
    assert [m.position for m in pages.my_entries([world.bob], NOW)] == [1]


def test_an_offer_on_a_place_filled_since_is_withdrawn_by_the_job(full, clock) -> None:
    world, shift = full
    rota.set_needed(world.org, shift, 2)
    _db.session.commit()
    clock.now = NOW + timedelta(minutes=1)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _entries(shift)["Bob"] == "offered"
    put_on(_db.session.get(Shift, shift.id), world.coordinator)
    _db.session.commit()
    clock.now = NOW + timedelta(minutes=2)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}


def test_leaving_with_an_offer_passes_it_on(full) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    wl.leave(world.org, world.bob, _entry(world, world.bob.id, shift).id, NOW + timedelta(minutes=1))
    _db.session.commit()
    assert _entries(shift) == {"Bob": "left", "Cat": "offered"}


# --- the deadline and the hand-over to cover requests ----------------------------------------------------------


def test_an_offer_close_to_the_start_ends_two_hours_before_it(db, clock) -> None:
    clock.now = NOW
    world = make_world()
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=3), needed=1)
    place = put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, NOW)
    _db.session.commit()
    rota.remove_assignment(world.org, place.id, NOW, world.coordinator.person_id)
    _db.session.commit()
    assert _entry(world, world.bob.id, shift).offer_expires_at == NOW + timedelta(hours=1)


def test_the_organisation_s_hold_is_used(full) -> None:
    world, shift = full
    world.org.settings = {**(world.org.settings or {}), "waiting_list_offer_hours": 6}
    _ann_cancels(world, shift)
    assert _entry(world, world.bob.id, shift).offer_expires_at == NOW + timedelta(hours=6)


def test_when_the_last_offer_lapses_inside_the_notice_period_cover_requests_take_over(db, clock) -> None:
    clock.now = NOW
    world = make_world()
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=20), needed=1)
    place = put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, NOW)
    _db.session.commit()
    rota.remove_assignment(world.org, place.id, NOW, world.coordinator.person_id)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "offered"}
    assert _db.session.scalar(select(CoverRequest.id)) is None  # the list goes first
    clock.now = NOW + timedelta(hours=2, seconds=10)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "expired"}
    request = _db.session.scalar(select(CoverRequest))
    assert request is not None and request.shift_id == shift.id and request.offer_id is None
    asked = set(_db.session.scalars(select(CoverAsk.membership_id)))
    assert asked <= {world.ann.id, world.bob.id, world.cat.id, world.coordinator.id} and len(asked) >= 1


def test_a_place_freed_with_nobody_eligible_waiting_goes_to_cover_at_once(db, clock) -> None:
    clock.now = NOW
    world = make_world()
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(hours=20), needed=1)
    place = put_on(shift, world.ann)
    wl.join(world.org, world.bob, shift.id, NOW)
    add_leave(world.org, world.bob, shift.local_date, shift.local_date, None, date(2026, 11, 1))
    _db.session.commit()
    rota.remove_assignment(world.org, place.id, NOW, world.coordinator.person_id)
    _db.session.commit()
    assert _entries(shift) == {"Bob": "waiting"}
    assert _db.session.scalar(select(CoverRequest.shift_id)) == shift.id


def test_a_place_freed_well_ahead_waits_for_the_list_without_cover_requests(full) -> None:
    world, shift = full
    add_leave(world.org, world.bob, shift.local_date, shift.local_date, None, date(2026, 11, 1))
    add_leave(world.org, world.cat, shift.local_date, shift.local_date, None, date(2026, 11, 1))
    _ann_cancels(world, shift)  # three days ahead: outside the 48-hour notice period
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}
    assert _db.session.scalar(select(CoverRequest.id)) is None


# --- the pages -------------------------------------------------------------------------------------------------


def test_join_and_leave_through_the_pages(db, clock, client, auth) -> None:
    clock.now = NOW
    world = make_world()
    shift = shift_at(world.org, world.shop, world.hall, NOW + timedelta(days=3), needed=1)
    put_on(shift, world.ann)
    _db.session.commit()
    auth.login("bob@example.org")
    page = client.get("/me/shifts/open").get_data(as_text=True)
    assert "Full shifts you can wait for" in page and f"/me/shifts/{shift.id}/waiting-list" in page
    response = client.post(f"/me/shifts/{shift.id}/waiting-list")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/shifts#waiting")
    mine = client.get("/me/shifts").get_data(as_text=True)
    assert "You're number 1 on the waiting list" in mine
    entry = _entry(world, world.bob.id, shift)
    assert "You're number 1 on the waiting list" in client.get("/me/shifts/open").get_data(as_text=True)
    assert client.post(f"/me/waiting-list/{entry.id}/leave").status_code == 302
    assert _entries(shift) == {"Bob": "left"}


def test_take_and_decline_through_the_pages(full, client, auth) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    bob_entry = _entry(world, world.bob.id, shift)
    auth.login("cat@example.org")  # not hers: a 404
    assert client.post(f"/me/waiting-list/{bob_entry.id}/accept").status_code == 404
    assert client.post(f"/me/waiting-list/{bob_entry.id}/leave").status_code == 404
    auth.logout()
    auth.login("bob@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert "A place is free for you" in page and "until 10:00" in page
    assert client.post(f"/me/waiting-list/{bob_entry.id}/decline").status_code == 302
    auth.logout()
    cat_entry = _entry(world, world.cat.id, shift)
    auth.login("cat@example.org")
    assert client.post(f"/me/waiting-list/{cat_entry.id}/accept").status_code == 302
    assert _holders(shift) == [world.cat.id]


def test_another_organisation_s_shift_or_entry_is_a_404(full, client, auth) -> None:
    world, shift = full
    other = make_org("elsewhere")
    make_member(other, "zed@example.org", name="Zed")
    _db.session.commit()
    auth.login("zed@example.org")
    assert client.post(f"/me/shifts/{shift.id}/waiting-list").status_code == 404
    entry = _entry(world, world.bob.id, shift)
    assert client.post(f"/me/waiting-list/{entry.id}/leave").status_code == 404
    assert client.post(f"/me/waiting-list/{entry.id}/accept").status_code == 404


def test_the_coordinator_sees_the_list_on_the_shift_panel(full, client, auth) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    auth.login("coord@example.org")
    panel = client.get(f"/rota/shifts/{shift.id}").get_data(as_text=True)
    assert "Waiting list" in panel and "Bob" in panel and "offered a place" in panel and "Cat" in panel


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page)
    assert found is not None
    return found.group(1)


def test_joining_needs_the_form_s_csrf_token(full, app, client, monkeypatch) -> None:
    world, shift = full
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # read by Flask-WTF at each request
    signed_in = client.post("/login", data={"email": "dan@example.org", "password": DEFAULT_PASSWORD,
                                            "csrf_token": _token(client.get("/login").get_data(as_text=True))})
    assert signed_in.status_code == 302
    page = client.get("/me/shifts/open").get_data(as_text=True)
    assert f"/me/shifts/{shift.id}/waiting-list" in page
    assert client.post(f"/me/shifts/{shift.id}/waiting-list").status_code == 400
    assert _entries(shift) == {"Bob": "waiting", "Cat": "waiting"}  # nothing joined


def test_erasing_someone_takes_them_off_every_list_and_their_held_place_goes_on(full, clock) -> None:
    world, shift = full
    _ann_cancels(world, shift)
    assert _entries(shift)["Bob"] == "offered"
    erase_member(world.org, world.bob, actor_person_id=world.coordinator.person_id, reason="Asked to be forgotten",
                 now=NOW + timedelta(minutes=5), source="web")
    _db.session.commit()
    assert _entries(shift) == {"Cat": "waiting"}
    clock.now = NOW + timedelta(minutes=6)
    jobs.move_waiting_lists(clock.now)
    _db.session.commit()
    assert _entries(shift) == {"Cat": "offered"}
