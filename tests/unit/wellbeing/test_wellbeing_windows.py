"""Sliding windows, episodes and message pieces."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from wellbeing_builders import LONDON, check, person

from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.domain.windows import Hit, episodes, rolling_max, window_sums


def test_window_sums_cover_every_window_that_touches_a_day() -> None:
    assert window_sums([1.0, 2.0, 3.0], 2) == [1.0, 3.0, 5.0, 3.0]
    assert window_sums([5.0], 7) == [5.0] * 7
    assert window_sums([], 7) == []


def test_window_sums_match_a_naive_sum() -> None:
    daily = [float((k * 7) % 5) for k in range(60)]
    width = 7
    naive = [sum(daily[max(0, j - width + 1):j + 1]) for j in range(len(daily) + width - 1)]
    assert window_sums(daily, width) == pytest.approx(naive)
    assert rolling_max(daily, width) == max(naive)
    assert rolling_max([], 28) == 0.0


def test_consecutive_hits_form_one_episode_reported_at_the_worst() -> None:
    hits = [Hit(3, "warning", 15, 16.0), Hit(4, "critical", 24, 25.0), Hit(5, "warning", 15, 17.0),
            Hit(9, "warning", 15, 15.5)]
    found = episodes(hits)
    assert [(e.first, e.last, e.worst.at) for e in found] == [(3, 5, 4), (9, 9, 9)]


def test_ties_go_to_the_first_preferred_window_else_the_first() -> None:
    hits = [Hit(k, "warning", 15, 20.0) for k in range(3, 7)]
    assert episodes(hits)[0].worst.at == 3
    assert episodes(hits, preferred=lambda j: j >= 5)[0].worst.at == 5


def test_lower_is_worse_for_rests() -> None:
    hits = [Hit(0, "warning", 11, 10.0), Hit(1, "warning", 11, 9.0)]
    assert episodes(hits, lower_is_worse=True)[0].worst.value == 9.0


def test_an_empty_schedule_raises_nothing() -> None:
    assert check(person(pledge=4, supervised="2020-01-01")) == []


@pytest.mark.parametrize(("first", "last", "text"), [
    (date(2026, 11, 23), date(2026, 11, 29), "23–29 Nov 2026"),
    (date(2026, 10, 28), date(2026, 11, 3), "28 Oct – 3 Nov 2026"),
    (date(2026, 12, 29), date(2027, 1, 4), "29 Dec 2026 – 4 Jan 2027"),
    (date(2026, 11, 2), date(2026, 11, 2), "2 Nov 2026"),
])
def test_date_spans_read_naturally(first: date, last: date, text: str) -> None:
    assert say.days(first, last) == text


@pytest.mark.parametrize(("value", "threshold", "text"), [
    (21.375, 15, "21.4"), (15.01, 15, "15.01"), (15.0, 15, "15"), (24.004, 24, "24.004"), (7.5, 8, "7.5"),
])
def test_numbers_show_enough_decimals_to_differ_from_the_level(value: float, threshold: float,
                                                               text: str) -> None:
    assert say.measured(value, threshold) == text


def test_instants_are_local_with_the_weekday() -> None:
    assert say.moment(datetime(2026, 11, 25, 23, 30, tzinfo=LONDON)) == "23:30 on Wed 25 Nov 2026"
