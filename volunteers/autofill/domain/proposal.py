"""What the auto-rota proposes, and why places stay empty.

Plain frozen values: a service saves the assignments, a page or ``rota fill
--dry-run`` prints the rest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from volunteers.autofill.domain.postcheck import Judge
from volunteers.autofill.domain.problem import Pair, Problem
from volunteers.autofill.domain.stages import StageResult
from volunteers.rota.domain.eligibility import UsualSlot

NOBODY_QUALIFIED = "nobody_qualified"
NOBODY_AVAILABLE = "nobody_available"
EVERYONE_AT_LIMIT = "everyone_at_limit"


@dataclass(frozen=True, order=True)
class Placement:
    """A person on a shift."""

    shift_id: str
    candidate_id: str


@dataclass(frozen=True)
class UnfilledPlace:
    """An open place the proposal leaves empty, and why."""

    shift_id: str
    place: int  #: 1-based among the shift's places that were open
    reason: str  #: NOBODY_QUALIFIED, NOBODY_AVAILABLE or EVERYONE_AT_LIMIT
    message: str


@dataclass(frozen=True)
class PersonHours:
    """A person's hours in the range against their pledge, before and after."""

    candidate_id: str
    pledged_hours_per_week: float | None
    pledge_hours: float | None  #: the pledge over the range's days
    hours_before: float  #: places already held in the range
    hours_after: float


@dataclass(frozen=True)
class Proposal:
    """The result of :func:`fill` or :func:`repair`."""

    assignments: tuple[Placement, ...]  #: new places to save (locked ones are not repeated)
    unfilled: tuple[UnfilledPlace, ...]
    hours: tuple[PersonHours, ...]  #: everyone with hours in the range, by id
    status: str  #: "optimal" when every stage was proved optimal, else "feasible"
    #: stage name → value: coverage (priority-weighted), places_filled, max_ratio,
    #: hours_over_pledge, continuity, preference, and for a repair changes
    objectives: Mapping[str, float]
    places_open: int  #: places that were open before
    upper_bound: int  #: places some eligible person could take (ignoring load limits)
    solver_bound: float  #: CP-SAT's bound on the weighted coverage
    solve_seconds: float
    #: places a repair takes from someone (they move to cover another)
    released: tuple[Placement, ...] = ()
    #: sets of places the post-check found would raise a warning together, and so forbade
    post_check_cuts: tuple[tuple[Placement, ...], ...] = field(default=())
    #: what each objective stage reached (status, value, bound, seconds)
    stages: tuple[StageResult, ...] = field(default=())
    #: (shift id, candidate id) → why this person, in plain words
    notes: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @property
    def places_filled(self) -> int:
        """Return how many open places the proposal fills."""
        return len(self.assignments) - len(self.released)


def _hours(minutes: float) -> float:
    return round(minutes / 60, 4)


def person_hours(problem: Problem, before: Iterable[tuple[str, str]],
                 after: Iterable[tuple[str, str]]) -> tuple[PersonHours, ...]:
    """Return hours against pledge for everyone with hours in the range or a pledge."""
    minutes_before: Counter[str] = Counter()
    minutes_after: Counter[str] = Counter()
    for sid, cid in before:
        minutes_before[cid] += problem.loads[sid].minutes
    for sid, cid in after:
        minutes_after[cid] += problem.loads[sid].minutes
    rows = []
    for cid in sorted(set(problem.candidates) | set(minutes_before) | set(minutes_after)):
        candidate = problem.candidates.get(cid)
        pledge = candidate.pledged_hours_per_week if candidate else None
        if not pledge and not minutes_after[cid] and not minutes_before[cid]:
            continue
        rows.append(PersonHours(
            candidate_id=cid, pledged_hours_per_week=pledge,
            pledge_hours=round(pledge * problem.days / 7, 4) if pledge else None,
            hours_before=_hours(minutes_before[cid]), hours_after=_hours(minutes_after[cid])))
    return tuple(rows)


