"""The order in which eligible people are offered work: whoever does least for their pledge first.

One rule, read by the coordinator's candidate list (``autofill.ranking``)
and by cover requests sent in waves (``selfservice.cover_waves``), so the
board and the waves never disagree about who comes first. Pure (stdlib).
"""
from __future__ import annotations

import calendar
from datetime import date


def month_pledge(pledged_hours_per_week: float | None, day: date) -> float | None:
    """Return a weekly pledge as hours in the month of ``day`` (its days ÷ 7 weeks); None without a pledge."""
    if not pledged_hours_per_week:
        return None
    return pledged_hours_per_week * calendar.monthrange(day.year, day.month)[1] / 7


def fairness_key(month_hours: float, pledge_month: float | None, name: str) -> tuple[bool, float, float, str]:
    """Return the sort key of one eligible person: lowest share of their month's pledge first.

    People without a pledge come after everyone with one; ties go to fewer
    hours this month, then the name (so the order is stable).
    """
    ratio = month_hours / pledge_month if pledge_month else None
    return (ratio is None, ratio or 0.0, month_hours, name.lower())
