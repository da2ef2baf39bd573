"""The CP-SAT model of the auto-rota: variables, hard constraints and objectives.

One Boolean per (shift, person) pair left by :mod:`problem`. Hard rules:
capacity, no two overlapping shifts, no pair of shifts that merge into a too
long duty or leave too short a rest, and the window rules of the load policy
over per-person day sums (built as prefix sums, so a 28-day window costs two
terms whatever it holds). Consecutive-date rules use one flag per person and
date. Windows that cannot be exceeded are not built.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from volunteers.rota.domain.solver.load import Limits, ShiftFacts
from volunteers.rota.domain.solver.problem import Problem, conflict, reach

Pair = tuple[str, str]


@dataclass
class Built:
    """A built model and the handles the stages need."""

    model: cp_model.CpModel
    x: dict[Pair, cp_model.IntVar]
    #: candidate id → their pairs in the model
    by_person: dict[str, list[Pair]] = field(default_factory=dict)


def build(problem: Problem, *, cuts: Iterable[frozenset[Pair]] = ()) -> Built:
    """Return the model with every hard constraint.

    ``cuts`` are sets of pairs that must not all be chosen (found by the
    post-check). In a repair, the places people hold now (the baseline) are
    choices too; a limit the baseline already breaks is not enforced against
    it — the repair may keep what the coordinator decided, but adds nothing
    that makes it worse.
    """
    model = cp_model.CpModel()
    x = {pair: model.new_bool_var(f"x[{pair[0]},{pair[1]}]") for pair in problem.pairs}
    by_person: dict[str, list[Pair]] = defaultdict(list)
    by_shift: dict[str, list[Pair]] = defaultdict(list)
    for pair in problem.pairs:
        by_shift[pair[0]].append(pair)
        by_person[pair[1]].append(pair)

    for sid, pairs in by_shift.items():
        if len(pairs) > problem.capacity[sid]:
            model.add(sum(x[p] for p in pairs) <= problem.capacity[sid])

    for cid, pairs in by_person.items():
        pairs.sort(key=lambda p: (problem.loads[p[0]].start, p[0]))
        _person(model, problem, cid,
                [Item(x[p], problem.loads[p[0]], p in problem.baseline) for p in pairs])
    for cut in cuts:
        members = [x[p] for p in cut if p in x]
        if members:
            model.add(sum(members) <= len(members) - 1)
    return Built(model=model, x=x, by_person=dict(by_person))


@dataclass(frozen=True)
class Item:
    """One of a person's choices: its variable, its load, and whether they hold it now."""

    var: cp_model.IntVar
    load: ShiftFacts
    held: bool = False


def _person(model: cp_model.CpModel, problem: Problem, cid: str, items: list[Item]) -> None:
    """Add one person's overlap, pair and window constraints."""
    limits = problem.limits[cid]
    fixed = problem.fixed.get(cid, ())
    _overlaps_and_pairs(model, items, limits)

    def terms(metric: str) -> dict[int, list[Term]]:
        out: dict[int, list[Term]] = defaultdict(list)
        for item in items:
            value = getattr(item.load, metric)
            if value:
                out[item.load.day].append(Term(item.var, int(value), item.held))
        return out

    def fixed_sum(metric: str) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for load in fixed:
            out[load.day] += int(getattr(load, metric))
        return out

    weighted = terms("weighted")
    if limits.weekly_weighted is not None:
        _window_caps(model, weighted, fixed_sum("weighted"), 7, limits.weekly_weighted)
    first_day = min([load.day for load in fixed] + [item.load.day for item in items])
    _spike_caps(model, Prefix(model, weighted), fixed_sum("weighted"), first_day, limits)
    if limits.intense is not None:
        _window_caps(model, terms("intense"), fixed_sum("intense"), 7, limits.intense)
    cap = limits.pledge_cap(problem.candidates[cid].pledged_hours_per_week)
    if cap is not None:
        _window_caps(model, terms("minutes"), fixed_sum("minutes"), 28, cap)

    def flags(test: str) -> tuple[dict[int, list[Item]], set[int]]:
        var_days: dict[int, list[Item]] = defaultdict(list)
        for item in items:
            if test == "any" or getattr(item.load, test):
                var_days[item.load.day].append(item)
        fixed_days = {load.day for load in fixed if test == "any" or getattr(load, test)}
        return var_days, fixed_days

    for test, run, most in (
            ("any", None if limits.consecutive_days is None else limits.consecutive_days + 1,
             limits.consecutive_days),
            ("night", None if limits.consecutive_nights is None else limits.consecutive_nights + 1,
             limits.consecutive_nights),
            ("night", 28, limits.nights_in_28_days),
            ("early", None if limits.early_starts is None else limits.early_starts + 1,
             limits.early_starts)):
        if run is None or most is None:
            continue
        var_days, fixed_days = flags(test)
        _count_caps(model, var_days, fixed_days, run, most)


