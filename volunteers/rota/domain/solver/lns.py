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

from volunteers.rota.domain.solver.model import build
from volunteers.rota.domain.solver.postcheck import Judge
from volunteers.rota.domain.solver.problem import Pair, Problem
from volunteers.rota.domain.solver.stages import Stage, solve_stage

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
