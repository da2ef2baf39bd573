"""Lexicographic optimisation: one CP-SAT solve per objective, best first.

Each stage solves with the earlier stages' values kept as constraints and
the previous answer as a hint (CP-SAT starts from it, so a stage always
ends at least as good as it began), so a later stage never trades away
what an earlier one won. Stages without anything to decide are skipped.

Determinism: CP-SAT gives the same answer for the same model, seed and
number of workers as long as no stage stops on its time limit; several
workers are interleaved (``interleave_search``), which makes their result
independent of thread timing. A stage cut short by the clock returns its
best solution so far, which can vary with machine load.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from volunteers.autofill.domain.model import Built, Pair

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Stage:
    """One objective: its name, its expression builder, and its direction."""

    name: str
    #: returns the objective over the built model, or None when there is nothing to decide
    objective: Callable[[Built], cp_model.LinearExprT | None]
    maximize: bool
    #: the objective's value for a set of chosen pairs, computed without the solver
    value_of: Callable[[frozenset[Pair]], int]
    scale: float = 1.0  #: objective value × scale is reported


@dataclass(frozen=True)
class StageResult:
    """What a stage reached."""

    name: str
    status: str  #: "optimal", "feasible", "skipped" or "unsolved"
    value: float
    bound: float
    seconds: float


def solve_stage(built: Built, stage: Stage, expr: cp_model.LinearExprT, *, budget: float,
                seed: int, workers: int, hint: Iterable[Pair]) -> tuple[StageResult, frozenset[Pair] | None]:
    """Optimise one objective on ``built`` within ``budget`` seconds, from ``hint``.

    Returns the result and the chosen pairs (``None`` when no solution was found).
    """
    from ortools.sat.python import cp_model  # heavy: imported on first use (see domain/__init__)

    started = time.monotonic()
    _hint(built, frozenset(hint), limit=max(0.05, budget / 2))
    budget -= time.monotonic() - started
    if stage.maximize:
        built.model.maximize(expr)
    else:
        built.model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, budget)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    # Several workers stay deterministic only when interleaved.
    solver.parameters.interleave_search = workers > 1
    solver.parameters.hint_conflict_limit = 1000
    # Clauses and enforced constraints in the LP too: the coverage bound then
    # meets the optimum on rota models (measured: benchmarks/bench_rota_fill.py).
    solver.parameters.linearization_level = 2
    # The hint is complete (see _hint), so presolve buys little and cost a
    # second or more per stage on a village month.
    solver.parameters.cp_model_presolve = False
    started = time.monotonic()
    status = solver.solve(built.model)
    seconds = time.monotonic() - started
    built.model.clear_objective()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            raise RuntimeError(f"the auto-rota model is infeasible at stage {stage.name}; "
                               "this is a bug")
        return StageResult(stage.name, "unsolved", 0.0, 0.0, seconds), None
    chosen = frozenset(p for p, var in built.x.items() if solver.boolean_value(var))
    return StageResult(
        stage.name, "optimal" if status == cp_model.OPTIMAL else "feasible",
        solver.objective_value * stage.scale, solver.best_objective_bound * stage.scale,
        seconds), chosen


def keep(built: Built, stage: Stage, expr: cp_model.LinearExprT, value: int) -> None:
    """Keep a stage's reached ``value`` while later stages optimise."""
    built.model.add(expr >= value if stage.maximize else expr <= value)


def _hint(built: Built, chosen: frozenset[Pair], *, limit: float = 5.0) -> None:
    """Hint every variable, not only the pairs: the rest follows from them.

    CP-SAT completes a partial hint by search, which took seconds on a
    village month (its LP runs at every node); fixing the pairs and letting
    a solver without LP fill in the running sums, flags and objective
    variables takes milliseconds, and a complete hint is a solution at once.
    """
    from ortools.sat.python import cp_model  # heavy: imported on first use (see domain/__init__)

    built.model.clear_hints()
    copy = built.model.clone()
    copy.clear_objective()
    for pair, var in built.x.items():
        copy.add(copy.get_bool_var_from_proto_index(var.index) == int(pair in chosen))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 0
    solver.parameters.cp_model_presolve = False
    solver.parameters.max_time_in_seconds = limit
    status = solver.solve(copy)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for index, value in enumerate(solver.response_proto.solution):
            built.model.add_hint(built.model.get_int_var_from_proto_index(index), value)
        return
    for pair, var in built.x.items():  # the pairs break a constraint: a partial hint
        built.model.add_hint(var, pair in chosen)