def placement_notes(problem: Problem, added: Iterable[tuple[str, str]],
                    preference: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], str]:
    """Return why each new place went to its person: how many could take it, and what fitted."""

    out = {}
    for sid, cid in added:
        load = problem.loads[sid]
        eligible = len(problem.people[sid].eligible)
        parts = ["the only person who could" if eligible == 1 else f"one of {eligible} who could"]
        if UsualSlot(load.weekday, load.start_time, load.role) in problem.usual.get(cid, ()):
            parts.append("their usual slot")
        if preference.get((sid, cid), 0) > 0:
            parts.append("a stated preference")
        parts.append("no load limit crossed")
        out[(sid, cid)] = "; ".join(parts)
    return out


def unfilled_places(problem: Problem, filled: Mapping[str, int],
                    explain: Callable[[str], str | None] | None = None) -> tuple[UnfilledPlace, ...]:
    """Explain each place left empty.

    Place ``j`` of a shift's open places needs ``j`` different people: if
    fewer than ``j`` hold the qualifications it is ``nobody_qualified``; if
    enough are qualified but fewer than ``j`` are available, not on leave and
    free then, ``nobody_available``; otherwise the eligible people are all
    used or would break a load limit: ``everyone_at_limit``, explained by
    ``explain(shift id)`` when given (which limits, for how many people).
    """
    out = []
    for sid, shift in problem.shifts.items():
        open_places = shift.open_places
        if not open_places or filled.get(sid, 0) >= open_places:
            continue
        people = problem.people[sid]
        qualified, eligible = len(people.qualified), len(people.eligible)
        needs = ", ".join(shift.required_qualifications)
        for place in range(filled.get(sid, 0) + 1, open_places + 1):
            if place > qualified:
                reason = NOBODY_QUALIFIED
                who = "nobody else" if not qualified else (
                    "only 1 other person" if qualified == 1 else f"only {qualified} other people")
                message = (f"{who} {'holds' if qualified <= 1 else 'hold'} {needs}" if needs
                           else f"{who} could be asked")
            elif place > eligible:
                reason = NOBODY_AVAILABLE
                message = (f"{qualified - eligible} of {qualified} qualified people are "
                           "unavailable, on leave or on another duty then")
            else:
                reason = EVERYONE_AT_LIMIT
                message = (explain(sid) if explain else None) or (
                    f"the {eligible} eligible people are used elsewhere or would break a load limit")
            out.append(UnfilledPlace(sid, place, reason, message))
    return tuple(out)


EXPLAIN_CHECKS = 400  #: canonical checks spent on explaining empty places, at most


def explainer(problem: Problem, judge: Judge, chosen: frozenset[Pair]) -> Callable[[str], str | None]:
    """Return ``explain(shift id)``: what stops each eligible person taking an empty place."""
    mine: dict[str, list[str]] = defaultdict(list)
    for sid, cid in sorted(chosen):
        mine[cid].append(sid)
    budget = [EXPLAIN_CHECKS]

    def explain(sid: str) -> str | None:
        eligible = problem.people[sid].eligible
        if budget[0] < len(eligible):
            return None
        load = problem.loads[sid]
        why: Counter[str] = Counter()
        for cid in eligible:
            if sid in mine[cid]:
                why["already on it"] += 1
                continue
            others = [problem.loads[o] for o in mine[cid]]
            if any(o.start < load.end and load.start < o.end for o in others):
                why["on another shift then"] += 1
                continue
            budget[0] -= 1
            rules = sorted({rule.replace("_", " ") for rule, _ in judge.blamed(cid, mine[cid] + [sid])})
            why[" and ".join(rules) if rules else "a load limit with their other new shifts"] += 1
        parts = [f"{n} {reason}" if reason.startswith(("already", "on another")) else f"{n} would cross {reason}"
                 for reason, n in why.most_common()]
        return f"of the {len(eligible)} eligible people, " + ", ".join(parts)

    return explain


def preferences(problem: Problem) -> dict[Pair, int]:
    """Return (shift id, candidate id) → the weight of the stated preferences it meets (when not 0)."""
    out = {}
    for sid, cid in problem.pairs:
        score = sum(p.weight for p in problem.candidates[cid].preferences
                    if p.matches(problem.shifts[sid], problem.tz))
        if score:
            out[(sid, cid)] = score
    return out
