"""Sums over windows of local dates for one person, as CP-SAT constraints.

A person's choices are grouped by the local date their hours count on
(the shift's start date). A :class:`Prefix` keeps running sums over those
dates, so any window — 7 days or 28 — costs two terms whatever it holds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model

#: A linear expression or a constant. ``cp_model.LinearExprT`` also admits numpy
#: integers, whose operator stubs do not accept a ``LinearExpr``; we never make those.
Expr: TypeAlias = "cp_model.LinearExpr | int"


@dataclass(frozen=True)
class Term:
    """A variable's amount on one day, and whether it is held now (a repair's baseline)."""

    var: cp_model.IntVar
    coef: int
    held: bool


class Flagged(Protocol):
    """A choice on a date: its variable and whether it is held now (read only: frozen values fit)."""

    @property
    def var(self) -> cp_model.IntVar: ...

    @property
    def held(self) -> bool: ...


class Prefix:
    """Sums of one person's day amounts over date ranges, from shared prefix sums.

    The running-sum variables are made on first use, so a metric nothing
    asks about costs nothing.
    """

    def __init__(self, model: cp_model.CpModel, var_terms: Mapping[int, list[Term]]) -> None:
        self.model = model
        self.terms = var_terms
        self.days = sorted(var_terms)
        self._most = [0]
        self._held = [0]
        for d in self.days:
            self._most.append(self._most[-1] + sum(t.coef for t in var_terms[d]))
            self._held.append(self._held[-1] + sum(t.coef for t in var_terms[d] if t.held))
        self._sums: list[Expr] | None = None

    def _prefix(self) -> list[Expr]:
        if self._sums is None:
            sums: list[Expr] = [0]
            for k, d in enumerate(self.days):
                expr = sum(t.var * t.coef for t in self.terms[d])
                if len(self.terms[d]) > 1 or k > 0:
                    total = self.model.new_int_var(0, self._most[k + 1], "")
                    self.model.add(total == sums[-1] + expr)
                    sums.append(total)
                else:
                    sums.append(expr)
            self._sums = sums
        return self._sums

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Return the index range ``[i, j)`` of variable days within ``first..last``."""
        return bisect_left(self.days, first), bisect_right(self.days, last)

    def most(self, first: int, last: int) -> int:
        """Return the largest the variable part over ``first..last`` can be."""
        i, j = self.span(first, last)
        return self._most[j] - self._most[i]

    def held(self, first: int, last: int) -> int:
        """Return the variable part over ``first..last`` when exactly the held choices are made."""
        i, j = self.span(first, last)
        return self._held[j] - self._held[i]

    def expr(self, first: int, last: int) -> Expr:
        """Return the variable part over ``first..last``."""
        i, j = self.span(first, last)
        if i >= j:
            return 0
        if j - i == 1 and len(self.terms[self.days[i]]) == 1:
            t = self.terms[self.days[i]][0]
            return t.var * t.coef
        sums = self._prefix()
        return sums[j] - sums[i]


class DaySums:
    """Fixed amounts per local date (history, places held), summed over ranges in O(1)."""

    def __init__(self, daily: Mapping[int, int], first: int, last: int) -> None:
        self.first = first
        self._sums = [0]
        for d in range(first, last + 1):
            self._sums.append(self._sums[-1] + daily.get(d, 0))

    def total(self, first: int, last: int) -> int:
        """Return the sum over local dates ``first..last`` (clipped to the known range)."""
        i = min(max(first - self.first, 0), len(self._sums) - 1)
        j = min(max(last - self.first + 1, 0), len(self._sums) - 1)
        return self._sums[j] - self._sums[i] if j > i else 0


def window_caps(model: cp_model.CpModel, prefix: Prefix, fixed: Mapping[int, int], length: int,
                cap: int) -> None:
    """Keep the sum over every ``length``-day window at or under ``cap``.

    Fixed amounts count; a window already over the cap takes nothing more
    (what is held now may stay). Windows that hold the same chosen days keep
    only the tightest bound.
    """
    days = prefix.days
    if not days:
        return
    sums = DaySums(fixed, days[0] - length + 1, days[-1] + length - 1)
    room: dict[tuple[int, int], int] = {}
    for start in range(days[0] - length + 1, days[-1] + 1):
        last = start + length - 1
        i, j = prefix.span(start, last)
        if i >= j:
            continue
        most, held = prefix.most(start, last), prefix.held(start, last)
        used = sums.total(start, last)
        if used + most <= cap:
            continue
        key = (i, j)
        room[key] = min(room.get(key, most), max(0, cap - used, held))
    for (i, j), left in room.items():
        model.add(prefix.expr(days[i], days[j - 1]) <= left)


def count_caps(model: cp_model.CpModel, var_days: Mapping[int, Sequence[Flagged]],
               fixed_days: set[int], length: int, most: int) -> None:
    """Allow at most ``most`` flagged dates in any ``length`` consecutive dates.

    Dates held now count as room (a repair may keep them).
    """
    if not var_days:
        return
    days = sorted(var_days)
    flag: dict[int, cp_model.IntVar] = {}
    bounds: dict[tuple[int, ...], int] = {}
    for start in range(days[0] - length + 1, days[-1] + 1):
        window = range(start, start + length)
        chosen = [d for d in window if d in var_days]
        used = sum(1 for d in window if d in fixed_days and d not in var_days)
        if not chosen or used + len(chosen) <= most:
            continue
        for d in chosen:
            if d not in flag:
                if len(var_days[d]) == 1:
                    flag[d] = var_days[d][0].var
                else:
                    flag[d] = model.new_bool_var("")
                    for item in var_days[d]:
                        model.add_implication(item.var, flag[d])
        # A fixed duty on a date with variables already makes the date count.
        free = [d for d in chosen if d not in fixed_days]
        room = most - used - (len(chosen) - len(free))
        held = sum(1 for d in free if any(item.held for item in var_days[d]))
        key = tuple(free)
        bounds[key] = min(bounds.get(key, len(free)), max(0, room, held))
    for dates, bound in bounds.items():
        if bound < len(dates):
            model.add(sum(flag[d] for d in dates) <= bound)
