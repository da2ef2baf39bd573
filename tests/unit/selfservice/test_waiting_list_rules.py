"""The waiting list's pure rules: who is next, how long an offer lasts, which place it holds."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from volunteers.selfservice.domain.waiting_list import (
    DEFAULT_HOLD_HOURS,
    HOLD_BOUNDS,
    OFFERED,
    WAITING,
    QueuedPerson,
    free_slots,
    hours_setting,
    next_in_line,
    offer_deadline,
    position,
    surplus_offers,
)

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _queue(*people: tuple[int, int, str, int | None]) -> list[QueuedPerson]:
    """(entry id, membership id, status, slot); joined one minute apart in entry order."""
    return [QueuedPerson(e, m, T0 + timedelta(minutes=e), s, slot) for e, m, s, slot in people]


def test_the_first_eligible_person_waiting_is_next() -> None:
    queue = _queue((1, 10, WAITING, None), (2, 20, WAITING, None), (3, 30, WAITING, None))
    assert [p.membership_id for p in next_in_line(queue, {20, 30}, 1)] == [20]  # 10 is on leave: passed over


def test_order_is_by_joining_time_not_by_listing_order() -> None:
    late = QueuedPerson(1, 10, T0 + timedelta(hours=1), WAITING)
    early = QueuedPerson(2, 20, T0, WAITING)
    assert next_in_line([late, early], {10, 20}, 1)[0].membership_id == 20


def test_someone_already_offered_a_place_is_not_offered_another() -> None:
    queue = _queue((1, 10, OFFERED, 1), (2, 20, WAITING, None), (3, 30, WAITING, None))
    assert [p.membership_id for p in next_in_line(queue, {10, 20, 30}, 2)] == [20, 30]


def test_nobody_eligible_means_nobody_is_offered() -> None:
    assert next_in_line(_queue((1, 10, WAITING, None)), set(), 1) == []


def test_free_slots_leave_out_the_places_held_by_open_offers() -> None:
    assert free_slots(needed=3, filled=1, held=[1]) == [2]
    assert free_slots(needed=2, filled=2, held=[]) == []
    assert free_slots(needed=2, filled=3, held=[]) == []


def test_an_offer_on_a_place_filled_since_is_surplus() -> None:
    queue = _queue((1, 10, OFFERED, 1), (2, 20, OFFERED, 2))
    assert [p.entry_id for p in surplus_offers(needed=3, filled=2, queue=queue)] == [2]
    assert surplus_offers(needed=3, filled=1, queue=queue) == []


@given(st.integers(1, 6), st.integers(0, 6), st.lists(st.integers(1, 6), unique=True, max_size=6))
def test_free_slots_never_exceed_the_free_places_nor_repeat_a_held_one(needed: int, filled: int,
                                                                        held: list[int]) -> None:
    slots = free_slots(needed, filled, held)
    assert len(slots) + len([h for h in held if h <= needed - filled]) <= max(0, needed - filled)
    assert not set(slots) & set(held)


def test_position_counts_everyone_still_on_the_list() -> None:
    queue = _queue((1, 10, OFFERED, 1), (2, 20, WAITING, None), (3, 30, WAITING, None))
    assert position(queue, 3) == 3
    assert position(queue, 99) is None


def test_an_offer_lasts_two_hours_by_default() -> None:
    starts = T0 + timedelta(days=2)
    assert offer_deadline(T0, starts) == T0 + timedelta(hours=DEFAULT_HOLD_HOURS)


def test_an_offer_ends_two_hours_before_the_start_when_that_is_sooner() -> None:
    starts = T0 + timedelta(hours=3)
    assert offer_deadline(T0, starts) == T0 + timedelta(hours=1)


def test_no_offer_inside_the_last_two_hours() -> None:
    assert offer_deadline(T0, T0 + timedelta(hours=2)) is None
    assert offer_deadline(T0, T0 + timedelta(minutes=90)) is None


def test_an_offer_across_the_autumn_clock_change_lasts_two_real_hours() -> None:
    # 00:30 BST on Sunday 25 October 2026; the clocks go back at 02:00 BST to 01:00 GMT
    now = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    deadline = offer_deadline(now, datetime(2026, 10, 25, 9, 0, tzinfo=LONDON))
    assert deadline is not None
    assert deadline - now == timedelta(hours=2)
    assert deadline.astimezone(LONDON).strftime("%H:%M %Z") == "01:30 GMT"  # the wall clock shows 1 h later


def test_the_stop_before_a_shift_after_the_spring_change_counts_real_hours() -> None:
    # a 03:00 BST start on Sunday 29 March 2026 (clocks went forward at 01:00 GMT): 2 h before is 00:00 GMT
    now = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    deadline = offer_deadline(now, datetime(2026, 3, 29, 3, 0, tzinfo=LONDON))
    assert deadline == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert deadline.astimezone(LONDON).strftime("%H:%M") == "00:00"


def test_hold_and_stop_come_from_the_organisation() -> None:
    starts = T0 + timedelta(hours=10)
    assert offer_deadline(T0, starts, hold_hours=6, stop_hours=5) == T0 + timedelta(hours=5)
    assert offer_deadline(T0, starts, hold_hours=1, stop_hours=0) == T0 + timedelta(hours=1)


def test_a_stored_setting_out_of_bounds_or_unreadable_falls_back_to_the_default() -> None:
    assert hours_setting(4, DEFAULT_HOLD_HOURS, HOLD_BOUNDS) == 4
    for bad in (None, "4", 0, 1000, 2.5, True):
        assert hours_setting(bad, DEFAULT_HOLD_HOURS, HOLD_BOUNDS) == DEFAULT_HOLD_HOURS
