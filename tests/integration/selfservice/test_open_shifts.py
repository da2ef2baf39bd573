"""Open shifts list only what the volunteer may take: qualification on the date, availability, leave, overlap."""
from __future__ import annotations

from datetime import date, timedelta

from tests.factories import make_member, put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db as _db
from volunteers.people import services as people
from volunteers.people.domain.availability import parse_availability
from volunteers.selfservice.leave import add_leave
from volunteers.selfservice.services import open_shifts

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT
TUE_9 = utc(2026, 11, 3, 9)


def _ids(membership) -> set[int]:
    return {item.shift.id for item in open_shifts([membership], NOW)}


def test_lists_a_published_shift_with_a_free_place(world) -> None:
    shift = shift_at(world.org, world.shop, world.hall, TUE_9)
    hidden = shift_at(world.org, world.shop, world.hall, TUE_9 + timedelta(days=1), published=False)
    assert _ids(world.ann) == {shift.id}
    assert hidden.id not in _ids(world.ann)


def test_a_full_shift_a_past_shift_and_ones_already_held_are_not_open(world) -> None:
    full = shift_at(world.org, world.shop, world.hall, TUE_9, needed=1)
    put_on(full, world.bob)
    past = shift_at(world.org, world.shop, world.hall, NOW - timedelta(hours=1))
    mine = shift_at(world.org, world.shop, world.hall, TUE_9 + timedelta(days=2))
    put_on(mine, world.ann)
    assert _ids(world.ann) & {full.id, past.id, mine.id} == set()


def test_qualification_must_be_valid_on_the_shifts_date(world) -> None:
    training = people.qualification_named(world.org, "Post Office training")
    early = shift_at(world.org, world.post_office, world.hall, TUE_9)
    shift_at(world.org, world.post_office, world.hall, utc(2026, 11, 10, 9))  # after the training expires
    people.set_qualification(world.org, world.ann, training, expires_on=date(2026, 11, 5))
    assert _ids(world.ann) == {early.id}  # expired by the 10th
    assert _ids(world.bob) == set()  # never trained


def test_leave_hides_shifts_on_those_days(world) -> None:
    shift_at(world.org, world.shop, world.hall, TUE_9)  # on the first day of leave
    after = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 5, 9))
    add_leave(world.org, world.ann, date(2026, 11, 3), date(2026, 11, 4), "holiday", date(2026, 11, 2))
    assert _ids(world.ann) == {after.id}


def test_an_overlapping_duty_hides_the_shift(world) -> None:
    held = shift_at(world.org, world.shop, world.hall, TUE_9)
    put_on(held, world.ann)
    clash = shift_at(world.org, world.shop, world.hall, TUE_9 + timedelta(hours=2))
    back_to_back = shift_at(world.org, world.shop, world.hall, TUE_9 + timedelta(hours=4))
    assert _ids(world.ann) == {back_to_back.id}
    assert clash.id in _ids(world.bob)


def test_stated_availability_limits_the_list(world) -> None:
    tuesday = shift_at(world.org, world.shop, world.hall, TUE_9)  # Tue 09:00-13:00
    wednesday = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 4, 9))
    people.set_availability(world.org, world.ann, parse_availability("Tue 08:00-13:00"))
    assert _ids(world.ann) == {tuesday.id}
    people.set_availability(world.org, world.ann, parse_availability("Tue 10:00-13:00; Wed 09:00-13:00"))
    assert _ids(world.ann) == {wednesday.id}


def test_a_person_in_two_organisations_sees_both_labelled(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    ann_there = make_member(other.org, "ann@example.org", name="Ann")
    soon = utcnow() + timedelta(days=3)
    here = shift_at(world.org, world.shop, world.hall, soon)
    there = shift_at(other.org, other.shop, other.hall, soon + timedelta(hours=6))
    _db.session.commit()
    assert {i.shift.id for i in open_shifts([world.ann, ann_there], utcnow())} == {here.id, there.id}
    auth.login("ann@example.org")
    page = client.get("/me/shifts/open").get_data(as_text=True)
    assert "Tackley" in page and "Surestart" in page
    assert f'action="/me/shifts/{here.id}/sign-up"' in page and f'action="/me/shifts/{there.id}/sign-up"' in page
