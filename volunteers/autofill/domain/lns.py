"""Large months: improve coverage by solving small neighbourhoods exactly (LNS).

A 1,000-person month has some 140,000 (shift, person) pairs; the whole
CP-SAT model takes longer to build and presolve than the time limit
allows. Instead, starting from the greedy rota: pick a few places still
empty, free the people who could take them and the people who could take
*their* places, keep everyone else's places fixed, and solve that
neighbourhood (a few thousand pairs) with the full model. Every answer is
judged by the canonical rules like any other. Deterministic for a seed,
as long as no neighbourhood stops on its time limit.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from volunteers.autofill.domain.model import build
from volunteers.autofill.domain.postcheck import Judge
from volunteers.autofill.domain.problem import Pair, Problem
from volunteers.autofill.domain.stages import Stage, solve_stage

NEIGHBOURHOOD = 60  #: people freed at most per neighbourhood
FOCUS = 3  #: empty shifts a neighbourhood is built around
SOLVE_S = 3.0  #: seconds per neighbourhood at most


def restrict(problem: Problem, free: set[str], current: frozenset[Pair]) -> Problem:
    """Return the sub-problem where only ``free`` people's places may change."""
    others = Counter(sid for sid, cid in current if cid not in free)
    return replace(problem,
                   pairs=[p for p in problem.pairs if p[1] in free],
                   capacity={sid: max(0, cap - others[sid]) for sid, cap in problem.capacity.items()},
                   baseline=frozenset(p for p in problem.baseline if p[1] in free))


def improve_coverage(problem: Problem, judge: Judge, current: frozenset[Pair], coverage: Stage,
                     *, deadline: float, seed: int, workers: int,
                     weight: Callable[[str], int]) -> tuple[frozenset[Pair], int]:
    """Return a rota at least as well covered as ``current``, and the neighbourhoods tried."""
    rng = random.Random(seed)
    by_shift: dict[str, list[str]] = defaultdict(list)
    for sid, cid in problem.pairs:
        by_shift[sid].append(cid)
    tried = 0
    while time.monotonic() < deadline - 0.5:
        filled = Counter(sid for sid, _ in current)
        empty = sorted(sid for sid in by_shift if filled[sid] < problem.capacity[sid])
        if not empty:
            break
        tried += 1
        focus = rng.sample(empty, k=min(FOCUS, len(empty)))
        free = {cid for sid in focus for cid in by_shift[sid]}
        for sid, cid in sorted(current):
            if cid in free and len(free) < NEIGHBOURHOOD:
                free.update(rng.sample(by_shift[sid], k=min(3, len(by_shift[sid]))))
        sub = restrict(problem, free, current)
        built = build(sub)
        expr = coverage.objective(built)
        if expr is None:
            continue
        keep = frozenset(p for p in current if p[1] not in free)
        hint = current - keep
        result, chosen = solve_stage(built, coverage, expr, seed=seed + tried, workers=workers,
                                     budget=min(SOLVE_S, deadline - time.monotonic()), hint=hint)
        if chosen is None:
            continue
        candidate = keep | chosen
        if (sum(weight(sid) for sid, _ in candidate) > sum(weight(sid) for sid, _ in current)
                and not judge.offending(chosen)):
            current = candidate
    return current, tried


def improve_stage(problem: Problem, judge: Judge, current: frozenset[Pair], plan: list[Stage], index: int,
                  make_plan: Callable[[Problem], list[Stage]], *, deadline: float, seed: int,
                  workers: int) -> tuple[frozenset[Pair], int]:
    """Improve ``plan[index]`` by neighbourhoods while keeping every earlier stage's value.

    A neighbourhood frees the person who fares worst on a fairness stage
    (highest hours for their pledge) — or a random person on the others —
    and people who could take their places. Earlier stages are kept inside
    it (coverage and sums at their values there, the largest ratio at most
    the rota's), so a change accepted here never costs an earlier objective.
    """
    stage = plan[index]
    rng = random.Random(seed * 7919 + index)
    by_shift: dict[str, list[str]] = defaultdict(list)
    for sid, cid in problem.pairs:
        by_shift[sid].append(cid)
    people = sorted({cid for _, cid in problem.pairs})
    tried = 0
    while people and time.monotonic() < deadline - 0.5:
        tried += 1
        anchor = _anchor(problem, current, people, rng, fairness=stage.name in ("max_ratio", "hours_over_pledge"))
        free = {anchor}
        for sid, cid in sorted(current):
            if cid == anchor:
                free.update(rng.sample(by_shift[sid], k=min(6, len(by_shift[sid]))))
        for cid in rng.sample(people, k=min(len(people), NEIGHBOURHOOD // 2)):
            if len(free) >= NEIGHBOURHOOD // 2:
                break
            free.add(cid)
        sub = restrict(problem, free, current)
        built = build(sub)
        named = {s.name: s for s in make_plan(sub)}
        fixed = frozenset(p for p in current if p[1] not in free)
        hint = current - fixed
        for earlier in plan[:index]:
            mine = named.get(earlier.name)
            expr = mine.objective(built) if mine else None
            if mine is not None and expr is not None:
                value = earlier.value_of(current) if earlier.name == "max_ratio" else mine.value_of(hint)
                built.model.add(expr >= value if mine.maximize else expr <= value)
        mine = named.get(stage.name)
        if mine is None:
            continue
        expr = mine.objective(built)
        if expr is None:
            continue
        _, chosen = solve_stage(built, mine, expr, budget=min(SOLVE_S, deadline - time.monotonic()),
                                seed=seed + tried, workers=workers, hint=hint)
        if chosen is None or chosen == hint:
            continue
        candidate = fixed | chosen
        before, after = stage.value_of(current), stage.value_of(candidate)
        gain = mine.value_of(chosen) - mine.value_of(hint)
        better = (after > before if stage.maximize else after < before) or (
            after == before and (gain > 0 if stage.maximize else gain < 0))
        if better and not judge.offending(chosen):
            current = candidate
    return current, tried


def _anchor(problem: Problem, current: frozenset[Pair], people: list[str], rng: random.Random,
            fairness: bool) -> str:
    """Return whom a neighbourhood is built around: one of the most loaded for their pledge, or anyone."""
    if not fairness:
        return rng.choice(people)
    minutes: Counter[str] = Counter()
    for sid, cid in current:
        minutes[cid] += problem.loads[sid].minutes
    ratios = sorted(((minutes[cid] / c.pledged_hours_per_week, cid) for cid in people
                     if (c := problem.candidates[cid]).pledged_hours_per_week), reverse=True)
    return rng.choice(ratios[:5])[1] if ratios else rng.choice(people)
