"""Benchmark the auto-rota: coverage, bounds, time and fairness (prints, asserts nothing).

    .venv/bin/python benchmarks/bench_rota_fill.py            # village month + 1,000-person month
    .venv/bin/python benchmarks/bench_rota_fill.py --village  # only the village month
    .venv/bin/python benchmarks/bench_rota_fill.py --curtois [1 2 3 ...] [--time 60]

Instances are generated from a fixed seed. The LP bound is the GLOP
optimum of the linear relaxation of the coverage stage: the same pairs,
place capacities, no-overlap cliques, and each person's weekly weighted-load
and 28-day pledge windows — fewer constraints than the CP-SAT model, so its
optimum bounds the best possible coverage from above.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ortools.linear_solver import pywraplp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from volunteers.rota.domain.availability import WeeklyWindow  # noqa: E402
from volunteers.rota.domain.eligibility import Candidate, OpenShift  # noqa: E402
from volunteers.rota.domain.greedy import greedy_fill  # noqa: E402
from volunteers.rota.domain.solver import fill  # noqa: E402
from volunteers.rota.domain.solver.objectives import weight  # noqa: E402
from volunteers.rota.domain.solver.problem import Problem, prepare  # noqa: E402
from volunteers.wellbeing import ShiftSpan  # noqa: E402

TZ = ZoneInfo("Europe/London")
MONTH = date(2026, 11, 1)
AS_OF = datetime(2026, 10, 31, 12, tzinfo=TZ)
ROLES = {  # role: (qualification, intensity, share of people qualified)
    "Shop counter": (None, 1.0, 1.0),
    "Post Office counter": ("Post Office training", 1.0, 0.3),
    "Cafe": (None, 1.0, 1.0),
    "Ward visit": ("Peer counsellor course", 1.5, 0.4),
    "Helpline": ("Peer counsellor course", 1.5, 0.4),
}


def _at(day: date, hour: float) -> datetime:
    return datetime(day.year, day.month, day.day, int(hour), int(hour % 1 * 60), tzinfo=TZ)


def generate(people: int, sites: int, slots: list[tuple[str, float, float, int]], seed: int,
             weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5)) -> tuple[list[OpenShift], list[Candidate], dict]:
    """Return shifts for November 2026, candidates and five weeks of history."""
    rng = random.Random(seed)
    shifts = []
    days = [MONTH + timedelta(days=i) for i in range(30)]
    for site in range(sites):
        for day in days:
            if day.weekday() not in weekdays:
                continue
            for role, start, hours, needed in slots:
                shifts.append(OpenShift(f"{site}-{day:%d}-{role[:4]}-{start:g}", _at(day, start),
                                        _at(day, start) + timedelta(hours=hours), role, f"site{site}",
                                        (ROLES[role][0],) if ROLES[role][0] else (), needed,
                                        intensity=ROLES[role][1], priority=2 if ROLES[role][0] else 1))
    candidates, history = [], {}
    starts = sorted({s for _, s, _, _ in slots})
    for i in range(people):
        quals = {}
        for role, (qual, _, share) in ROLES.items():
            if qual and rng.random() < share:
                quals[qual] = rng.choice([None, None, date(2026, 11, rng.randint(1, 30)), date(2027, 6, 1)])
        windows = ()
        if rng.random() < 0.7:
            windows = tuple(WeeklyWindow(rng.randrange(7), datetime.min.time().replace(hour=int(s)),
                                         datetime.min.time().replace(hour=min(23, int(s) + 6)))
                            for s in rng.sample(starts, k=min(len(starts), 2)) for _ in range(3))
        leave = ()
        if rng.random() < 0.1:
            first = MONTH + timedelta(days=rng.randrange(28))
            leave = ((first, first + timedelta(days=rng.randint(2, 9))),)
        cid = f"p{i}"
        candidates.append(Candidate(cid, f"Person {i}", rng.choice([2, 3, 4, 4, 6, 8]), quals, windows, leave))
        # A usual weekly slot in the five weeks before the month.
        role, start, hours, _ = rng.choice(slots)
        weekday = rng.randrange(6)
        first = MONTH - timedelta(days=35)
        history[cid] = [ShiftSpan(_at(d, start), _at(d, start) + timedelta(hours=hours), role, ROLES[role][1])
                        for d in (first + timedelta(days=k) for k in range(35)) if d.weekday() == weekday]
    return shifts, candidates, history


def lp_bound(problem: Problem, role_priority: dict | None = None) -> float:
    """Return the LP relaxation bound on weighted coverage (see the module docstring)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = {p: solver.NumVar(0, 1, "") for p in problem.pairs}
    by_shift, by_person = defaultdict(list), defaultdict(list)
    for p in problem.pairs:
        by_shift[p[0]].append(p)
        by_person[p[1]].append(p)
    for sid, pairs in by_shift.items():
        solver.Add(sum(x[p] for p in pairs) <= problem.capacity[sid])
    for cid, pairs in by_person.items():
        limits = problem.limits[cid]
        pairs.sort(key=lambda p: problem.loads[p[0]].start)
        active = []
        for p in pairs:  # overlap cliques
            load = problem.loads[p[0]]
            still = [q for q in active if problem.loads[q[0]].end > load.start]
            if len(still) < len(active) and len(active) > 1:
                solver.Add(sum(x[q] for q in active) <= 1)
            active = still + [p]
        if len(active) > 1:
            solver.Add(sum(x[q] for q in active) <= 1)
        for metric, length, cap in (("weighted", 7, limits.weekly_weighted),
                                    ("minutes", 28, limits.pledge_cap(problem.candidates[cid].pledged_hours_per_week))):
            if cap is None:
                continue
            daily, fixed = defaultdict(list), defaultdict(int)
            for p in pairs:
                daily[problem.loads[p[0]].day].append(p)
            for load in problem.fixed.get(cid, ()):
                fixed[load.day] += getattr(load, metric)
            day_var = {d: solver.NumVar(0, solver.infinity(), "") for d in daily}
            for d, ps in daily.items():
                solver.Add(day_var[d] == sum(x[p] * getattr(problem.loads[p[0]], metric) for p in ps))
            for start in range(min(daily) - length + 1, max(daily) + 1):
                inside = [day_var[d] for d in range(start, start + length) if d in day_var]
                if inside:
                    used = sum(fixed.get(d, 0) for d in range(start, start + length))
                    solver.Add(sum(inside) <= max(0, cap - used))
    solver.Maximize(sum(x[p] * weight(problem, p[0], role_priority) for p in problem.pairs))
    solver.Solve()
    return solver.Objective().Value()


