"""Organisation figures: how evenly the hours are spread, and who carries them.

``gini`` and ``top20_share`` take any iterable of non-negative numbers and
are also used by the reports; the rest take hours per role and person.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.model import VolunteerSchedule

#: Organisation figures cover worked hours in this many days before the assessment.
FIGURES_DAYS = 90


def _checked(values: Iterable[float]) -> list[float]:
    numbers = [float(value) for value in values]
    for value in numbers:
        if not value >= 0 or math.isinf(value):
            raise ValueError(f"hours must be finite and non-negative, got {value!r}")
    return numbers


def gini(values: Iterable[float]) -> float:
    """Return the Gini coefficient G = Σᵢ(2i−n−1)xᵢ / (nΣx) with x ascending, i from 1.

    0 when everyone gives the same (or there is nobody, or no hours at
    all); towards 1 when one person gives everything. Unrounded.

    :raises ValueError: for a negative, infinite or NaN value.
    """
    xs = sorted(_checked(values))
    n, total = len(xs), math.fsum(xs)
    if n == 0 or total == 0:
        return 0.0
    return math.fsum((2 * i - n - 1) * x for i, x in enumerate(xs, start=1)) / (n * total)


def top20_share(values: Iterable[float]) -> float:
    """Return the share of the total given by the top 20% of people: ceil(20% of n), at least one.

    0.0 when there is nobody or no hours. Unrounded.

    :raises ValueError: for a negative, infinite or NaN value.
    """
    xs = sorted(_checked(values), reverse=True)
    total = math.fsum(xs)
    if not xs or total == 0:
        return 0.0
    top = max(1, -(-len(xs) // 5))  # ceil(n / 5) in integers: 0.2 * 15 is 3.0000000000000004
    return math.fsum(xs[:top]) / total


def key_drivers(hours_by_role: Mapping[str, Mapping[str, float]], *, min_people: int = 4,
                min_share: float = 0.25) -> list[dict[str, Any]]:
    """Return the people carrying over ``min_share`` of a role's hours, for roles with ``min_people`` or more.

    Each entry is ``{"volunteer", "role", "hours", "share"}`` (hours to 2
    decimals, share to 4), by role, then largest share first. A person
    counts for a role when they have hours in it.
    """
    drivers = []
    for role in sorted(hours_by_role):
        people = {who: hours for who, hours in hours_by_role[role].items() if hours > 0}
        total = math.fsum(people.values())
        if len(people) < min_people or total <= 0:
            continue
        for who, hours in sorted(people.items(), key=lambda item: (-item[1], item[0])):
            share = hours / total
            if share > min_share:
                drivers.append({"volunteer": who, "role": role, "hours": round(hours, 2),
                                "share": round(share, 4)})
    return drivers


def bus_factor(hours_by_role: Mapping[str, Mapping[str, float]]) -> dict[str, int]:
    """Return, per role with hours, the fewest people who together give at least half its hours."""
    factors = {}
    for role in sorted(hours_by_role):
        hours = sorted((h for h in hours_by_role[role].values() if h > 0), reverse=True)
        total = math.fsum(hours)
        if total <= 0:
            continue
        covered, people = 0.0, 0
        for value in hours:
            covered += value
            people += 1
            if covered >= total / 2 - 1e-9:
                break
        factors[role] = people
    return factors


def worked_hours(schedules: Sequence[VolunteerSchedule], as_of: datetime, tz: ZoneInfo,
                 days: int = FIGURES_DAYS) -> dict[str, dict[str, float]]:
    """Return role → person → hours of shifts started in the ``days`` before ``as_of``.

    The window starts at the same local wall-clock time ``days`` dates
    earlier and ends at ``as_of`` (excluded): shifts starting at or after
    ``as_of`` are planned, not worked. A shift counts in full, stand-by
    included.
    """
    end_ts = as_of.timestamp()
    start_ts = (as_of.astimezone(tz) - timedelta(days=days)).timestamp()
    by_role: dict[str, dict[str, float]] = {}
    for schedule in schedules:
        for span in schedule.shifts:
            if start_ts <= span.start.timestamp() < end_ts:
                people = by_role.setdefault(span.role, {})
                people[schedule.id] = people.get(schedule.id, 0.0) + span.hours
    return by_role


def organisation_figures(schedules: Sequence[VolunteerSchedule], as_of: datetime,
                         tz: ZoneInfo) -> dict[str, Any]:
    """Return the organisation figures of DESIGN.md over worked hours in the 90 days before ``as_of``.

    ``{"volunteers", "hours", "top20_share", "gini", "key_drivers",
    "bus_factor"}``: active volunteers are those with hours in the window;
    hours are rounded to 2 decimals, gini and top20_share to 4.
    """
    return figures_of_hours(worked_hours(schedules, as_of, tz))


def figures_of_hours(by_role: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Return :func:`organisation_figures` of worked hours already summed: role → person → hours."""
    per_person: dict[str, float] = {}
    for people in by_role.values():
        for who, hours in people.items():
            per_person[who] = per_person.get(who, 0.0) + hours
    active = [hours for hours in per_person.values() if hours > 0]
    return {
        "volunteers": len(active),
        "hours": round(math.fsum(active), 2),
        "top20_share": round(top20_share(active), 4),
        "gini": round(gini(active), 4),
        "key_drivers": key_drivers(by_role),
        "bus_factor": bus_factor(by_role),
    }