def _overlaps_and_pairs(model: cp_model.CpModel, items: list[Item], limits: Limits) -> None:
    """Forbid overlapping shifts (as cliques) and conflicting pairs close in time.

    Clashes between two places someone already holds (a repair) are left alone.
    """
    def at_most_one(clique: list[Item]) -> None:
        if len(clique) > 1 and sum(item.held for item in clique) < 2:
            model.add_at_most_one(item.var for item in clique)

    # Maximal cliques of the interval graph: the active set just before an end.
    active: list[Item] = []
    grown = False
    for item in items:  # sorted by start
        still = [other for other in active if other.load.end > item.load.start]
        if len(still) < len(active):
            if grown:
                at_most_one(active)
            grown = False
        active = still + [item]
        grown = True
    if grown:
        at_most_one(active)
    near = reach(limits)
    starts = [item.load.start for item in items]
    for i, item in enumerate(items):
        lo = bisect_left(starts, item.load.end, lo=i + 1)
        hi = bisect_right(starts, item.load.end + near, lo=lo)
        for other in items[lo:hi]:
            if not (item.held and other.held) and conflict(item.load, other.load, limits):
                model.add_bool_or([item.var.Not(), other.var.Not()])


@dataclass(frozen=True)
class Term:
    """A variable's amount on one day, and whether it is held now."""

    var: cp_model.IntVar
    coef: int
    held: bool


class Prefix:
    """Sums of one person's day amounts over date ranges, from shared prefix sums."""

    def __init__(self, model: cp_model.CpModel, var_terms: dict[int, list[Term]]) -> None:
        self.model = model
        self.terms = var_terms
        self.days = sorted(var_terms)
        self._sums: list[cp_model.LinearExprT] | None = None

    def _prefix(self) -> list[cp_model.LinearExprT]:
        if self._sums is None:
            sums: list[cp_model.LinearExprT] = [0]
            most = 0
            for k, d in enumerate(self.days):
                expr = sum(t.var * t.coef for t in self.terms[d])
                most += sum(t.coef for t in self.terms[d])
                if len(self.terms[d]) > 1 or k > 0:
                    total = self.model.new_int_var(0, most, "")
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
        return sum(t.coef for d in self.days[i:j] for t in self.terms[d])

    def expr(self, first: int, last: int) -> cp_model.LinearExprT:
        """Return the variable part over ``first..last``."""
        i, j = self.span(first, last)
        if i >= j:
            return 0
        sums = self._prefix()
        return sums[j] - sums[i]


