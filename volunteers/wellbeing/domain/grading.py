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
        message, details = describe(worst)
        behind = sorted({i for k in range(episode.first, episode.last + 1) for i in loads_of[k]})
        warnings.append(tl.warning(
            rule, worst.severity, round(worst.value, 2), worst.threshold, message,
            window=(tl.local(spans[worst.at][0]), tl.local(spans[worst.at][1])),
            episode=(tl.local(spans[episode.first][0]), tl.local(spans[episode.last][1])),
            worst=loads_of[worst.at], behind=behind, details=details))
    return warnings