def report(name: str, shifts: list[OpenShift], candidates: list[Candidate], history: dict,
           time_limit: float) -> None:
    places = sum(s.needed for s in shifts)
    print(f"\n== {name}: {len(candidates)} people, {len(shifts)} shifts, {places} places")
    started = time.monotonic()
    problem = prepare(shifts, candidates, tz=TZ, history=history, policy=None)
    print(f"eligible pairs after pruning: {len(problem.pairs)} (prepare {time.monotonic() - started:.1f} s)")
    started = time.monotonic()
    bound = lp_bound(problem)
    print(f"LP bound (GLOP, linear relaxation) on weighted coverage: {bound:.1f}  ({time.monotonic() - started:.1f} s)")
    started = time.monotonic()
    proposal = fill(shifts, candidates, tz=TZ, history=history, as_of=AS_OF, time_limit_s=time_limit)
    seconds = time.monotonic() - started
    ratios = [h.ratio_after for h in proposal.hours if h.ratio_after is not None]
    weighted = proposal.objectives["coverage"]
    print(f"CP-SAT: {len(proposal.assignments)}/{places} places, weighted coverage {weighted:.0f}, "
          f"status {proposal.status}, solver bound {proposal.solver_bound:.0f}, "
          f"eligible-places bound {proposal.upper_bound}, gap to LP {100 * (bound - weighted) / max(bound, 1):.2f}%")
    print(f"        {seconds:.1f} s wall (limit {time_limit:g} s), max hours/pledge {max(ratios, default=0):.2f}, "
          f"hours over pledge {proposal.objectives.get('hours_over_pledge', float('nan')):.1f} h, "
          f"post-check cuts {len(proposal.post_check_cuts)}")
    reasons = defaultdict(int)
    for u in proposal.unfilled:
        reasons[u.reason] += 1
    print(f"        unfilled: {dict(reasons)}")
    started = time.monotonic()
    chosen = greedy_fill(shifts, candidates, tz=TZ, history=history)
    seconds = time.monotonic() - started
    minutes = defaultdict(int)
    for sid, cid in chosen:
        minutes[cid] += problem.loads[sid].minutes
    greedy_ratios = [minutes[c.id] / 60 / (c.pledged_hours_per_week * problem.days / 7)
                     for c in candidates if c.pledged_hours_per_week]
    greedy_weighted = sum(weight(problem, sid, None) for sid, _ in chosen)
    print(f"greedy: {len(chosen)}/{places} places, weighted coverage {greedy_weighted}, {seconds:.1f} s, "
          f"max hours/pledge {max(greedy_ratios, default=0):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--village", action="store_true", help="only the village month")
    parser.add_argument("--curtois", nargs="*", type=int, metavar="N",
                        help="Curtois & Qu instances (default 1-8)")
    parser.add_argument("--time", type=float, default=None, help="time limit per run, seconds")
    args = parser.parse_args()
    if args.curtois is not None:
        from curtois import run_instances
        run_instances(args.curtois or list(range(1, 9)), args.time or 30.0)
        return
    village = generate(40, 1, [("Shop counter", 9, 4, 2), ("Shop counter", 13, 4, 2),
                               ("Post Office counter", 9, 3.5, 1), ("Cafe", 10, 4, 1)], seed=1,
                       weekdays=(0, 1, 2, 3, 4, 5))
    shifts, people, history = village
    # Trim to ~90 shifts: the café opens Tue, Thu and Sat, the Post Office on weekdays.
    shifts = [s for s in shifts if not (s.role == "Cafe" and s.start.astimezone(TZ).weekday() not in (1, 3, 5))
              and not (s.role == "Post Office counter" and s.start.astimezone(TZ).weekday() == 5)]
    report("village month", shifts, people, history, args.time or 10.0)
    if args.village:
        return
    big = generate(1000, 25, [("Shop counter", 8, 4, 2), ("Ward visit", 10, 3, 1),
                              ("Post Office counter", 13, 4, 1), ("Helpline", 18, 4, 1)], seed=2,
                   weekdays=(0, 1, 2, 3, 4, 5, 6))
    report("large month", *big, args.time or 60.0)


if __name__ == "__main__":
    main()
