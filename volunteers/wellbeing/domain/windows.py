"""Sliding windows of local dates, runs of dates, and episodes.

Days are indexed from a person's first shift date (index 0). "Any 7 days"
means every window of 7 consecutive local dates that holds at least one
of those days; the window ending on day index ``j`` covers
``j - width + 1 .. j``, so windows may begin before the first shift and end
after the last. Sums use prefix sums: O(days), not O(days × width).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from volunteers.wellbeing.domain.severity import severity_rank


def window_sums(daily: Sequence[float], width: int) -> list[float]:
    """Return the sum of every ``width``-day window that overlaps ``daily``.

    Element ``j`` is the window ending on day index ``j``; there are
    ``len(daily) + width - 1`` of them. Sums are rounded to 9 decimals so
    that the float noise of the prefix sums never crosses a threshold.
    """
    n = len(daily)
    if n == 0:
        return []
    prefix = [0.0, *accumulate(daily)]
    last = n - 1
    return [round(prefix[j + 1 if j < last else n] - prefix[j - width + 1 if j >= width else 0], 9)
            for j in range(n + width - 1)]


def rolling_max(daily: Sequence[float], width: int) -> float:
    """Return the largest sum of ``width`` consecutive days (0.0 when there are no days)."""
    return max(window_sums(daily, width), default=0.0)


@dataclass(frozen=True, slots=True)
class Hit:
    """One window or event that meets a level of a rule."""

    index: int  #: the window end (day index) or the event's position
    severity: str
    threshold: float
    value: float  #: the metric, unrounded


@dataclass(frozen=True, slots=True)
class Episode:
    """A maximal run of consecutive windows or events over a rule's lowest level."""

    first: int  #: index of its first window/event
    last: int  #: index of its last window/event
    worst: Hit  #: where it is worst: the value the warning reports


def episodes(hits: Sequence[Hit | None], *, lower_is_worse: bool = False,
             preferred: Callable[[int], bool] | None = None) -> list[Episode]:
    """Group ``hits`` (one per window/event, ``None`` below every level) into episodes.

    An episode is reported at its worst: the highest severity, then the
    most extreme value; among equal ones, the first index for which
    ``preferred`` holds (e.g. a window whose first day has hours), else
    the first index.
    """
    found: list[Episode] = []
    start: int | None = None
    best: Hit | None = None
    best_key: tuple = ()
    for position, hit in enumerate([*hits, None]):
        if hit is None:
            if start is not None and best is not None:
                found.append(Episode(first=start, last=position - 1, worst=best))
            start, best = None, None
            continue
        if start is None:
            start = position
        value = round(-hit.value if lower_is_worse else hit.value, 6)
        key = (severity_rank(hit.severity), value, bool(preferred(hit.index)) if preferred else False)
        if best is None or key > best_key:
            best, best_key = hit, key
    return found
