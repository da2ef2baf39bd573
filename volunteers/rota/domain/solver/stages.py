"""Lexicographic optimisation: one CP-SAT solve per objective, best first.

Each stage solves with the previous stages' optima fixed as constraints and
the previous solution as a hint, so a later stage can never trade away what
an earlier one won. Stages without anything to decide are skipped.

Determinism: CP-SAT gives the same answer for the same model, seed and
number of workers as long as no stage stops on its time limit; the search
is interleaved (``interleave_search``), which makes several workers'
results independent of thread timing. A stage cut short by the clock
returns its best solution so far, which can vary with machine load.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from volunteers.rota.domain.solver.model import Built, Pair

#: How much of the remaining time the first (coverage) stage may use.
FIRST_STAGE_SHARE = 0.5


@dataclass(frozen=True)
class Stage:
    """One objective: its name, its expression builder, and its direction."""

    name: str
    #: returns the objective over the built model, or None when there is nothing to decide
    objective: Callable[[Built], cp_model.LinearExprT | None]
    maximize: bool
    scale: float = 1.0  #: objective value × scale is reported


@dataclass(frozen=True)
class StageResult:
    """What a stage reached."""

    name: str
    status: str  #: "optimal", "feasible", or "skipped"
    value: float
    bound: float
    seconds: float


@dataclass(frozen=True)
class Solved:
    """The chosen pairs after all stages."""

    chosen: frozenset[Pair]
    stages: tuple[StageResult, ...]

    @property
    def optimal(self) -> bool:
        """Return whether every stage that ran was proved optimal."""
        return all(s.status in ("optimal", "skipped") for s in self.stages)


def solve(built: Built, stages: Iterable[Stage], *, deadline: float, seed: int, workers: int,
          hint: Iterable[Pair] = ()) -> Solved:
    """Run ``stages`` in order on ``built`` until done or past ``deadline`` (monotonic)."""
    stages = list(stages)
    chosen = frozenset(hint)
    results: list[StageResult] = []
    solved_any = False
    for index, stage in enumerate(stages):
        expr = stage.objective(built)
        if expr is None:
            results.append(StageResult(stage.name, "skipped", 0.0, 0.0, 0.0))
            continue
        left = max(0.0, deadline - time.monotonic())
        share = FIRST_STAGE_SHARE if not solved_any else 1 / (len(stages) - index)
        budget = max(0.05, left * share)
        if chosen or solved_any:  # an all-empty hint only steers the search to nothing
            _hint(built, chosen)
        if stage.maximize:
            built.model.maximize(expr)
        else:
            built.model.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = budget
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        # Several workers stay deterministic only when interleaved.
        solver.parameters.interleave_search = workers > 1
        solver.parameters.hint_conflict_limit = 1000
        started = time.monotonic()
        status = solver.solve(built.model)
        seconds = time.monotonic() - started
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not solved_any and status == cp_model.INFEASIBLE:
                raise RuntimeError("the auto-rota model is infeasible; this is a bug")
            results.append(StageResult(stage.name, "unsolved", 0.0, 0.0, seconds))
            break
        solved_any = True
        value = solver.objective_value
        chosen = frozenset(p for p, var in built.x.items() if solver.boolean_value(var))
        results.append(StageResult(
            stage.name, "optimal" if status == cp_model.OPTIMAL else "feasible",
            value * stage.scale, solver.best_objective_bound * stage.scale, seconds))
        # Keep what this stage won while the next ones optimise.
        reached = round(value)
        built.model.add(expr >= reached if stage.maximize else expr <= reached)
    built.model.clear_objective()
    return Solved(chosen=chosen, stages=tuple(results))


def _hint(built: Built, chosen: frozenset[Pair]) -> None:
    built.model.clear_hints()
    for pair, var in built.x.items():
        built.model.add_hint(var, pair in chosen)


def values(result: Solved) -> Mapping[str, float]:
    """Return stage name → value for the stages that ran."""
    return {s.name: s.value for s in result.stages if s.status in ("optimal", "feasible")}
