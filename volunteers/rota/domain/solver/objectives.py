"""The auto-rota's objectives, best first (see ``stages`` for how they chain).

1. coverage — fill as many places as possible, each weighted by its priority;
2. max_ratio — then the largest ratio of hours in the range to pledged hours
   over the range (people with a pledge; places they already hold count);
3. hours_over_pledge — then the total of hours beyond those pledges;
4. continuity — then as many people as possible on their usual slots;
5. preference — then as much stated preference as possible.
A repair inserts "changes" (the fewest places given or taken away) after coverage.
"""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from volunteers.rota.domain.eligibility import UsualSlot
from volunteers.rota.domain.solver.model import Built, Pair
from volunteers.rota.domain.solver.problem import Problem
from volunteers.rota.domain.solver.stages import Stage

RATIO_SCALE = 1000  #: max_ratio is solved in thousandths


def weight(problem: Problem, shift_id: str, role_priority: Mapping[str, int] | None) -> int:
    """Return a place's weight: the shift's priority × its role's priority (default 1)."""
    shift = problem.shifts[shift_id]
    return max(1, shift.priority) * max(1, (role_priority or {}).get(shift.role, 1))


def _pledged_minutes(problem: Problem) -> dict[str, int]:
    """Return candidate id → their pledge over the range, in whole minutes."""
    out = {}
    for cid, c in problem.candidates.items():
        if c.pledged_hours_per_week and c.pledged_hours_per_week > 0:
            out[cid] = max(1, round(c.pledged_hours_per_week * 60 * problem.days / 7))
    return out


def _held_minutes(problem: Problem, cid: str) -> int:
    """Return minutes of the range's places held by ``cid`` that the model cannot change."""
    return sum(problem.loads[sid].minutes for sid in problem.held.get(cid, ())
               if (sid, cid) not in problem.baseline)


def _minutes(problem: Problem, built: Built, cid: str) -> cp_model.LinearExprT:
    return (sum(built.x[p] * problem.loads[p[0]].minutes for p in built.by_person.get(cid, ()))
            + _held_minutes(problem, cid))


def stages(problem: Problem, *, tz: ZoneInfo, role_priority: Mapping[str, int] | None,
           repair: bool = False) -> list[Stage]:
    """Return the stages for ``problem`` in lexicographic order."""
    pledged = _pledged_minutes(problem)

    def coverage(built: Built) -> cp_model.LinearExprT | None:
        if not built.x:
            return None
        return sum(var * weight(problem, p[0], role_priority) for p, var in built.x.items())

    def changes(built: Built) -> cp_model.LinearExprT | None:
        return sum((1 - var) if p in problem.baseline else var for p, var in built.x.items())

    def max_ratio(built: Built) -> cp_model.LinearExprT | None:
        people = [cid for cid in pledged if cid in built.by_person]
        if not people:
            return None
        most = max(RATIO_SCALE * (sum(problem.loads[p[0]].minutes for p in built.by_person[cid])
                                  + _held_minutes(problem, cid)) // pledged[cid] + 1
                   for cid in people)
        fixed = max((RATIO_SCALE * _held_minutes(problem, cid) // pledged[cid]
                     for cid in pledged), default=0)
        ratio = built.model.new_int_var(fixed, max(most, fixed), "max_ratio")
        for cid in people:
            built.model.add(RATIO_SCALE * _minutes(problem, built, cid) <= ratio * pledged[cid])
        return ratio

    def over_pledge(built: Built) -> cp_model.LinearExprT | None:
        people = [cid for cid in pledged if cid in built.by_person]
        if not people:
            return None
        total = []
        for cid in people:
            most = sum(problem.loads[p[0]].minutes for p in built.by_person[cid])
            over = built.model.new_int_var(0, most + _held_minutes(problem, cid), "")
            built.model.add(over >= _minutes(problem, built, cid) - pledged[cid])
            total.append(over)
        return sum(total)

    def continuity(built: Built) -> cp_model.LinearExprT | None:
        usual = [var for p, var in built.x.items() if _on_usual_slot(problem, p)]
        return sum(usual) if usual else None

    def preference(built: Built) -> cp_model.LinearExprT | None:
        terms = []
        for (sid, cid), var in built.x.items():
            score = sum(pref.weight for pref in problem.candidates[cid].preferences
                        if pref.matches(problem.shifts[sid], tz))
            if score:
                terms.append(var * score)
        return sum(terms) if terms else None

    out = [Stage("coverage", coverage, maximize=True)]
    if repair:
        out.append(Stage("changes", changes, maximize=False))
    out += [Stage("max_ratio", max_ratio, maximize=False, scale=1 / RATIO_SCALE),
            Stage("hours_over_pledge", over_pledge, maximize=False, scale=1 / 60),
            Stage("continuity", continuity, maximize=True),
            Stage("preference", preference, maximize=True)]
    return out


def _on_usual_slot(problem: Problem, pair: Pair) -> bool:
    sid, cid = pair
    load = problem.loads[sid]
    return UsualSlot(load.weekday, load.start_time, load.role) in problem.usual.get(cid, ())
