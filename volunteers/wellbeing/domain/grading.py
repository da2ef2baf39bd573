"""The engines shared by the rules: grade every window or event, group episodes, build warnings.

Thresholds come from :meth:`Policy.levels` for the roles involved in each
window or event, so a role limit ("Helpline: weekly_load warning above 10")
applies exactly where that role's shifts are. Windows below the strictest
possible level are skipped without looking at roles, which keeps the common
case a single pass over a list of floats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from volunteers.wellbeing.domain.model import LoadWarning
from volunteers.wellbeing.domain.policy import COMPARISONS, EPSILON, grade
from volunteers.wellbeing.domain.timeline import Timeline
from volunteers.wellbeing.domain.windows import Episode, Hit, episodes

Levels = tuple[tuple[str, float], ...]
#: (worst hit, first ordinal, last ordinal of its window) → (message, details)
Describe = Callable[[Hit, int, int], tuple[str, dict[str, Any]]]


def window_days(tl: Timeline, index: int, width: int) -> tuple[int, int]:
    """Return the first and last date ordinals of the window ending on day ``index``."""
    last = tl.first_day + index
    return last - width + 1, last


def _roles_on(tl: Timeline, first: int, last: int, limited: frozenset[str]) -> frozenset[str]:
    return frozenset(tl.loads[i].span.role for i in tl.loads_on(first, last)).intersection(limited)


def grade_windows(tl: Timeline, rule: str, values: Sequence[float], width: int, *,
                  comparison: str | None = None,
                  levels_for: Callable[[frozenset[str]], Levels] | None = None,
                  start: int = 0,
                  gate: Callable[[int, Mapping[str, Any]], bool] | None = None) -> list[Hit]:
    """Return a :class:`Hit` for each window ``values[j]`` (ending on day ``j``) that meets a level.

    ``gate(j, settings)`` may veto a window (e.g. over_pledge's "excess
    under 2 h"); windows before ``start`` are not judged. Window metrics
    are "higher is worse" (``>`` or ``>=``).
    """
    policy = tl.policy
    comparison = comparison or COMPARISONS[rule]
    if levels_for is None:
        def levels_for(roles: frozenset[str]) -> Levels:
            return policy.levels(rule, roles)
    limited = policy.limited_roles(rule) & tl.roles
    strictest = levels_for(limited)
    if not strictest:
        return []
    floor = min(threshold for _, threshold in strictest) - EPSILON
    if tl.focus is not None:
        return _focused_hits(tl, values, floor, width,
                             _judge(tl, rule, values, comparison, levels_for, limited, floor, start, width, gate))
    candidates = [j for j, value in enumerate(values) if value >= floor]
    if start:
        candidates = [j for j in candidates if j >= start]
    hits = []
    if limited:
        for j in candidates:
            roles = _roles_on(tl, *window_days(tl, j, width), limited)
            if gate is not None and not gate(j, policy.settings(rule, roles)):
                continue
            graded = grade(values[j], levels_for(roles), comparison)
            if graded is not None:
                hits.append(Hit(j, graded[0], graded[1], values[j]))
        return hits
    # The common case, inlined: one set of levels for every window.
    settings = policy.settings(rule)
    # meets() inlined: value above threshold + EPSILON (">"), or at least threshold - EPSILON (">=")
    margin = EPSILON if comparison == ">" else -EPSILON
    strict = comparison == ">"
    for j in candidates:
        if gate is not None and not gate(j, settings):
            continue
        value = values[j]
        for severity, threshold in strictest:
            if value > threshold + margin if strict else value >= threshold + margin:
                hits.append(Hit(j, severity, threshold, value))
                break
    return hits


def _judge(tl: Timeline, rule: str, values: Sequence[float], comparison: str,
           levels_for: Callable[[frozenset[str]], Levels], limited: frozenset[str], floor: float, start: int,
           width: int, gate: Callable[[int, Mapping[str, Any]], bool] | None) -> Callable[[int], Hit | None]:
    """Return the grading of one window, as :func:`grade_windows`' loops grade every window."""
    policy = tl.policy
    if limited:
        def judge(j: int) -> Hit | None:
            value = values[j]
            if not value >= floor or j < start:
                return None
            roles = _roles_on(tl, *window_days(tl, j, width), limited)
            if gate is not None and not gate(j, policy.settings(rule, roles)):
                return None
            graded = grade(value, levels_for(roles), comparison)
            return None if graded is None else Hit(j, graded[0], graded[1], value)
        return judge
    settings, strictest = policy.settings(rule), levels_for(limited)
    margin = EPSILON if comparison == ">" else -EPSILON
    strict = comparison == ">"

    def judge_common(j: int) -> Hit | None:
        value = values[j]
        if not value >= floor or j < start or gate is not None and not gate(j, settings):
            return None
        for severity, threshold in strictest:
            if value > threshold + margin if strict else value >= threshold + margin:
                return Hit(j, severity, threshold, value)
        return None
    return judge_common


def _focused_hits(tl: Timeline, values: Sequence[float], floor: float, width: int,
                  judge: Callable[[int], Hit | None]) -> list[Hit]:
    """Return the hits of every run of windows (an episode) that holds a window on one of the focus days.

    The windows holding a focus day are graded, then each run of hits that
    reaches the end of them is followed to its own end, so every episode
    returned is whole and the same as the full grading's; the other windows
    are never graded.
    """
    n, first_day = len(values), tl.first_day
    spans: list[list[int]] = []  # merged [lo, hi) of the windows that hold a focus day
    for day in tl.focus_days:  # sorted
        lo, hi = max(0, day - first_day), min(n, day - first_day + width)  # windows ending lo .. hi - 1
        if lo >= hi:
            continue
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    found: dict[int, Hit] = {}
    for lo, hi in spans:
        for j in range(lo, hi):
            if values[j] >= floor and (hit := judge(j)) is not None:
                found[j] = hit
        k = lo - 1
        while lo in found and k >= 0 and k not in found and (hit := judge(k)) is not None:
            found[k] = hit
            k -= 1
        k = hi
        while hi - 1 in found and k < n and k not in found and (hit := judge(k)) is not None:
            found[k] = hit
            k += 1
    return [found[j] for j in sorted(found)]


def all_loads(tl: Timeline, first: int, last: int) -> list[int]:
    """Return every load index starting on local dates ``first..last``."""
    return list(tl.loads_on(first, last))


def window_warnings(tl: Timeline, rule: str, hits: Sequence[Hit], width: int,
                    describe: Describe, *, select: Callable[[Timeline, int, int], list[int]] = all_loads,
                    preferred_daily: Sequence[float] | None = None, kind: str = "") -> list[LoadWarning]:
    """Return one warning per episode of window ``hits``, at its worst window.

    Among equally bad windows the first whose first day carries hours in
    ``preferred_daily`` is reported ("23–29 Nov" rather than "20–26 Nov"
    for shifts on 23–26 Nov), else the first.
    """
    def preferred(j: int) -> bool:
        day = j - width + 1
        return preferred_daily is not None and 0 <= day < len(preferred_daily) and preferred_daily[day] > 0

    warnings = []
    for episode in episodes(hits, preferred=preferred):
        worst = episode.worst
        first, last = window_days(tl, worst.at, width)
        ep_first = window_days(tl, episode.first, width)[0]
        ep_last = window_days(tl, episode.last, width)[1]
        message, details = describe(worst, first, last)
        warnings.append(tl.warning(
            rule, worst.severity, round(worst.value, 2), worst.threshold, message,
            window=(tl.midnight(first), tl.midnight(last + 1)),
            episode=(tl.midnight(ep_first), tl.midnight(ep_last + 1)),
            worst=select(tl, first, last), behind=select(tl, ep_first, ep_last), kind=kind,
            details=details))
    return warnings


def event_warnings(tl: Timeline, rule: str, hits: Sequence[Hit],
                   spans: Sequence[tuple[float, float]], loads_of: Sequence[Sequence[int]],
                   describe: Callable[[Hit], tuple[str, dict[str, Any]]]) -> list[LoadWarning]:
    """Return one warning per episode of event ``hits`` (consecutive events over a level).

    A hit's index is its event's position among all events judged;
    ``spans[k]`` are the start/end timestamps of event ``k`` and
    ``loads_of[k]`` the load indices behind it.
    """
    warnings = []
    found: list[Episode] = episodes(hits, lower_is_worse=COMPARISONS[rule] == "<")
    for episode in found:
        worst = episode.worst
        behind = sorted({i for k in range(episode.first, episode.last + 1) for i in loads_of[k]})
        if not tl.in_focus(spans[episode.first][0], spans[episode.last][1], behind):
            continue  # not asked about (a focus): not described
        message, details = describe(worst)
        warnings.append(tl.warning(
            rule, worst.severity, round(worst.value, 2), worst.threshold, message,
            window=(tl.local(spans[worst.at][0]), tl.local(spans[worst.at][1])),
            episode=(tl.local(spans[episode.first][0]), tl.local(spans[episode.last][1])),
            worst=loads_of[worst.at], behind=behind, details=details))
    return warnings