def _spike_caps(model: cp_model.CpModel, prefix: Prefix, fixed: dict[int, int],
                first_day: int, limits: Limits) -> None:
    """Keep the acute load from jumping over ``spike_ratio`` × the chronic load.

    For the 7 days ending on ``d``, acute A; chronic S/4 where S is the 28
    days before them. A warning needs S ≥ 4·min_chronic, 4A − S ≥ 4·min_rise
    and A > ratio·S/4; one of the three must fail. With S fixed that is a cap
    on A. When the chronic weeks hold choices too the rule is a disjunction;
    modelled as one (three reified constraints) it made a village month
    several times slower to solve, so those windows are left to the
    post-check, which rarely has to cut.
    """
    if limits.spike_ratio is None or not prefix.days:
        return
    ratio = round(limits.spike_ratio * 100)
    chronic_floor, rise = 4 * limits.spike_min_chronic, 4 * limits.spike_min_rise
    start = max(first_day + limits.spike_history_days, prefix.days[0])
    for d in range(start, prefix.days[-1] + 7):
        a_first, s_first, s_last = d - 6, d - 34, d - 7
        if prefix.most(a_first, d) == 0:
            continue
        a_fixed = sum(fixed.get(k, 0) for k in range(a_first, d + 1))
        s_fixed = sum(fixed.get(k, 0) for k in range(s_first, s_last + 1))
        a_most = a_fixed + prefix.most(a_first, d)
        s_most = s_fixed + prefix.most(s_first, s_last)
        if s_most < chronic_floor:
            continue
        # Both escape hatches grow with S: fine at the smallest S means fine always.
        if s_fixed >= chronic_floor and (4 * a_most - s_fixed < rise
                                         or 100 * 4 * a_most <= ratio * s_fixed):
            continue
        if prefix.most(s_first, s_last) == 0 and s_fixed >= chronic_floor:
            cap = max((s_fixed + rise - 1) // 4, ratio * s_fixed // 400)
            model.add(prefix.expr(a_first, d) + a_fixed <= max(cap, a_fixed))


def _window_caps(model: cp_model.CpModel, var_terms: dict[int, list[Term]],
                 fixed: dict[int, int], length: int, cap: int) -> None:
    """Keep the sum over every ``length``-day window at or under ``cap``.

    Fixed amounts count; a window already over the cap takes nothing more
    (what is held now may stay). Windows that hold the same chosen days keep
    only the tightest bound.
    """
    if not var_terms:
        return
    days = sorted(var_terms)
    # Tightest remaining room per run of variable days [i, j].
    room: dict[tuple[int, int], int] = {}
    for start in range(days[0] - length + 1, days[-1] + 1):
        i = bisect_left(days, start)
        j = bisect_right(days, start + length - 1) - 1
        if i > j:
            continue
        most = sum(t.coef for d in days[i:j + 1] for t in var_terms[d])
        held = sum(t.coef for d in days[i:j + 1] for t in var_terms[d] if t.held)
        used = sum(fixed.get(d, 0) for d in range(start, start + length))
        if used + most <= cap:
            continue
        key = (i, j)
        room[key] = min(room.get(key, most), max(0, cap - used, held))
    if not room:
        return
    # Prefix sums over the variable days: each window costs two terms.
    prefix: list[cp_model.LinearExprT] = [0]
    for k, d in enumerate(days):
        expr = sum(t.var * t.coef for t in var_terms[d])
        if len(var_terms[d]) > 1 or k > 0:
            total = model.new_int_var(0, sum(t.coef for dd in days[:k + 1] for t in var_terms[dd]),
                                      "")
            model.add(total == prefix[-1] + expr)
            prefix.append(total)
        else:
            prefix.append(expr)
    for (i, j), left in room.items():
        model.add(prefix[j + 1] - prefix[i] <= left)


def _count_caps(model: cp_model.CpModel, var_days: dict[int, list[Item]],
                fixed_days: set[int], length: int, most: int) -> None:
    """Allow at most ``most`` flagged dates in any ``length`` consecutive dates.

    Dates held now count as room (a repair may keep them).
    """
    if not var_days:
        return
    days = sorted(var_days)
    flag: dict[int, cp_model.IntVar] = {}
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
        model.add(sum(flag[d] for d in free) <= max(0, room, held))
