"""Rules over windows of local dates: over_pledge, weekly_load, intense_hours, load_spike.

A shift's hours count on the local date it starts (DESIGN.md, "Time
rules"). "Any 7 / 28 days" is every window of that many consecutive local
dates; a run of consecutive windows over the lowest level is one episode,
reported at its worst window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from itertools import repeat
from operator import truediv
from typing import Any

from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.domain.grading import grade_windows, window_warnings
from volunteers.wellbeing.domain.model import LoadWarning
from volunteers.wellbeing.domain.policy import EPSILON
from volunteers.wellbeing.domain.timeline import Timeline
from volunteers.wellbeing.domain.windows import Computed, Hit, window_sums


def _span(first: int, last: int) -> str:
    return say.days(date.fromordinal(first), date.fromordinal(last))


def _logged(tl: Timeline, first: int, last: int, message: str,
            details: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Add the logged time of dates ``first..last`` to a window's message and details, when there is any.

    Without logged time both come back unchanged, so a schedule of shifts
    alone reads exactly as before logged time counted.
    """
    entries = tl.logged_on(first, last)
    if not entries:
        return message, details
    hours = sum(entry.hours for entry in entries)
    sources = ", ".join(sorted({entry.source for entry in entries}))
    message = f"{message}; {say.number(hours, 2)} of those hours were logged ({sources}), not rostered"
    return message, {**details, "logged_hours": round(hours, 2),
                     "logged": [entry.to_dict() for entry in entries]}


def over_pledge(tl: Timeline) -> list[LoadWarning]:
    """Warn when raw hours in any 28 days exceed 4 × the weekly pledge by the policy's ratios.

    Silent for a person without a pledge (``None`` or 0) and for any window
    whose excess over 4 × pledge is under ``min_excess_hours`` (2 h).
    Stand-by hours count in full: they are time the person gave, and so
    does logged time (peer-support contacts).
    """
    pledge = tl.schedule.pledged_hours_per_week
    if not pledge or pledge <= 0 or not (tl.loads or tl.logged):
        return []
    allowance = 4 * pledge
    given = tl.daily_given("hours")
    sums = window_sums(given, 28)
    ratios = list(map(truediv, sums, repeat(allowance)))  # total / allowance, each, without a Python loop

    def gate(j: int, settings: Mapping[str, Any]) -> bool:
        return sums[j] - allowance >= settings["min_excess_hours"] - EPSILON

    def describe(hit: Hit, first: int, last: int) -> tuple[str, dict[str, Any]]:
        hours = sums[hit.at]
        message = (f"{say.number(hours)} hours in the 28 days {_span(first, last)} against a pledge of "
                   f"{say.number(allowance)} ({say.number(pledge)} a week): "
                   f"{say.measured(hit.value, hit.threshold, 2)} times the pledge, "
                   f"{say.level(hit.severity, hit.threshold, '>')}")
        return _logged(tl, first, last, message,
                       {"hours": round(hours, 2), "pledged_hours": round(allowance, 2),
                        "pledged_hours_per_week": pledge, "ratio": round(hit.value, 4)})

    hits = grade_windows(tl, "over_pledge", ratios, 28, gate=gate)
    return window_warnings(tl, "over_pledge", hits, 28, describe, preferred_daily=given)


def weekly_load(tl: Timeline) -> list[LoadWarning]:
    """Warn when weighted load hours (WLH) in any 7 days are above the policy's levels.

    Logged time (peer-support contacts) counts one weighted hour an hour on its date.
    """
    if not (tl.loads or tl.logged):
        return []
    daily = tl.daily_given("weighted")
    sums = window_sums(daily, 7)

    def describe(hit: Hit, first: int, last: int) -> tuple[str, dict[str, Any]]:
        message = (f"{say.measured(hit.value, hit.threshold)} weighted hours in the 7 days "
                   f"{_span(first, last)}, {say.level(hit.severity, hit.threshold, '>')}")
        return _logged(tl, first, last, message, {"weighted_hours": round(hit.value, 2)})

    hits = grade_windows(tl, "weekly_load", sums, 7)
    return window_warnings(tl, "weekly_load", hits, 7, describe, preferred_daily=daily)


def _intense_loads(tl: Timeline, first: int, last: int) -> list[int]:
    return [i for i in tl.loads_on(first, last) if tl.loads[i].intense_hours > 0]


