"""Expiry reminders are due at 60, 30 and 7 days: the nearest threshold passed, never a stale one."""
from __future__ import annotations

from datetime import date

import pytest

from volunteers.people.domain.expiry import days_left, due_threshold

TODAY = date(2026, 12, 30)


@pytest.mark.parametrize("ahead, threshold", [
    (61, None), (60, 60), (31, 60), (30, 30), (8, 30), (7, 7), (1, 7), (0, 7), (-1, None),
])
def test_the_threshold_is_the_smallest_one_the_expiry_is_within(ahead: int, threshold: int | None) -> None:
    expires = date.fromordinal(TODAY.toordinal() + ahead)
    assert due_threshold(expires, TODAY) == threshold
    assert days_left(expires, TODAY) == ahead


def test_thresholds_count_calendar_days_across_the_year_end() -> None:
    assert due_threshold(date(2027, 1, 6), TODAY) == 7  # 7 days into the new year
    assert due_threshold(date(2027, 1, 29), TODAY) == 30
