"""Rules over duties: long_duty, short_rest, consecutive_days, consecutive_nights, early_starts.

A duty is a run of one person's shifts with gaps under an hour (see
:func:`.duties.merge_duties`), stand-by (on-call) shifts included: a night
on call is a night duty, and counts for rest, consecutive days and nights
and early starts. DESIGN.md exempts only ``long_duty``: "stand-by duties
are not judged", so a duty made entirely of on-call shifts is skipped
there. Stand-by still weighs 0.25 WLH an hour in ``weekly_load`` and
``load_spike``, and in full (raw hours) in ``over_pledge``.

``long_duty`` and ``short_rest`` judge events (duties, rests); consecutive
events over the lowest level form one episode. The run rules judge each
maximal run of consecutive local dates as one episode.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.domain.duties import Duty
from volunteers.wellbeing.domain.grading import (
    event_warnings,
    grade_windows,
    window_warnings,
)
from volunteers.wellbeing.domain.model import LoadWarning
from volunteers.wellbeing.domain.policy import grade, meets
from volunteers.wellbeing.domain.timeline import Timeline
from volunteers.wellbeing.domain.windows import Hit, window_sums


def _duty_loads(tl: Timeline, duties: list[Duty]) -> list[int]:
    return sorted(i for duty in duties for i in duty.shifts)


def _grade_duty(tl: Timeline, duty: Duty) -> tuple[str, float] | None:
    """Return the worst level a duty's length meets: the lowest applicable threshold it exceeds."""
    settings = tl.policy.settings("long_duty", duty.roles)
    intense = duty.intensity >= settings["intense_from"]
    critical = [settings["critical"], settings["night_critical"] if duty.is_night else None,
                settings["intense_critical"] if intense else None]
    warning = [settings["warning"], settings["intense_warning"] if intense else None]
    for severity, options in (("critical", critical), ("warning", warning)):
        crossed = [float(t) for t in options if t is not None and meets(duty.hours, t, ">")]
        if crossed:
            return severity, min(crossed)
    return None


def long_duty(tl: Timeline) -> list[LoadWarning]:
    """Warn about duties longer than 6 h (4.5 h when intense), critical beyond 12 h (8 h at night or intense).

    A duty is intense when its most intense worked shift reaches
    ``intense_from`` (1.5). Its length runs from its first start to its
    last end, gaps under an hour included. Stand-by duties (every shift on
    call) are not judged; a duty mixing worked and on-call shifts is, over
    its whole length.
    """
    judged = [duty for duty in tl.duties if not duty.stand_by]
    policy = tl.policy
    strictest = policy.settings("long_duty", policy.limited_roles("long_duty") & tl.roles)
    shortest = min((float(strictest[key]) for key in ("warning", "intense_warning", "critical",
                                                      "intense_critical", "night_critical")
                    if strictest[key] is not None), default=None)
    if shortest is None:
        return []

    def hit(k: int) -> Hit | None:
        duty = judged[k]
        graded = _grade_duty(tl, duty) if duty.hours > shortest else None
        return Hit(k, graded[0], graded[1], duty.hours) if graded else None

    if tl.focus is not None and not tl.focus.spans:
        hits = _hits_around(len(judged), hit, [k for k, duty in enumerate(judged)
                                               if not tl.focus_loads.isdisjoint(duty.shifts)])
    else:
        hits = [found for found in map(hit, range(len(judged))) if found is not None]

    def describe(hit: Hit) -> tuple[str, dict[str, Any]]:
        duty = judged[hit.at]
        intense = duty.intensity >= tl.policy.settings("long_duty", duty.roles)["intense_from"]
        words = [word for word, on in (("intense", intense), ("night", duty.is_night)) if on]
        phrase = " ".join([*words, "duty"])
        article = "An" if phrase[0] in "aeiou" else "A"
        message = (f"{article} {phrase} of {say.measured(hit.value, hit.threshold)} hours from "
                   f"{say.moment(duty.local_start)} to {say.moment(duty.local_end)}, "
                   f"{say.level(hit.severity, hit.threshold, '>', 'hours')}")
        return message, {"hours": round(duty.hours, 2), "night_hours": round(duty.night_hours, 2),
                         "night_duty": duty.is_night, "intensity": duty.intensity}

    spans = [(duty.start_ts, duty.end_ts) for duty in judged]
    return event_warnings(tl, "long_duty", hits, spans, [duty.shifts for duty in judged], describe)


def _hits_around(n: int, hit: Callable[[int], Hit | None], seeds: list[int]) -> list[Hit]:
    """Return the hits of the runs of events (episodes) that hold one of ``seeds``, each run followed to its ends.

    A focus on some shifts asks only about the episodes they are in: the
    events elsewhere are never graded, and each episode returned is whole.
    """
    found: dict[int, Hit] = {}
    for seed in seeds:
        if seed in found or (first := hit(seed)) is None:
            continue
        found[seed] = first
        for step in (-1, 1):
            k = seed + step
            while 0 <= k < n and k not in found and (more := hit(k)) is not None:
                found[k] = more
                k += step
    return [found[k] for k in sorted(found)]


def _rest_reason(duty: Duty) -> str:
    if duty.is_night:
        return "a night duty"
    if duty.local_end.date() > duty.local_start.date():
        return "a duty across midnight"
    return "an evening duty"