def intense_hours(tl: Timeline) -> list[LoadWarning]:
    """Warn when hours of intense shifts (intensity > 1.0, not on call) in any 7 days are above the levels."""
    if not tl.loads or tl.focus_misses(lambda load: load.intense_hours > 0):
        return []  # only intense shifts stand behind these warnings
    daily = tl.daily("intense_hours")
    sums = window_sums(daily, 7)

    def describe(hit: Hit, first: int, last: int) -> tuple[str, dict[str, Any]]:
        message = (f"{say.measured(hit.value, hit.threshold)} intense hours (shifts of intensity above 1.0) "
                   f"in the 7 days {_span(first, last)}, {say.level(hit.severity, hit.threshold, '>')}")
        return message, {"intense_hours": round(hit.value, 2)}

    hits = grade_windows(tl, "intense_hours", sums, 7)
    return window_warnings(tl, "intense_hours", hits, 7, describe, select=_intense_loads,
                           preferred_daily=daily)


def load_spike(tl: Timeline) -> list[LoadWarning]:
    """Warn when the acute load jumps well above the chronic load.

    For each local date ``d``: acute = WLH of the 7 dates ending on ``d``;
    chronic = the mean weekly WLH of the 28 dates before those 7. Judged
    only when ``d`` is at least ``min_history_days`` (35) after the first
    shift's date (on record: see :class:`~.model.VolunteerSchedule`) and
    after the first date whose shifts are all given, chronic is at least 1 h and acute exceeds chronic by at
    least 4 h. The value is acute ÷ chronic. Never critical. Adding hours to
    the chronic weeks lowers a spike, so this rule alone is not monotone
    in the shifts.
    """
    if not tl.loads:
        return []
    daily = tl.daily("weighted")
    acute = window_sums(daily, 7)
    month = window_sums(daily, 28)
    # chronic[j] = month[j - 7] / 4, none before the eighth window (acute has at least seven: there are loads)
    chronic = [0.0] * 7 + list(map(truediv, month[:len(acute) - 7], repeat(4)))
    ratios: Sequence[float]
    if tl.focus is None:
        ratios = [a / c if c > 1e-9 else 0.0 for a, c in zip(acute, chronic, strict=True)]  # no baseline: no ratio
    else:  # a focus grades a few windows: each ratio worked out as graded, the same arithmetic
        ratios = Computed(len(acute), lambda j: acute[j] / c if (c := chronic[j]) > 1e-9 else 0.0)
    settings = tl.policy.settings("load_spike", tl.policy.limited_roles("load_spike") & tl.roles)
    # Days of record before day index 0, and the days before index 0 the shifts here do not cover
    # (a scan reads recent shifts only: its first weeks lack their chronic baseline).
    recorded = tl.first_day - tl.history_day
    unread = recorded if tl.complete_day is None else tl.first_day - tl.complete_day

    def enough(j: int, days: int) -> bool:
        return j + recorded >= days and j + unread >= days

    start = max(0, int(settings["min_history_days"]) - min(recorded, unread))

    def gate(j: int, values: Mapping[str, Any]) -> bool:
        return (enough(j, values["min_history_days"]) and chronic[j] > 1e-9
                and chronic[j] >= values["min_chronic_hours"] - EPSILON
                and acute[j] - chronic[j] >= values["min_rise_hours"] - EPSILON)

    def describe(hit: Hit, first: int, last: int) -> tuple[str, dict[str, Any]]:
        a, c = acute[hit.at], chronic[hit.at]
        message = (f"{say.number(a)} weighted hours in the 7 days {_span(first, last)}: "
                   f"{say.measured(hit.value, hit.threshold, 2)} times the weekly average of {say.number(c)} "
                   f"over the 4 weeks before ({_span(first - 28, first - 1)}), "
                   f"{say.level(hit.severity, hit.threshold, '>')}")
        return message, {"acute_weighted_hours": round(a, 2), "chronic_weekly_weighted_hours": round(c, 2),
                         "ratio": round(hit.value, 4),
                         "chronic_window_start": tl.midnight(first - 28).isoformat(),
                         "chronic_window_end": tl.midnight(first).isoformat()}

    hits = grade_windows(tl, "load_spike", ratios, 7, start=start, gate=gate)
    return window_warnings(tl, "load_spike", hits, 7, describe, preferred_daily=daily)

