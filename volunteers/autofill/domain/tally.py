"""One person's load as places are added one by one: the model's linear rules, checked in Python.

The greedy rota asks "may this person take this shift too?" thousands of
times; running the canonical rules for each question took most of a
minute on a 1,000-person month. A :class:`Ledger` answers with the same
linear rules as the CP-SAT model (``model``, ``windows``, ``spike``) over
per-date arrays, so a greedy answer is also a solution of the model; the
canonical rules then judge the finished rota once per person.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import accumulate

from volunteers.autofill.domain.load import Limits, ShiftFacts
from volunteers.autofill.domain.problem import conflict, reach
from volunteers.autofill.domain.spike import ACUTE, CHRONIC

METRICS = ("weighted", "weighted_low", "intense", "minutes")


#: days around the person's choices that any rule's window can reach
MARGIN = ACUTE + CHRONIC + 7


class Ledger:
    """A person's fixed and chosen loads, by local date, with the model's limits.

    ``first_day`` is the earliest date the person could have a shift (as
    the model takes it, for ``load_spike``'s history condition);
    ``choice_days`` the dates of the shifts they may be given.
    """

    def __init__(self, limits: Limits, pledge_cap: int | None, fixed: Iterable[ShiftFacts],
                 first_day: int, choice_days: tuple[int, int]) -> None:
        self.limits = limits
        self.pledge_cap = pledge_cap
        self.base = choice_days[0] - MARGIN
        size = choice_days[1] + MARGIN - self.base + 1
        self.daily = {metric: [0] * size for metric in METRICS}
        self.flags = {test: [0] * size for test in ("any", "night", "early")}
        self.loads: list[ShiftFacts] = []
        self.starts: list[datetime] = []
        self.first_day = first_day
        self.near = reach(limits)
        self.longest = timedelta()
        for load in fixed:
            self.add(load)
        #: the loads fixed before any choice: windows already over a limit take nothing more
        self.reference = {metric: list(values) for metric, values in self.daily.items()}

    def _sums(self, metric: str, first: int, last: int, extra: ShiftFacts | None = None,
              daily: dict[str, list[int]] | None = None) -> list[int]:
        """Return prefix sums of ``metric`` over dates ``first..last`` (element k: dates before first + k)."""
        values = (daily or self.daily)[metric]
        out = list(accumulate(values[first - self.base:last - self.base + 1], initial=0))
        if extra is not None and first <= extra.day <= last:
            amount = getattr(extra, metric)
            for k in range(extra.day - first + 1, len(out)):
                out[k] += amount
        return out

    def add(self, load: ShiftFacts) -> None:
        """Count ``load`` as one of the person's duties."""
        i = load.day - self.base
        if 0 <= i < len(self.flags["any"]):
            for metric in METRICS:
                self.daily[metric][i] += getattr(load, metric)
            self.flags["any"][i] += 1
            self.flags["night"][i] += load.night
            self.flags["early"][i] += load.early
        self.longest = max(self.longest, load.end - load.start)
        at = bisect_left(self.starts, load.start)
        self.starts.insert(at, load.start)
        self.loads.insert(at, load)

    def remove(self, load: ShiftFacts) -> None:
        """Undo :meth:`add` of ``load`` (a chosen place given up)."""
        i = load.day - self.base
        if 0 <= i < len(self.flags["any"]):
            for metric in METRICS:
                self.daily[metric][i] -= getattr(load, metric)
            self.flags["any"][i] -= 1
            self.flags["night"][i] -= load.night
            self.flags["early"][i] -= load.early
        at = self.loads.index(load)
        del self.loads[at]
        del self.starts[at]

    def fits(self, load: ShiftFacts) -> bool:
        """Return whether ``load`` keeps every linear rule of the model."""
        return (self._pairs_ok(load) and self._windows_ok(load) and self._counts_ok(load)
                and self._spike_ok(load))

    def _pairs_ok(self, load: ShiftFacts) -> bool:
        lo = bisect_left(self.starts, load.start - self.near - self.longest)
        hi = bisect_right(self.starts, load.end + self.near)
        for other in self.loads[lo:hi]:
            first, second = (other, load) if other.start <= load.start else (load, other)
            if conflict(first, second, self.limits):
                return False
        return True

    def _windows_ok(self, load: ShiftFacts) -> bool:
        limits = self.limits
        for metric, length, cap in (("weighted", 7, limits.weekly_weighted),
                                    ("intense", 7, limits.intense),
                                    ("minutes", 28, self.pledge_cap)):
            if cap is None or not getattr(load, metric):
                continue
            sums = self._sums(metric, load.day - length + 1, load.day + length - 1, load)
            if any(sums[k + length] - sums[k] > cap for k in range(length)):
                return False
        return True

    def _counts_ok(self, load: ShiftFacts) -> bool:
        for test, run, most in self.limits.count_limits:
            if test != "any" and not getattr(load, test):
                continue
            flags = self.flags[test]
            i = load.day - self.base
            if flags[i]:
                continue  # the date counts already
            marks = [1 if flags[j] or j == i else 0 for j in range(i - run + 1, i + run)]
            if any(sum(marks[k:k + run]) > most for k in range(run)):
                return False
        return True

    def _spike_ok(self, load: ShiftFacts) -> bool:
        self.add(load)
        try:
            return self.spikes_ok(load.day)
        finally:
            self.remove(load)

    def can_give_up(self, load: ShiftFacts) -> bool:
        """Return whether dropping ``load`` keeps ``spike_caps``'s rule (fewer chronic hours can break it)."""
        self.remove(load)
        try:
            return self.spikes_ok(load.day)
        finally:
            self.add(load)

    def spikes_ok(self, day: int) -> bool:
        """Return whether the windows that hold ``day`` keep ``spike_caps``'s rule.

        A window may not be a spike, unless it was one before any choice
        (history, places held) and its acute week holds no choice.
        """
        limits = self.limits
        if limits.spike_ratio is None:
            return True
        first = max(day, self.first_day + limits.spike_history_days)
        last = day + ACUTE + CHRONIC - 1
        if first > last:
            return True
        now = self._spike(first, last, self.daily)
        if not any(now):
            return True
        before = self._spike(first, last, self.reference)
        up, ref = self.daily["weighted"], self.reference["weighted"]
        for d, spiked in zip(range(first, last + 1), now, strict=True):
            if spiked:
                acute = slice(d - ACUTE + 1 - self.base, d + 1 - self.base)
                if not before[d - first] or up[acute] != ref[acute]:
                    return False
        return True

    def _spike(self, first: int, last: int, daily: dict[str, list[int]]) -> list[bool]:
        """Return, for windows ending on ``first..last``, whether each meets none of G, L and R."""
        limits = self.limits
        if limits.spike_ratio is None:  # the rule is off: no window is a spike
            return [False] * (last - first + 1)
        r = int(limits.spike_ratio * 100 + 1e-9)
        g_most, l_most = 4 * limits.spike_min_chronic - 1, 4 * limits.spike_min_rise - 1
        lo = first - ACUTE - CHRONIC + 1
        up = self._sums("weighted", lo, last, daily=daily)
        low = self._sums("weighted_low", lo, last, daily=daily)
        out = []
        for d in range(first, last + 1):
            k = d - lo + 1  # prefix index just after d
            a = up[k] - up[k - ACUTE]
            s_up = up[k - ACUTE] - up[k - ACUTE - CHRONIC]
            s_low = low[k - ACUTE] - low[k - ACUTE - CHRONIC]
            out.append(not (s_up <= g_most or 4 * a - s_low <= l_most or 400 * a <= r * s_low))
        return out
