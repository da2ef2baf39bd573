"""The CP-SAT model of the auto-rota: variables, hard constraints and objectives.

One Boolean per (shift, person) pair left by :mod:`problem`. Hard rules:
capacity, no two overlapping shifts, no pair of shifts that merge into a too
long duty or leave too short a rest, and the window rules of the load policy
over per-person day sums (``windows``: prefix sums, so a 28-day window costs
two terms whatever it holds), load spikes (``spike``). Consecutive-date
rules use one flag per person and date. Windows that cannot be exceeded are
not built.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from volunteers.autofill.domain.load import Limits, ShiftFacts
from volunteers.autofill.domain.problem import Problem, conflict, reach
from volunteers.autofill.domain.spike import spike_caps
from volunteers.autofill.domain.windows import Prefix, Term, count_caps, window_caps

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model

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
    from ortools.sat.python import cp_model  # heavy: imported on first use (see domain/__init__)

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

    weighted = Prefix(model, terms("weighted"))
    if limits.weekly_weighted is not None:
        window_caps(model, weighted, fixed_sum("weighted"), 7, limits.weekly_weighted)
    if limits.spike_ratio is not None:
        exact = all(item.load.weighted == item.load.weighted_low for item in items)
        low = weighted if exact else Prefix(model, terms("weighted_low"))
        first_day = min([load.day for load in fixed] + [item.load.day for item in items])
        spike_caps(model, weighted, low, fixed_sum("weighted"), fixed_sum("weighted_low"),
                   first_day, limits, limits.weekly_weighted)
    if limits.intense is not None:
        window_caps(model, Prefix(model, terms("intense")), fixed_sum("intense"), 7,
                    limits.intense)
    cap = limits.pledge_cap(problem.candidates[cid].pledged_hours_per_week)
    if cap is not None:
        window_caps(model, Prefix(model, terms("minutes")), fixed_sum("minutes"), 28, cap)

    def flags(test: str) -> tuple[dict[int, list[Item]], set[int]]:
        var_days: dict[int, list[Item]] = defaultdict(list)
        for item in items:
            if test == "any" or getattr(item.load, test):
                var_days[item.load.day].append(item)
        fixed_days = {load.day for load in fixed if test == "any" or getattr(load, test)}
        return var_days, fixed_days

    for test, run, most in limits.count_limits:
        var_days, fixed_days = flags(test)
        count_caps(model, var_days, fixed_days, run, most)


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
