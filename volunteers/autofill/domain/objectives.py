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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from volunteers.autofill.domain.model import Built, Pair
from volunteers.autofill.domain.problem import Problem
from volunteers.autofill.domain.stages import Stage
from volunteers.rota.domain.eligibility import UsualSlot

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model

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
    people_of: dict[str, list[Pair]] = {}
    for pair in problem.pairs:
        people_of.setdefault(pair[1], []).append(pair)
    pledgers = [cid for cid in sorted(pledged) if cid in people_of]
    weights = {sid: weight(problem, sid, role_priority) for sid in problem.shifts}
    preference = {}
    usual = set()
    for sid, cid in problem.pairs:
        score = sum(pref.weight for pref in problem.candidates[cid].preferences
                    if pref.matches(problem.shifts[sid], tz))
        if score:
            preference[(sid, cid)] = score
        if _on_usual_slot(problem, (sid, cid)):
            usual.add((sid, cid))

    def minutes_of(chosen: frozenset[Pair]) -> dict[str, int]:
        out = {cid: _held_minutes(problem, cid) for cid in pledgers}
        for sid, cid in chosen:
            if cid in out:
                out[cid] += problem.loads[sid].minutes
        return out

    def coverage(built: Built) -> cp_model.LinearExprT | None:
        if not built.x:
            return None
        return sum(var * weights[p[0]] for p, var in built.x.items())

    def changes(built: Built) -> cp_model.LinearExprT | None:
        return sum((1 - var) if p in problem.baseline else var for p, var in built.x.items())

    def max_ratio(built: Built) -> cp_model.LinearExprT | None:
        if not pledgers:
            return None
        most = max(-(-RATIO_SCALE * (sum(problem.loads[p[0]].minutes for p in people_of[cid])
                                     + _held_minutes(problem, cid)) // pledged[cid])
                   for cid in pledgers)
        ratio = built.model.new_int_var(0, most, "max_ratio")
        for cid in pledgers:
            built.model.add(RATIO_SCALE * _minutes(problem, built, cid) <= ratio * pledged[cid])
        return ratio

    def ratio_of(chosen: frozenset[Pair]) -> int:
        return max((-(-RATIO_SCALE * m // pledged[cid]) for cid, m in minutes_of(chosen).items()),
                   default=0)

    # Hours beyond pledges, for people with a pledge (no pledge: no share to measure against).
    everyone = pledgers

    def over_pledge(built: Built) -> cp_model.LinearExprT | None:
        total = []
        for cid in everyone:
            most = sum(problem.loads[p[0]].minutes for p in people_of[cid])
            over = built.model.new_int_var(0, most + _held_minutes(problem, cid), "")
            built.model.add(over >= _minutes(problem, built, cid) - pledged.get(cid, 0))
            total.append(over)
        return sum(total)

    def over_of(chosen: frozenset[Pair]) -> int:
        minutes = {cid: _held_minutes(problem, cid) for cid in everyone}
        for sid, cid in chosen:
            if cid in minutes:
                minutes[cid] += problem.loads[sid].minutes
        return sum(max(0, m - pledged.get(cid, 0)) for cid, m in minutes.items())

    def continuity(built: Built) -> cp_model.LinearExprT | None:
        return sum(built.x[p] for p in sorted(usual)) if usual else None

    def preferred(built: Built) -> cp_model.LinearExprT | None:
        if not preference:
            return None
        return sum(built.x[p] * score for p, score in sorted(preference.items()))

    out = [Stage("coverage", coverage, True, lambda c: sum(weights[sid] for sid, _ in c))]
    if repair:
        out.append(Stage("changes", changes, False,
                         lambda c: len(problem.baseline - c) + len(c - problem.baseline)))
    # Only stages with something to decide: each one that runs gets a share of the time.
    if pledgers:
        out.append(Stage("max_ratio", max_ratio, False, ratio_of, scale=1 / RATIO_SCALE))
    if everyone:
        out.append(Stage("hours_over_pledge", over_pledge, False, over_of, scale=1 / 60))
    if usual:
        out.append(Stage("continuity", continuity, True, lambda c: len(usual & c)))
    if preference:
        out.append(Stage("preference", preferred, True,
                         lambda c: sum(score for p, score in preference.items() if p in c)))
    return out


def _on_usual_slot(problem: Problem, pair: Pair) -> bool:
    sid, cid = pair
    load = problem.loads[sid]
    return UsualSlot(load.weekday, load.start_time, load.role) in problem.usual.get(cid, ())
