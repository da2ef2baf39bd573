"""Who a cover request asks next, how many and when: pure rules, ``now`` passed in."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.rota.domain.fair_order import fairness_key, month_pledge
from volunteers.selfservice.domain.cover_waves import (
    DEFAULT_WAVE_MINUTES,
    DEFAULT_WAVE_SIZE,
    Prospect,
    next_wave,
    ranked,
    stop_reason,
    wave_due,
    wave_interval,
    wave_size,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _p(mid: int, name: str, hours: float = 0.0, pledge: float | None = 16.0, worst: str | None = None) -> Prospect:
    return Prospect(mid, name, hours, pledge, worst)


def test_the_order_is_the_board_s_least_done_for_the_pledge_first_and_no_pledge_last() -> None:
    people = [_p(1, "Zed", 8, 16), _p(2, "amy", 0, 16), _p(3, "Bea", 0, None), _p(4, "Cal", 2, 4), _p(5, "Dot", 4, 32)]
    # ratios: Zed 0.5, amy 0, Bea none, Cal 0.5, Dot 0.125; Zed and Cal tie on the ratio, Cal has fewer hours
    assert [p.name for p in ranked(people)] == ["amy", "Dot", "Cal", "Zed", "Bea"]


def test_a_warning_or_worse_keeps_a_person_out_a_notice_does_not() -> None:
    order = ranked([_p(1, "Ann", worst="warning"), _p(2, "Bob", worst="notice"), _p(3, "Cat", worst="critical"),
                    _p(4, "Dee"), _p(5, "Eve")])
    assert [p.name for p in next_wave(order, asked=(), size=5)] == ["Bob", "Dee", "Eve"]


def test_a_wave_takes_the_next_people_not_asked_yet() -> None:
    order = ranked([_p(i, name) for i, name in enumerate("ABCDEFGH", start=1)])
    first = next_wave(order, asked=(), size=3)
    second = next_wave(order, asked=[p.membership_id for p in first], size=3)
    third = next_wave(order, asked=[p.membership_id for p in first + second], size=3)
    assert [[p.name for p in w] for w in (first, second, third)] == [list("ABC"), list("DEF"), list("GH")]
    assert next_wave(order, asked=range(1, 9), size=3) == []


@given(st.lists(st.tuples(st.floats(0, 100), st.sampled_from([None, "notice", "warning", "critical"])), max_size=30),
       st.sets(st.integers(0, 29)), st.integers(1, 10))
def test_a_wave_never_holds_more_than_its_size_anyone_asked_or_anyone_warned(rows, asked, size) -> None:
    order = ranked([_p(i, f"p{i}", hours, 10.0, worst) for i, (hours, worst) in enumerate(rows)])
    wave = next_wave(order, asked, size)
    assert len(wave) <= size and not {p.membership_id for p in wave} & asked
    assert all(p.worst_warning in (None, "notice") for p in wave)
    assert wave == [p for p in order if p.membership_id not in asked and not p.blocked][:size]


def test_the_fairness_key_is_the_one_the_board_sorts_by() -> None:
    assert fairness_key(4, 16, "Ann") < fairness_key(8, 16, "Ann") < fairness_key(0, None, "Ann")
    assert month_pledge(7, date(2026, 2, 10)) == pytest.approx(28.0)  # 28 days: four weeks
    assert month_pledge(7, date(2026, 12, 1)) == pytest.approx(31.0)
    assert month_pledge(None, date(2026, 12, 1)) is None and month_pledge(0, date(2026, 12, 1)) is None


@pytest.mark.parametrize(("stored", "size", "minutes"), [
    (None, DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES), (3, 3, DEFAULT_WAVE_MINUTES), ("7", 7, DEFAULT_WAVE_MINUTES),
    (0, DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES), (51, DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES),
    (2.5, DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES), (True, DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES),
    ("NaN", DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES), ("1e999999999", DEFAULT_WAVE_SIZE, DEFAULT_WAVE_MINUTES),
])
def test_a_stored_wave_size_the_rules_cannot_use_is_the_default(stored, size, minutes) -> None:
    assert wave_size(stored) == size
    assert wave_interval(None) == timedelta(minutes=minutes)


@pytest.mark.parametrize(("stored", "expected"), [(45, 45), ("5", 5), (1440, 1440), (4, 30), (1441, 30), ("x", 30)])
def test_the_interval_is_whole_minutes_from_five_to_a_day(stored, expected) -> None:
    assert wave_interval(stored) == timedelta(minutes=expected)


def test_a_wave_is_due_once_its_time_has_come_and_only_while_the_request_is_live() -> None:
    assert wave_due(NOW, None, NOW) and wave_due(NOW - timedelta(seconds=1), None, NOW)
    assert not wave_due(NOW + timedelta(seconds=1), None, NOW)
    assert not wave_due(NOW, NOW, NOW) and not wave_due(None, None, NOW)


@pytest.mark.parametrize(("offer_status", "taken", "places_open", "expected"), [
    ("open", False, 0, None),
    ("taken", True, 0, "taken"),          # a swap waiting for the coordinator's approval
    ("approved", True, 0, "taken"),       # moved to the taker (web or text YES)
    ("approved", False, 1, "decided"),    # the coordinator released the place
    ("declined", False, 0, "decided"),
    ("withdrawn", False, 0, "withdrawn"),
    (None, False, 1, None),               # an open place, still open
    (None, False, 0, "taken"),            # an open place, now filled
])
def test_why_cover_stops(offer_status, taken, places_open, expected) -> None:
    assert stop_reason(shift_planned=True, shift_starts_at=NOW + timedelta(hours=3), now=NOW,
                       offer_status=offer_status, offer_taken=taken, places_open=places_open) == expected


def test_a_started_or_cancelled_shift_needs_no_cover() -> None:
    assert stop_reason(shift_planned=True, shift_starts_at=NOW, now=NOW, offer_status="open", offer_taken=False,
                       places_open=1) == "started"
    assert stop_reason(shift_planned=False, shift_starts_at=NOW + timedelta(hours=3), now=NOW, offer_status="open",
                       offer_taken=False, places_open=1) == "cancelled"
