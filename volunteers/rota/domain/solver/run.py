"""``fill`` and ``repair``: the auto-rota's entry points.

Both prepare the problem, build the model, solve the objectives in order,
then let the canonical load rules judge the result (``postcheck``). Places
behind a new warning are forbidden together (a no-good cut) and the model is
solved again, warm-started from the last answer, up to ``MAX_ROUNDS`` times;
if warnings remain when rounds or time run out, the offending new places are
simply dropped — dropping never adds load, so this ends.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.rota.domain.solver import postcheck
from volunteers.rota.domain.solver.model import Pair, build
from volunteers.rota.domain.solver.objectives import stages, weight
from volunteers.rota.domain.solver.problem import HistoryItem, Problem, prepare
from volunteers.rota.domain.solver.proposal import (
    Placement, Proposal, person_hours, unfilled_places)
from volunteers.rota.domain.solver.stages import Solved, solve, values

MAX_ROUNDS = 4  #: solves with post-check cuts before falling back to dropping places
#: The first solve may use this share of the time limit; the rest is kept for
#: solves after post-check cuts.
FIRST_ROUND_SHARE = 0.6
#: CP-SAT workers. One worker is deterministic for a given seed and fast on
#: these models (measured: see benchmarks/bench_rota_fill.py); more workers
#: are interleaved to stay deterministic, which costs more than it gains here.
WORKERS = 1


def fill(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
         history: Mapping[str, Sequence[HistoryItem]], policy: Mapping[str, Any] | None = None,
         as_of: datetime, time_limit_s: float = 10.0, seed: int = 0,
         role_priority: Mapping[str, int] | None = None) -> Proposal:
    """Propose who takes the open places of ``shifts``.

    ``history`` holds each person's shifts outside the range (worked or
    planned) as ``ShiftSpan`` or ``(start, end)``; places already on the
    shifts are locked and count toward ``needed`` and toward load.
    ``policy`` is DESIGN.md's override form (rule code → settings). The
    result never raises a load warning of severity "warning" or above.
    """
    problem = prepare(shifts, candidates, tz=tz, history=history, policy=policy)
    return _run(problem, tz=tz, history=history, policy=policy, as_of=as_of,
                time_limit_s=time_limit_s, seed=seed, role_priority=role_priority)


def repair(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
           history: Mapping[str, Sequence[HistoryItem]], cancelled: tuple[str, str],
           policy: Mapping[str, Any] | None = None, as_of: datetime, time_limit_s: float = 5.0,
           seed: int = 0, role_priority: Mapping[str, int] | None = None) -> Proposal:
    """Propose replacements for a cancelled place, changing as little else as possible.

    ``shifts`` is the current rota of the range (who holds what, the
    cancelling person may still be listed on ``cancelled``'s shift).
    Everyone else's places may move only when that fills more: a direct
    replacement costs one change, a move (X leaves a shift to cover the
    gap, Y takes X's place) three. No other empty place gets filled — that is
    :func:`fill`'s job. ``released`` in the result lists places taken away.
    """
    shift_id, person = cancelled
    current = []
    targets = {}
    for s in shifts:
        if s.id == shift_id:
            if person not in s.assigned and len(s.assigned) >= s.needed:
                raise ValueError(f"shift {shift_id} has no place cancelled by {person}")
            s = replace(s, assigned=tuple(c for c in s.assigned if c != person))
            targets[s.id] = len(s.assigned) + 1
        else:
            targets[s.id] = len(s.assigned)
        current.append(s)
    if shift_id not in targets:
        raise ValueError(f"unknown shift {shift_id}")
    problem = prepare(current, candidates, tz=tz, history=history, policy=policy, release=True,
                      targets=targets)
    # The person who cancelled must not be proposed for the place again.
    problem.pairs = [p for p in problem.pairs if p != (shift_id, person)]
    return _run(problem, tz=tz, history=history, policy=policy, as_of=as_of,
                time_limit_s=time_limit_s, seed=seed, role_priority=role_priority, repairing=True)


def _run(problem: Problem, *, tz: ZoneInfo, history: Mapping[str, Sequence[HistoryItem]],
         policy: Mapping[str, Any] | None, as_of: datetime, time_limit_s: float, seed: int,
         role_priority: Mapping[str, int] | None, repairing: bool = False) -> Proposal:
    started = time.monotonic()
    deadline = started + time_limit_s
    plan = stages(problem, tz=tz, role_priority=role_priority, repair=repairing)
    cuts: list[frozenset[Pair]] = []
    from volunteers.rota.domain.greedy import greedy_pairs  # greedy builds on this package

    # Warm start: a repair from today's rota, a fill from the greedy baseline
    # (CP-SAT repairs a hint that breaks a rule the greedy does not judge).
    hint = problem.baseline if repairing else frozenset(greedy_pairs(problem))
    first: Solved | None = None
    best: tuple[int, frozenset[Pair], Solved] | None = None

    def check(chosen: frozenset[Pair]) -> list[frozenset[Pair]]:
        return postcheck.offending(problem, chosen, history=history, policy=policy, as_of=as_of)

    for round_ in range(MAX_ROUNDS):
        left = deadline - time.monotonic()
        until = time.monotonic() + (left * FIRST_ROUND_SHARE if round_ == 0 else left / 2)
        result = solve(build(problem, cuts=cuts), plan, deadline=until, seed=seed,
                       workers=WORKERS, hint=hint)
        first = first or result
        found = check(result.chosen)
        # Whatever the next round finds, this round's answer less the places
        # behind new warnings is a safe fallback; keep the best one.
        clean, blamed = result.chosen, found
        while blamed:
            clean = clean - frozenset().union(*blamed)
            blamed = check(clean)
        score = sum(weight(problem, sid, role_priority) for sid, _ in clean - problem.baseline)
        if best is None or score > best[0]:
            best = (score, clean, result)
        if not found or time.monotonic() >= deadline:
            break
        cuts.extend(found)
        hint = result.chosen - frozenset().union(*found)
    _, chosen, result = best
    return _proposal(problem, result, first, chosen, cuts, role_priority,
                     time.monotonic() - started)


def _proposal(problem: Problem, result: Solved, first: Solved, chosen: frozenset[Pair],
              cuts: list[frozenset[Pair]], role_priority: Mapping[str, int] | None,
              seconds: float) -> Proposal:
    added = sorted(chosen - problem.baseline)
    released = sorted(problem.baseline - chosen)
    filled: Counter[str] = Counter(sid for sid, _ in added)
    filled.subtract(Counter(sid for sid, _ in released))
    locked = [(s.id, cid) for s in problem.shifts.values() for cid in s.assigned]
    before = locked
    after = [p for p in locked if p not in released] + added
    objectives = dict(values(result))
    objectives["coverage"] = float(sum(weight(problem, sid, role_priority) for sid, _ in added)
                                   - sum(weight(problem, sid, role_priority)
                                         for sid, _ in released))
    objectives["places_filled"] = float(len(added) - len(released))
    coverage = next((s for s in first.stages if s.name == "coverage"), None)
    return Proposal(
        assignments=tuple(Placement(*p) for p in added),
        unfilled=unfilled_places(problem, filled),
        hours=person_hours(problem, before, after),
        status="optimal" if result.optimal and chosen == result.chosen else "feasible",
        objectives=objectives,
        places_open=sum(s.open_places for s in problem.shifts.values()),
        upper_bound=sum(min(problem.capacity[sid], len(problem.people[sid].eligible))
                        for sid in problem.shifts),
        solver_bound=coverage.bound if coverage and coverage.status != "skipped" else 0.0,
        solve_seconds=round(seconds, 3),
        released=tuple(Placement(*p) for p in released),
        post_check_cuts=tuple(tuple(Placement(*p) for p in sorted(cut)) for cut in cuts),
    )
