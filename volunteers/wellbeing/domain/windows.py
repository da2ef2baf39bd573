"""Sliding windows of local dates, and episodes of windows or events.

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
from operator import sub
from typing import NamedTuple

from volunteers.wellbeing.domain.severity import severity_rank


def window_sums(daily: Sequence[float], width: int) -> list[float]:
    """Return the sum of every ``width``-day window that overlaps ``daily``.

    Element ``j`` is the window ending on day index ``j``; there are
    ``len(daily) + width - 1`` of them. The sums carry float noise of the
    order of 1e-12; :func:`~.policy.meets` rounds before comparing.
    """
    n = len(daily)
    if n == 0:
        return []
    # prefix[k] = sum of the days before index k - width + 1, padded so every window is one subtraction
    prefix = [0.0] * width + list(accumulate(map(float, daily)))
    prefix += [prefix[-1]] * (width - 1)
    return list(map(sub, prefix[width:], prefix[:n + width - 1]))


class Computed(Sequence[float]):
    """A sequence of floats worked out one element at a time, when asked: a focus grades only a few windows.

    Only for what costs a Python step per element (a window sum is cheaper as a list, made in C).

    ``at(j)`` must give what the list it stands for holds at ``0 <= j < length``.
    """

    __slots__ = ("_at", "_length")

    def __init__(self, length: int, at: Callable[[int], float]) -> None:
        self._length = length
        self._at = at

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, j: int) -> float:  # type: ignore[override]  # no slices: the rules ask by index
        if not 0 <= j < self._length:
            raise IndexError(j)
        return self._at(j)


def rolling_max(daily: Sequence[float], width: int) -> float:
    """Return the largest sum of ``width`` consecutive days (0.0 when there are no days)."""
    return max(window_sums(daily, width), default=0.0)


class Hit(NamedTuple):
    """One window or event that meets a level of a rule."""

    at: int  #: the window end (day index) or the event's position
    severity: str
    threshold: float
    value: float  #: the metric, unrounded


@dataclass(frozen=True, slots=True)
class Episode:
    """A maximal run of consecutive windows or events over a rule's lowest level."""

    first: int  #: index of its first window/event
    last: int  #: index of its last window/event
    worst: Hit  #: where it is worst: the value the warning reports


def episodes(hits: Sequence[Hit], *, lower_is_worse: bool = False,
             preferred: Callable[[int], bool] | None = None) -> list[Episode]:
    """Group ``hits`` (sorted by index; windows/events below every level left out) into episodes.

    Hits with consecutive indices form one episode. It is reported at its
    worst: the highest severity, then the most extreme value; among equal
    ones, the first index for which ``preferred`` holds (e.g. a window whose
    first day has hours), else the first index.
    """
    found: list[Episode] = []
    first = 0  # the current episode's first index, set with its first hit
    best: Hit | None = None
    best_key: tuple = ()
    previous = -2
    for hit in hits:
        if hit.at != previous + 1 and best is not None:
            found.append(Episode(first=first, last=previous, worst=best))
            best = None
        if best is None:
            first = hit.at
        value = round(-hit.value if lower_is_worse else hit.value, 6)
        key = (severity_rank(hit.severity), value, bool(preferred(hit.at)) if preferred else False)
        if best is None or key > best_key:
            best, best_key = hit, key
        previous = hit.at
    if best is not None:
        found.append(Episode(first=first, last=previous, worst=best))
    return found
