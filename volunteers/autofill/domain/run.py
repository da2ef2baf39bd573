"""``fill`` and ``repair``: the auto-rota's entry points.

Both prepare the problem and start from the greedy rota (which passes the
canonical rules; a repair's greedy only steps people into the cancelled
place), then solve the objectives in order (``objectives``), each stage
from the last answer. Coverage that reaches the trivial bound (every place
someone eligible may take) is optimal without a search. Every answer is
judged by the canonical load rules (``postcheck``) before it is accepted:
a new warning gets a minimal no-good cut and the stage solves again; when
its time runs out first, places are dropped one at a time (the least
important first) until the rules are satisfied, and the better of that and
the stage's starting point is kept — so there is always a safe answer.

Past ``FULL_MODEL_PAIRS`` (a county-sized month) the whole model does not
build and presolve in time; each stage then improves the rota by small
neighbourhoods solved exactly (``lns``).

Time: the coverage stage may use ``COVERAGE_SHARE`` of the limit; every
later stage gets an equal share of what is left when it starts, so time
an early stage does not need passes on.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from volunteers.autofill.domain.greedy import greedy_pairs
from volunteers.autofill.domain.lns import improve_coverage, improve_stage
from volunteers.autofill.domain.model import Built, Pair, build
from volunteers.autofill.domain.objectives import stages, weight
from volunteers.autofill.domain.postcheck import Judge
from volunteers.autofill.domain.problem import HistoryItem, Problem, prepare
from volunteers.autofill.domain.proposal import (
    Placement,
    Proposal,
    explainer,
    person_hours,
    placement_notes,
    preferences,
    unfilled_places,
)
from volunteers.autofill.domain.stages import Stage, StageResult, keep, solve_stage
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.wellbeing.domain.policy import Policy

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model

COVERAGE_SHARE = 0.6  #: the most of the time limit the coverage stage may use
FINISH_S = 1.0  #: kept back from the time limit (at most 5% of it) for explaining the proposal
#: Past this many pairs the whole model does not build and presolve in time: neighbourhoods (``lns``).
FULL_MODEL_PAIRS = 30_000
#: CP-SAT workers, interleaved so that the result does not depend on thread timing.
WORKERS = 1


def fill(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
         history: Mapping[str, Sequence[HistoryItem]], policy: Mapping[str, Any] | Policy | None = None,
         as_of: datetime, time_limit_s: float = 10.0, seed: int = 0,
         role_priority: Mapping[str, int] | None = None,
         person_limits: Mapping[str, Mapping[str, Any]] | None = None) -> Proposal:
    """Propose who takes the open places of ``shifts``.

    ``history`` holds each person's shifts outside the range (worked or
    planned) as ``ShiftSpan`` or ``(start, end)``; places already on the
    shifts are locked and count toward ``needed`` and toward load.
    ``policy`` is DESIGN.md's override form (rule code → settings) or the
    ``Policy`` built from it, ``person_limits`` a person's tightening limits. The result never raises
    a load warning of severity "warning" or above that was not there before.
    """
    started = time.monotonic()
    problem = prepare(shifts, candidates, tz=tz, history=history, policy=policy,
                      person_limits=person_limits)
    judge = Judge(problem, history=history, as_of=as_of)
    return _run(problem, judge, frozenset(greedy_pairs(problem, judge)), started=started,
                time_limit_s=time_limit_s, seed=seed, role_priority=role_priority)


def repair(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
           history: Mapping[str, Sequence[HistoryItem]], cancelled: tuple[str, str],
           policy: Mapping[str, Any] | Policy | None = None, as_of: datetime, time_limit_s: float = 5.0,
           seed: int = 0, role_priority: Mapping[str, int] | None = None,
           person_limits: Mapping[str, Mapping[str, Any]] | None = None) -> Proposal:
    """Propose replacements for a cancelled place, changing as little else as possible.

    ``shifts`` is the current rota of the range (who holds what, the
    cancelling person may still be listed on ``cancelled``'s shift).
    Everyone else's places may move only when that fills more: a direct
    replacement costs one change, a move (X leaves a shift to cover the
    gap, Y takes X's place) three. No other empty place gets filled — that is
    :func:`fill`'s job. ``released`` in the result lists places taken away.
    """
    started = time.monotonic()
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
                      targets=targets, person_limits=person_limits)
    # The person who cancelled must not be proposed for the place again.
    problem.pairs = [p for p in problem.pairs if p != (shift_id, person)]
    judge = Judge(problem, history=history, as_of=as_of)
    # Start from today's rota plus whoever can simply step in (the greedy moves no one
    # else unless that is the only way): usually already the answer.
    start = problem.baseline | frozenset(greedy_pairs(problem, judge))
    return _run(problem, judge, start, started=started, time_limit_s=time_limit_s,
                seed=seed, role_priority=role_priority, repairing=True)


def _run(problem: Problem, judge: Judge, start: frozenset[Pair], *, started: float,
         time_limit_s: float, seed: int, role_priority: Mapping[str, int] | None,
         repairing: bool = False) -> Proposal:
    deadline = started + time_limit_s - min(FINISH_S, 0.05 * time_limit_s)
    plan = stages(problem, tz=problem.tz, role_priority=role_priority, repair=repairing)
    trivial = _trivial_bound(problem, lambda sid: weight(problem, sid, role_priority))
    if len(problem.pairs) > FULL_MODEL_PAIRS and not repairing:
        return _run_large(problem, judge, start, plan, trivial, started=started,
                          deadline=deadline, seed=seed, role_priority=role_priority)
    built = build(problem)
    current, proved = start, True
    results: list[StageResult] = []
    cuts: list[frozenset[Pair]] = []
    for index, stage in enumerate(plan):
        # Built only now: a later stage's variables would only slow the earlier ones.
        expr = stage.objective(built)
        if expr is None:
            results.append(StageResult(stage.name, "skipped", 0.0, 0.0, 0.0))
            continue
        if index == 0 and stage.value_of(current) >= trivial:
            # Every place anyone may take is taken: optimal without a search.
            results.append(StageResult(stage.name, "optimal", float(trivial), float(trivial), 0.0))
            keep(built, stage, expr, trivial)
            continue
        left = deadline - time.monotonic()
        share = COVERAGE_SHARE if index == 0 else 1 / (len(plan) - index)
        if left <= 0.05:
            results.append(StageResult(stage.name, "unsolved", 0.0, 0.0, 0.0))
            proved = False
            continue
        result, current, clean = _stage(built, stage, expr, judge, current, cuts,
                                        until=time.monotonic() + left * share, seed=seed,
                                        weights=lambda sid: weight(problem, sid, role_priority))
        proved = proved and clean and result.status == "optimal"
        keep(built, stage, expr, stage.value_of(current))
        if index == 0:  # a search cut short may report a looser bound than the trivial one
            result = replace(result, bound=min(result.bound, float(trivial)))
        results.append(result)
    return _proposal(problem, plan, results, current, cuts, role_priority, proved,
                     time.monotonic() - started, judge)


def _trivial_bound(problem: Problem, weight_of: Callable[[str], int]) -> int:
    """Return the coverage if every place that some eligible person may take were taken."""
    people: Counter[str] = Counter(sid for sid, _ in problem.pairs)
    return sum(weight_of(sid) * min(problem.capacity[sid], n) for sid, n in people.items())


def _run_large(problem: Problem, judge: Judge, start: frozenset[Pair], plan: list[Stage],
               trivial: int, *, started: float, deadline: float, seed: int,
               role_priority: Mapping[str, int] | None) -> Proposal:
    """Improve the greedy rota stage by stage, by neighbourhoods (``lns``)."""
    coverage = plan[0]
    current = start
    began = time.monotonic()
    if coverage.value_of(start) < trivial:
        current, _ = improve_coverage(
            problem, judge, start, coverage, seed=seed, workers=WORKERS,
            deadline=began + (deadline - began) * COVERAGE_SHARE,
            weight=lambda sid: weight(problem, sid, role_priority))
    reached = coverage.value_of(current)
    results = [StageResult(coverage.name, "optimal" if reached >= trivial else "feasible",
                           float(reached), float(trivial), time.monotonic() - began)]

    def make_plan(sub: Problem) -> list[Stage]:
        return stages(sub, tz=sub.tz, role_priority=role_priority)

    for index in range(1, len(plan)):
        began = time.monotonic()
        until = began + (deadline - began) / (len(plan) - index)
        current, _ = improve_stage(problem, judge, current, plan, index, make_plan, deadline=until,
                                   seed=seed, workers=WORKERS)
        stage = plan[index]
        results.append(StageResult(stage.name, "feasible", stage.value_of(current) * stage.scale, 0.0,
                                   time.monotonic() - began))
    return _proposal(problem, plan, results, current, [], role_priority, False,
                     time.monotonic() - started, judge)


def _stage(built: Built, stage: Stage, expr: cp_model.LinearExprT, judge: Judge, current: frozenset[Pair],
           cuts: list[frozenset[Pair]], *, until: float, seed: int,
           weights: Callable[[str], int]) -> tuple[StageResult, frozenset[Pair], bool]:
    """Solve one stage until its answer passes the canonical rules or its time is up.

    Returns the stage's result, the rota to carry on with (always clean),
    and whether that rota is the solver's own answer (not a fallback).
    """
    hint = current
    while True:
        result, chosen = solve_stage(built, stage, expr, budget=until - time.monotonic(),
                                     seed=seed, workers=WORKERS, hint=hint)
        if chosen is None:
            return result, current, False
        found = judge.offending(chosen)
        if not found:
            return result, chosen, True
        for rule, blamed in found:
            cut = judge.cut(rule, blamed)
            cuts.append(cut)
            built.model.add_bool_or([built.x[p].Not() for p in sorted(cut)])
        if time.monotonic() >= until - 0.05:
            break
        hint = chosen - frozenset().union(*(blamed for _, blamed in found))
    dropped = _drop_until_clean(chosen, judge, weights)
    better = stage.value_of(dropped) > stage.value_of(current)
    if not stage.maximize:
        better = stage.value_of(dropped) < stage.value_of(current)
    return replace(result, status="feasible"), dropped if better else current, False


def _drop_until_clean(chosen: frozenset[Pair], judge: Judge, weights: Callable[[str], int]) -> frozenset[Pair]:
    """Drop blamed places one at a time, the least important first, until no new warning."""
    mine: dict[str, set[str]] = defaultdict(set)
    for sid, cid in chosen:
        mine[cid].add(sid)
    kept = set(chosen)
    for cid in sorted(mine):
        while True:
            found = judge.blamed(cid, sorted(mine[cid]))
            if not found:
                break
            blamed = sorted(set().union(*(b for _, b in found)))
            sid, _ = min(blamed, key=lambda p: (weights(p[0]), p))
            mine[cid].discard(sid)
            kept.discard((sid, cid))
    return frozenset(kept)


def _proposal(problem: Problem, plan: list[Stage], results: list[StageResult],
              chosen: frozenset[Pair], cuts: list[frozenset[Pair]],
              role_priority: Mapping[str, int] | None, proved: bool, seconds: float,
              judge: Judge) -> Proposal:
    added = sorted(chosen - problem.baseline)
    released = sorted(problem.baseline - chosen)
    filled: Counter[str] = Counter(sid for sid, _ in added)
    filled.subtract(Counter(sid for sid, _ in released))
    locked = [(s.id, cid) for s in problem.shifts.values() for cid in s.assigned]
    after = [p for p in locked if p not in released] + added
    ran = {r.name for r in results if r.status in ("optimal", "feasible")}
    objectives = {stage.name: stage.value_of(chosen) * stage.scale for stage in plan
                  if stage.name in ran}
    objectives["coverage"] = float(sum(weight(problem, sid, role_priority) for sid, _ in added)
                                   - sum(weight(problem, sid, role_priority)
                                         for sid, _ in released))
    objectives["places_filled"] = float(len(added) - len(released))
    coverage = next((r for r in results if r.name == "coverage"), None)
    return Proposal(
        assignments=tuple(Placement(*p) for p in added),
        unfilled=unfilled_places(problem, filled, explainer(problem, judge, chosen)),
        hours=person_hours(problem, locked, after),
        status="optimal" if proved else "feasible",
        objectives=objectives,
        places_open=sum(s.open_places for s in problem.shifts.values()),
        upper_bound=sum(min(problem.capacity[sid], len(problem.people[sid].eligible))
                        for sid in problem.shifts),
        solver_bound=coverage.bound if coverage and coverage.status in ("optimal", "feasible")
        else 0.0,
        solve_seconds=round(seconds, 3),
        released=tuple(Placement(*p) for p in released),
        post_check_cuts=tuple(tuple(Placement(*p) for p in sorted(cut)) for cut in cuts),
        stages=tuple(results),
        notes=placement_notes(problem, added, preferences(problem)),
    )