def short_rest(tl: Timeline) -> list[LoadWarning]:
    """Warn when the rest after an evening, overnight or night duty is under 11 h (critical under 8 h).

    The rest runs from the duty's end to the next duty's start, in real
    hours; it is judged after a duty that ends at or after 19:00 local,
    ends on a later local date than it started, or is a night duty.
    """
    duties = tl.duties
    pairs = [(k, duties[k], duties[k + 1]) for k in range(len(duties) - 1) if duties[k].needs_rest]
    strictest = tl.policy.levels("short_rest", tl.policy.limited_roles("short_rest") & tl.roles)
    longest = max((threshold for _, threshold in strictest), default=None)
    if longest is None:
        return []
    hits: list[Hit] = []
    for position, (_, before, after) in enumerate(pairs):
        rest = (after.start_ts - before.end_ts) / 3600
        if rest < longest:
            graded = grade(rest, tl.policy.levels("short_rest", before.roles | after.roles), "<")
            if graded:
                hits.append(Hit(position, graded[0], graded[1], rest))

    def describe(hit: Hit) -> tuple[str, dict[str, Any]]:
        _, before, after = pairs[hit.at]
        message = (f"{say.measured(hit.value, hit.threshold)} hours of rest between {_rest_reason(before)} "
                   f"ending {say.moment(before.local_end)} and the next duty at "
                   f"{say.moment(after.local_start)}, {say.level(hit.severity, hit.threshold, '<', 'hours')}")
        return message, {"rest_hours": round(hit.value, 2), "reason": _rest_reason(before)}

    spans = [(before.end_ts, after.start_ts) for _, before, after in pairs]
    loads_of = [tuple(before.shifts + after.shifts) for _, before, after in pairs]
    return event_warnings(tl, "short_rest", hits, spans, loads_of, describe)


def _run_warnings(tl: Timeline, rule: str, duties: list[Duty], kind: str,
                  phrase: Callable[[int, str], str]) -> list[LoadWarning]:
    """Warn about each maximal run of consecutive local dates on which one of ``duties`` starts."""
    runs: list[list[Duty]] = []
    for duty in duties:  # sorted by start, so by local date
        if runs and duty.day <= runs[-1][-1].day + 1:
            runs[-1].append(duty)
        else:
            runs.append([duty])
    strictest = tl.policy.levels(rule, tl.policy.limited_roles(rule) & tl.roles)
    if not strictest:
        return []
    shortest = min(threshold for _, threshold in strictest)
    warnings = []
    for run in runs:
        first, last = run[0].day, run[-1].day
        length = last - first + 1
        if length < shortest:
            continue
        behind = _duty_loads(tl, run)
        end_ts = max(d.end_ts for d in run)
        if not tl.in_focus(run[0].start_ts, end_ts, behind):
            continue  # not asked about (a focus)
        graded = grade(length, tl.policy.levels(rule, frozenset().union(*(d.roles for d in run))), ">=")
        if graded is None:
            continue
        severity, threshold = graded
        message = (f"{phrase(length, say.days(date.fromordinal(first), date.fromordinal(last)))}, "
                   f"{say.level(severity, threshold, '>=')}")
        span = (run[0].local_start, tl.local(end_ts))
        warnings.append(tl.warning(
            rule, severity, float(length), threshold, message, window=span, episode=span,
            worst=behind, behind=behind, kind=kind, details={"days": length, "duties": len(run)}))
    return warnings


def consecutive_days(tl: Timeline) -> list[LoadWarning]:
    """Warn about runs of 6 (critical 7) or more consecutive local dates on which a duty starts."""
    return _run_warnings(tl, "consecutive_days", tl.duties, "",
                         lambda n, span: f"Duties on {n} consecutive days, {span}")


def early_starts(tl: Timeline) -> list[LoadWarning]:
    """Warn about 3 or more consecutive local dates with a duty starting before 07:00 local."""
    early = [duty for duty in tl.duties if duty.is_early]
    return _run_warnings(tl, "early_starts", early, "",
                         lambda n, span: f"Duties starting before 07:00 on {n} consecutive days, {span}")


def consecutive_nights(tl: Timeline) -> list[LoadWarning]:
    """Warn about night duties on 3 (critical 4) or more consecutive dates, and more than 4 in any 28 days.

    A night duty has at least 3 h between 23:00 and 06:00 local and counts
    on the local date it starts. The two kinds are separate episodes
    (``episode_key`` ``run:…`` and ``count:…``).
    """
    nights = [duty for duty in tl.duties if duty.is_night]
    if not nights:
        return []
    warnings = _run_warnings(tl, "consecutive_nights", nights, "run",
                             lambda n, span: f"Night duties on {n} consecutive dates, {span}")
    counts = [0.0] * tl.n_days
    for duty in nights:
        counts[duty.day - tl.first_day] += 1
    sums = window_sums(counts, 28)

    def levels_for(roles: frozenset[str]) -> tuple[tuple[str, float], ...]:
        limit = tl.policy.settings("consecutive_nights", roles).get("max_in_28_days")
        return () if limit is None else (("warning", float(limit)),)

    def night_loads(timeline: Timeline, first: int, last: int) -> list[int]:
        return _duty_loads(timeline, [duty for duty in nights if first <= duty.day <= last])

    def describe(hit: Hit, first: int, last: int) -> tuple[str, dict[str, Any]]:
        span = say.days(date.fromordinal(first), date.fromordinal(last))
        message = f"{say.number(hit.value)} night duties in the 28 days {span}, " + say.level(
            hit.severity, hit.threshold, ">")
        return message, {"night_duties": int(hit.value)}

    hits = grade_windows(tl, "consecutive_nights", sums, 28, comparison=">", levels_for=levels_for)
    return warnings + window_warnings(tl, "consecutive_nights", hits, 28, describe, select=night_loads,
                                      preferred_daily=counts, kind="count")
