"""Benchmark the auto-rota: coverage, bounds, time, fairness and a canonical check (prints only).

    .venv/bin/python benchmarks/bench_rota_fill.py            # village month + 1,000-person month
    .venv/bin/python benchmarks/bench_rota_fill.py --village  # only the village month
    .venv/bin/python benchmarks/bench_rota_fill.py --large    # only the 1,000-person month
    .venv/bin/python benchmarks/bench_rota_fill.py --curtois [1 2 3 ...] [--time 60]

Instances are generated from a fixed seed (November 2026, Europe/London,
five weeks of history that raise no warning of their own). The LP bound is
the GLOP optimum of the linear relaxation of the coverage stage: the same
pairs, place capacities, no-overlap cliques, and each person's weekly
weighted-load and 28-day pledge windows — fewer constraints than the CP-SAT
model, so its optimum bounds the best possible coverage from above. Every
proposal (CP-SAT and greedy) is then judged by the canonical load rules
(``volunteers.wellbeing.evaluate_volunteer``) over each person's history
plus proposed shifts: the "serious warnings" printed must be 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from ortools.linear_solver import pywraplp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from volunteers.autofill.domain import fill  # noqa: E402
from volunteers.autofill.domain.greedy import greedy_pairs  # noqa: E402
from volunteers.autofill.domain.objectives import weight  # noqa: E402
from volunteers.autofill.domain.postcheck import Judge  # noqa: E402
from volunteers.autofill.domain.problem import Problem, prepare  # noqa: E402
from volunteers.people.domain.availability import WeeklyWindow  # noqa: E402
from volunteers.rota.domain.eligibility import Candidate, OpenShift  # noqa: E402
from volunteers.wellbeing import ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least  # noqa: E402

TZ = ZoneInfo("Europe/London")
MONTH = date(2026, 11, 1)
DAYS = [MONTH + timedelta(days=i) for i in range(30)]
AS_OF = datetime(2026, 10, 31, 12, tzinfo=TZ)
ROLES = {  # role: (qualification, intensity, share of people qualified)
    "Shop counter": (None, 1.0, 1.0),
    "Post Office counter": ("Post Office training", 1.0, 0.3),
    "Cafe": (None, 1.0, 1.0),
    "Ward visit": ("Peer counsellor course", 1.5, 0.4),
    "Helpline": ("Peer counsellor course", 1.5, 0.4),
}
Slot = tuple[str, float, float, int, tuple[int, ...]]  # role, start hour, hours, needed, weekdays
Instance = tuple[list[OpenShift], list[Candidate], dict[str, list[ShiftSpan]]]


def _at(day: date, hour: float) -> datetime:
    return datetime(day.year, day.month, day.day, int(hour), int(hour % 1 * 60), tzinfo=TZ)


def _shifts(sites: int, slots: list[Slot], inducted: bool) -> list[OpenShift]:
    out = []
    for site in range(sites):
        for day in DAYS:
            for role, start, hours, needed, weekdays in slots:
                if day.weekday() not in weekdays:
                    continue
                quals = tuple(q for q in (ROLES[role][0], f"Induction site{site}" if inducted else None) if q)
                out.append(OpenShift(f"{site}-{day:%d}-{role[:4]}-{start:g}", _at(day, start),
                                     _at(day, start) + timedelta(hours=hours), role, f"site{site}",
                                     quals, needed, intensity=ROLES[role][1],
                                     priority=2 if ROLES[role][0] else 1))
    return out


def _history(rng: random.Random, pledge: float, slots: list[Slot]) -> list[ShiftSpan]:
    """Five weeks of one usual slot: weekly for pledges of 3 h or more, else fortnightly."""
    role, start, hours, _, weekdays = rng.choice(slots)
    weekday = rng.choice(weekdays)
    first = MONTH - timedelta(days=35)
    days = [first + timedelta(days=k) for k in range(35) if (first + timedelta(days=k)).weekday() == weekday]
    days = days if pledge >= 3 else days[::2]
    return [ShiftSpan(_at(d, start), _at(d, start) + timedelta(hours=hours), role, ROLES[role][1])
            for d in days]


def _person(rng: random.Random, i: int, windows: tuple[WeeklyWindow, ...], quals: dict,
            slots: list[Slot]) -> tuple[Candidate, list[ShiftSpan]]:
    for qual, _, share in ROLES.values():
        if qual and qual not in quals and rng.random() < share:
            quals[qual] = rng.choice([None, None, date(2026, 11, rng.randint(1, 30)), date(2027, 6, 1)])
    leave = ()
    if rng.random() < 0.1:
        first = MONTH + timedelta(days=rng.randrange(28))
        leave = ((first, first + timedelta(days=rng.randint(2, 9))),)
    pledge = rng.choice([2, 3, 4, 4, 6, 8])
    return (Candidate(f"p{i}", f"Person {i}", pledge, quals, windows, leave),
            _history(rng, pledge, slots))


def village(seed: int = 1, people: int = 40) -> Instance:
    """~40 people, ~90 shifts, ~155 places: shop (2 + 2), Post Office, café."""
    mon_sat, weekdays = (0, 1, 2, 3, 4, 5), (0, 1, 2, 3, 4)
    slots: list[Slot] = [("Shop counter", 9, 4, 2, mon_sat), ("Shop counter", 13, 4, 2, mon_sat),
                         ("Post Office counter", 9, 3.5, 1, weekdays), ("Cafe", 10, 4, 2, (1, 3, 5, 6))]
    rng = random.Random(seed)
    candidates, history = [], {}
    for i in range(people):
        windows = ()
        if rng.random() < 0.7:  # the rest state no limits
            windows = tuple(WeeklyWindow(d, clock(rng.choice([9, 9, 13])), clock(17))
                            for d in sorted(rng.sample(range(7), k=rng.randint(2, 4))))
        candidate, past = _person(rng, i, windows, {}, slots)
        candidates.append(candidate)
        history[candidate.id] = past
    return _shifts(1, slots, False), candidates, history


def large(seed: int = 2, people: int = 1000, sites: int = 25) -> Instance:
    """1,000 people, 3,000 shifts, 3,750 places at 25 sites, each with its own induction.

    Each person is inducted at 5–12 nearby sites and available on 3–4 days a week
    (a morning, afternoon or whole day, some evenings), which gives 100–300
    eligible places each — a county-sized programme, not everyone for
    everything.
    """
    every = tuple(range(7))
    slots: list[Slot] = [("Shop counter", 8, 4, 2, every), ("Ward visit", 10, 3, 1, every),
                         ("Post Office counter", 13, 4, 1, every), ("Helpline", 18, 4, 1, every)]
    rng = random.Random(seed)
    spans = [(8, 13), (10, 17), (13, 18), (8, 18), (17, 22), (8, 22)]
    candidates, history = [], {}
    for i in range(people):
        home = rng.randrange(sites)
        near = {home} | {(home + rng.randint(-7, 7)) % sites for _ in range(rng.randint(6, 12))}
        quals: dict = {f"Induction site{s}": None for s in sorted(near)}
        windows = []
        for d in sorted(rng.sample(range(7), k=rng.randint(3, 4))):
            start, end = rng.choice(spans)
            windows.append(WeeklyWindow(d, clock(start), clock(end)))
        candidate, past = _person(rng, i, tuple(windows), quals, slots)
        candidates.append(candidate)
        history[candidate.id] = past
    return _shifts(sites, slots, True), candidates, history


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
        active: list = []
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


def serious_warnings(shifts: list[OpenShift], candidates: list[Candidate], history: dict,
                     chosen: list[tuple[str, str]]) -> Counter:
    """Return rule → count of warnings ≥ "warning" over history + proposed shifts (canonical rules)."""
    by_id = {s.id: s for s in shifts}
    mine = defaultdict(list)
    for sid, cid in chosen:
        mine[cid].append(by_id[sid])
    found: Counter = Counter()
    for c in candidates:
        spans = list(history.get(c.id, ())) + [
            ShiftSpan(s.start, s.end, s.role, s.intensity, s.on_call, ref=s.id) for s in mine[c.id]]
        schedule = VolunteerSchedule(c.id, c.pledged_hours_per_week,
                                     tuple(sorted(spans, key=lambda s: s.start)), c.last_supervised_on)
        for w in evaluate_volunteer(schedule, AS_OF, TZ):
            if is_at_least(w.severity, "warning"):
                found[w.rule] += 1
    return found


def _ratios(problem: Problem, chosen: list[tuple[str, str]]) -> float:
    minutes: Counter = Counter()
    for sid, cid in chosen:
        minutes[cid] += problem.loads[sid].minutes
    return max((minutes[c.id] / 60 / (c.pledged_hours_per_week * problem.days / 7)
                for c in problem.candidates.values() if c.pledged_hours_per_week), default=0.0)


def report(name: str, instance: Instance, time_limit: float, seed: int = 0) -> None:
    shifts, candidates, history = instance
    places = sum(s.needed for s in shifts)
    print(f"\n== {name}: {len(candidates)} people, {len(shifts)} shifts, {places} places")
    print(f"history alone: serious warnings {dict(serious_warnings(shifts, candidates, history, []))}")
    started = time.monotonic()
    problem = prepare(shifts, candidates, tz=TZ, history=history, policy=None)
    per_person = Counter(cid for _, cid in problem.pairs)
    counts = sorted(per_person.get(c.id, 0) for c in candidates)
    print(f"eligible pairs after pruning: {len(problem.pairs)} (per person: median {counts[len(counts) // 2]}, "
          f"10%–90% {counts[len(counts) // 10]}–{counts[9 * len(counts) // 10]}; "
          f"prepare {time.monotonic() - started:.2f} s)")
    started = time.monotonic()
    bound = lp_bound(problem)
    print(f"LP bound (GLOP, linear relaxation) on weighted coverage: {bound:.1f}  ({time.monotonic() - started:.1f} s)")
    started = time.monotonic()
    proposal = fill(shifts, candidates, tz=TZ, history=history, as_of=AS_OF, time_limit_s=time_limit,
                    seed=seed)
    seconds = time.monotonic() - started
    chosen = [(a.shift_id, a.candidate_id) for a in proposal.assignments]
    weighted = proposal.objectives["coverage"]
    print(f"CP-SAT: {len(chosen)}/{places} places, weighted coverage {weighted:.0f}, status {proposal.status}, "
          f"solver bound {proposal.solver_bound:.0f}, gap to LP bound {100 * (bound - weighted) / max(bound, 1):.2f}%")
    print(f"        {seconds:.1f} s wall (limit {time_limit:g} s), max hours/pledge {_ratios(problem, chosen):.3f}, "
          f"hours over pledge {proposal.objectives.get('hours_over_pledge', float('nan')):.1f} h, "
          f"on usual slots {proposal.objectives.get('continuity', float('nan')):.0f}, "
          f"post-check cuts {len(proposal.post_check_cuts)}")
    for stage in proposal.stages:
        print(f"        stage {stage.name}: {stage.status} {stage.value:g} (bound {stage.bound:g}) "
              f"{stage.seconds:.2f} s")
    print(f"        unfilled: {dict(Counter(u.reason for u in proposal.unfilled))}")
    print(f"        serious warnings (canonical rules, history + proposal): "
          f"{dict(serious_warnings(shifts, candidates, history, chosen))}")
    started = time.monotonic()
    problem = prepare(shifts, candidates, tz=TZ, history=history, policy=None)
    greedy = greedy_pairs(problem, Judge(problem, history=history, as_of=AS_OF))
    seconds = time.monotonic() - started
    coverage = sum(weight(problem, s, None) for s, _ in greedy)
    print(f"greedy: {len(greedy)}/{places} places, weighted coverage {coverage}, "
          f"{seconds:.1f} s, max hours/pledge {_ratios(problem, greedy):.3f}, serious warnings "
          f"{dict(serious_warnings(shifts, candidates, history, greedy))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--village", action="store_true", help="only the village month")
    parser.add_argument("--large", action="store_true", help="only the 1,000-person month")
    parser.add_argument("--curtois", nargs="*", type=int, metavar="N",
                        help="Curtois & Qu instances (default 1-8)")
    parser.add_argument("--time", type=float, default=None, help="time limit per run, seconds")
    parser.add_argument("--people", type=int, default=None,
                        help="people in the month (default 40 in the village, 1,000 in the large month)")
    args = parser.parse_args()
    if args.curtois is not None:
        from curtois import run_instances
        run_instances(args.curtois or list(range(1, 9)), args.time or 30.0)
        return
    if not args.large:
        report("village month", village(people=args.people or 40), args.time or 10.0)
    if not args.village:
        report("large month", large(people=args.people or 1000) if args.large else large(), args.time or 60.0)


if __name__ == "__main__":
    main()
