"""A greedy auto-rota: the benchmark's baseline, and CP-SAT's first solution.

Week by week, most constrained shift first (fewest eligible people per
open place), each place to the least loaded eligible person (hours so far ÷
pledge) who keeps every linear rule of the CP-SAT model (overlap, long
duty, short rest, weekly load, intense hours, over-pledge, consecutive
dates, load spikes: a :class:`~.ledger.Ledger`); the canonical load rules
of ``volunteers.wellbeing`` then judge each person's whole schedule — the
same hard rules as the CP-SAT auto-rota, so its coverage is comparable. It
never proposes a place that raises a new warning of severity "warning" or
above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.autofill.domain.load import ShiftFacts
from volunteers.autofill.domain.postcheck import Judge
from volunteers.autofill.domain.problem import HistoryItem, Problem, prepare
from volunteers.autofill.domain.tally import Ledger
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.wellbeing.domain.policy import Policy


def greedy_fill(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
                history: Mapping[str, Sequence[HistoryItem]],
                policy: Mapping[str, Any] | Policy | None = None, as_of: datetime,
                person_limits: Mapping[str, Mapping[str, Any]] | None = None,
                ) -> list[tuple[str, str]]:
    """Return (shift id, candidate id) places chosen greedily."""
    problem = prepare(shifts, candidates, tz=tz, history=history, policy=policy,
                      person_limits=person_limits)
    return greedy_pairs(problem, Judge(problem, history=history, as_of=as_of))


#: checks the improving moves may make at most: a count, not a time, so that the result is repeatable
MOVE_CHECKS = 200_000


def greedy_pairs(problem: Problem, judge: Judge, *, improve: bool = True,
                 checks: int = MOVE_CHECKS) -> list[tuple[str, str]]:
    """Return places chosen greedily from a prepared problem's pairs.

    Places a repair may release (``problem.baseline``) are kept as they are.
    Each place passes the model's linear rules (a :class:`Ledger`). With
    ``improve``, places left empty then get one round of moves (up to
    ``checks`` rule checks): an eligible person gives up one of their places
    to someone else so that they can take the empty one; then the highest
    hours-to-pledge ratios are lowered by moving places to others. Last, the canonical
    rules judge each person's schedule; places behind a new warning are
    dropped one at a time, the last taken first.
    """
    rota = _Rota(problem)
    # Week by week (a load spike is judged against the weeks before, so
    # earlier weeks first), most constrained shift first within a week.
    order = sorted(rota.by_shift, key=lambda sid: (
        (problem.loads[sid].day - problem.first_day) // 7,
        len(rota.by_shift[sid]) / max(1, rota.room[sid]), sid))
    for sid in order:
        for cid in rota.ranked(sid):
            if rota.room[sid] <= 0:
                break
            if rota.ledger(cid).fits(problem.loads[sid]):
                rota.take(sid, cid)
    if improve:
        rota.checks_left = checks
        for sid in order:
            while rota.room[sid] > 0 and rota.checks_left > 0 and rota.move_for(sid):
                pass
        rota.balance()
    chosen: list[tuple[str, str]] = []
    for cid in sorted(rota.mine):
        kept = list(rota.mine[cid])
        while judge.blamed(cid, kept):
            blamed = set().union(*(b for _, b in judge.blamed(cid, kept)))
            kept.remove(next(sid for sid in reversed(kept) if (sid, cid) in blamed))
        chosen.extend((sid, cid) for sid in kept if (sid, cid) not in problem.baseline)
    return sorted(chosen)


class _Rota:
    """The greedy's state: who holds what, each person's :class:`Ledger`, room left."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.by_shift: dict[str, list[str]] = defaultdict(list)
        self.days: dict[str, list[int]] = defaultdict(list)
        for sid, cid in problem.pairs:
            self.days[cid].append(problem.loads[sid].day)
            if (sid, cid) not in problem.baseline:
                self.by_shift[sid].append(cid)
        self.ledgers: dict[str, Ledger] = {}
        self.checks_left = 0
        self.mine: dict[str, list[str]] = defaultdict(list)
        self.minutes: dict[str, int] = defaultdict(int)
        self.room = dict(problem.capacity)
        #: pledged minutes over the range, for those with a pledge (as the max_ratio objective)
        self.pledged = {cid: c.pledged_hours_per_week * 60 * problem.days / 7
                        for cid, c in problem.candidates.items()
                        if c.pledged_hours_per_week and c.pledged_hours_per_week > 0}
        for cid, sids in problem.held.items():
            self.minutes[cid] += sum(problem.loads[sid].minutes for sid in sids
                                     if (sid, cid) not in problem.baseline)
        for sid, cid in sorted(problem.baseline):
            self.take(sid, cid)

    def fits(self, cid: str, sid: str) -> bool:
        """Return whether ``cid`` may take ``sid`` too (a rule check that counts against the budget)."""
        self.checks_left -= 1
        return self.ledger(cid).fits(self.problem.loads[sid])

    def ledger(self, cid: str) -> Ledger:
        if cid not in self.ledgers:
            problem = self.problem
            fixed = problem.fixed.get(cid, [])
            days = self.days[cid]
            limits = problem.limits[cid]
            self.ledgers[cid] = Ledger(
                limits, limits.pledge_cap(problem.candidates[cid].pledged_hours_per_week), fixed,
                min([load.day for load in fixed] + days), (min(days), max(days)))
        return self.ledgers[cid]

    def ranked(self, sid: str) -> list[str]:
        """Return who may take ``sid`` and does not hold it, least loaded for their pledge first."""
        candidates = self.problem.candidates
        return [cid for _, cid in sorted(
            (self.minutes[cid] / (self.pledged.get(cid) or candidates[cid].pledged_hours_per_week
                                  or 1.0), cid)
            for cid in self.by_shift[sid] if sid not in self.mine[cid])]

    def take(self, sid: str, cid: str) -> None:
        self.ledger(cid).add(self.problem.loads[sid])
        self.mine[cid].append(sid)
        self.minutes[cid] += self.problem.loads[sid].minutes
        self.room[sid] -= 1

    def give_up(self, sid: str, cid: str) -> None:
        self.ledger(cid).remove(self.problem.loads[sid])
        self.mine[cid].remove(sid)
        self.minutes[cid] -= self.problem.loads[sid].minutes
        self.room[sid] += 1

    def move_for(self, sid: str) -> bool:
        """Fill one place of ``sid`` directly or by one move; return whether it worked."""
        loads = self.problem.loads
        load = loads[sid]
        people = self.ranked(sid)
        for cid in people:
            if self.fits(cid, sid):
                self.take(sid, cid)
                return True
        for cid in people:
            led = self.ledger(cid)
            for other in list(self.mine[cid]):
                if self.checks_left <= 0:
                    return False
                if (other, cid) in self.problem.baseline or abs(loads[other].day - load.day) > 35:
                    continue
                self.give_up(other, cid)
                if self.fits(cid, sid):
                    self.take(sid, cid)
                    if led.spikes_ok(loads[other].day):
                        for helper in self.ranked(other):
                            if helper != cid and self.fits(helper, other):
                                self.take(other, helper)
                                return True
                    self.give_up(sid, cid)
                self.take(other, cid)
        return False

    def ratio(self, cid: str) -> float:
        return self.minutes[cid] / self.pledged[cid]

    def balance(self) -> None:
        """Lower the highest hours-to-pledge ratio by moving that person's places to others.

        Each move keeps coverage and every linear rule, and leaves the
        receiver below the giver's ratio before the move; it stops when the
        person at the top can give nothing away (or the checks run out).
        """
        loads = self.problem.loads
        while self.checks_left > 0:
            busy = [cid for cid in self.pledged if self.mine[cid]]
            if not busy:
                return
            top = max(busy, key=lambda cid: (self.ratio(cid), cid))
            if not self._shed(top, self.ratio(top), loads):
                return

    def _shed(self, top: str, ratio: float, loads: Mapping[str, ShiftFacts]) -> bool:
        led = self.ledger(top)
        for other in sorted(self.mine[top], key=lambda sid: (-loads[sid].minutes, sid)):
            if (other, top) in self.problem.baseline or not led.can_give_up(loads[other]):
                continue
            for helper in self.ranked(other):
                if (helper != top and helper in self.pledged
                        and (self.minutes[helper] + loads[other].minutes) / self.pledged[helper] < ratio
                        and self.fits(helper, other)):
                    self.give_up(other, top)
                    self.take(other, helper)
                    return True
        return False
