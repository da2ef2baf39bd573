"""How long a closed record is kept: calendar months after closing, a bad setting meaning the default."""
from __future__ import annotations

from datetime import date

import pytest

from volunteers.peersupport.domain.retention import erasure_due, latest_closing_due, retention_months


@pytest.mark.parametrize(("setting", "months"), [(None, 12), (6, 6), ("24", 24), (0, 12), (500, 12), (True, 12),
                                                 ("soon", 12), (3.5, 12)])
def test_the_setting_or_the_default(setting: object, months: int) -> None:
    assert retention_months(setting) == months


def test_erased_only_once_the_period_has_passed_end_of_month_clamped() -> None:
    assert not erasure_due(date(2025, 11, 30), date(2026, 11, 30), 12)
    assert erasure_due(date(2025, 11, 30), date(2026, 12, 1), 12)
    # 31 Jan + 1 month is 28 Feb: due from 1 Mar
    assert not erasure_due(date(2026, 1, 31), date(2026, 2, 28), 1)
    assert erasure_due(date(2026, 1, 31), date(2026, 3, 1), 1)


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 3, 31), date(2024, 3, 1), date(2026, 12, 1)])
@pytest.mark.parametrize("months", [1, 6, 12, 13])
def test_the_latest_closing_due_agrees_with_the_rule(today: date, months: int) -> None:
    cutoff = latest_closing_due(today, months)
    assert erasure_due(cutoff, today, months)
    assert not erasure_due(date.fromordinal(cutoff.toordinal() + 1), today, months)
