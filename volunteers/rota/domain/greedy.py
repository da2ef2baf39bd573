"""A simple greedy auto-rota, only as a baseline for the benchmark.

Most constrained shift first (fewest eligible people per open place), each
place to the least loaded eligible person (hours so far ÷ pledge) who stays
within the pair conflicts and window limits of the model (overlap, long
duty, short rest, weekly load, intense hours, over-pledge). It does not
judge consecutive dates or load spikes, so it is if anything optimistic.
The CP-SAT auto-rota also starts its search from this answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.rota.domain.solver.load import ShiftFacts
from volunteers.rota.domain.solver.problem import HistoryItem, Problem, conflict, prepare


def greedy_fill(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
                history: Mapping[str, Sequence[HistoryItem]],
                policy: Mapping[str, Any] | None = None,
                as_of: datetime | None = None) -> list[tuple[str, str]]:
    """Return (shift id, candidate id) places chosen greedily."""
    return greedy_pairs(prepare(shifts, candidates, tz=tz, history=history, policy=policy))


def greedy_pairs(problem: Problem) -> list[tuple[str, str]]:
    """Return places chosen greedily from a prepared problem's pairs."""
    by_shift: dict[str, list[str]] = defaultdict(list)
    for sid, cid in problem.pairs:
        by_shift[sid].append(cid)
    duties: dict[str, list[ShiftFacts]] = {cid: list(f) for cid, f in problem.fixed.items()}
    minutes: dict[str, int] = defaultdict(int)
    order = sorted(by_shift, key=lambda sid: (len(by_shift[sid]) / max(1, problem.capacity[sid]),
                                              problem.loads[sid].start, sid))
    chosen: list[tuple[str, str]] = []
    taken: set[tuple[str, str]] = set()
    for sid in order:
        load = problem.loads[sid]
        for _ in range(problem.capacity[sid]):
            best = None
            for cid in by_shift[sid]:
                if (sid, cid) in taken or not _fits(problem, cid, load, duties[cid]):
                    continue
                pledge = problem.candidates[cid].pledged_hours_per_week or 1.0
                key = (minutes[cid] / pledge, cid)
                if best is None or key < best[0]:
                    best = (key, cid)
            if best is None:
                break
            cid = best[1]
            chosen.append((sid, cid))
            taken.add((sid, cid))
            duties[cid].append(load)
            minutes[cid] += load.minutes
    return chosen


def _fits(problem: Problem, cid: str, load: ShiftFacts, duties: list[ShiftFacts]) -> bool:
    limits = problem.limits[cid]
    for other in duties:
        first, second = (other, load) if other.start <= load.start else (load, other)
        if conflict(first, second, limits):
            return False

    def window(metric: str, length: int, cap: int | None) -> bool:
        if cap is None or not getattr(load, metric):
            return True
        for start in range(load.day - length + 1, load.day + 1):
            total = getattr(load, metric) + sum(
                getattr(d, metric) for d in duties if start <= d.day < start + length)
            if total > cap:
                return False
        return True

    return (window("weighted", 7, limits.weekly_weighted) and window("intense", 7, limits.intense)
            and window("minutes", 28, limits.pledge_cap(
                problem.candidates[cid].pledged_hours_per_week)))
