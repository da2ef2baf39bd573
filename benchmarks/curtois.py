"""Curtois & Qu shift scheduling benchmark: read an instance, solve it with CP-SAT.

Used by ``bench_rota_fill.py --curtois``. The instances and the best known
values live outside the repository, in ``../shared/benchmarks/curtois``;
the mode skips with a message when they are absent.

Model (the technical report's formulation): x[e, d, t] for employee e
working shift type t on day d. Hard: one shift a day, days off, per-type
maxima, min/max total minutes, max consecutive shifts, min consecutive
shifts and days off (only patterns wholly inside the horizon), max working
weekends, shift rotation. Soft, in the objective: on/off requests and
under/over cover with their weights.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ortools.sat.python import cp_model

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
BEST = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439,
        10: 4631, 11: 3443, 12: 4040, 13: 1348, 14: 1278, 15: 3834, 16: 3225, 17: 5746,
        18: 4459, 19: 3149, 20: 4943, 21: 21159, 22: 33155, 23: 17428, 24: 48777}


@dataclass
class Instance:
    horizon: int = 0
    shifts: dict[str, tuple[int, set[str]]] = field(default_factory=dict)  # id → (minutes, not-next)
    staff: dict[str, dict] = field(default_factory=dict)
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on: list[tuple[str, int, str, int]] = field(default_factory=list)
    off: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(default_factory=list)


def read(path: Path) -> Instance:
    """Parse one ``InstanceN.txt``."""
    inst, section = Instance(), None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            section = line
            continue
        parts = [p.strip() for p in line.split(",")]
        if section == "SECTION_HORIZON":
            inst.horizon = int(parts[0])
        elif section == "SECTION_SHIFTS":
            inst.shifts[parts[0]] = (int(parts[1]), set(filter(None, parts[2].split("|"))) if len(parts) > 2 else set())
        elif section == "SECTION_STAFF":
            limits = {k: int(v) for k, v in (kv.split("=") for kv in parts[1].split("|") if kv)}
            inst.staff[parts[0]] = dict(max_shifts=limits, max_total=int(parts[2]), min_total=int(parts[3]),
                                        max_cons=int(parts[4]), min_cons=int(parts[5]),
                                        min_off=int(parts[6]), max_weekends=int(parts[7]))
        elif section == "SECTION_DAYS_OFF":
            inst.days_off[parts[0]] = {int(d) for d in parts[1:] if d}
        elif section == "SECTION_SHIFT_ON_REQUESTS":
            inst.on.append((parts[0], int(parts[1]), parts[2], int(parts[3])))
        elif section == "SECTION_SHIFT_OFF_REQUESTS":
            inst.off.append((parts[0], int(parts[1]), parts[2], int(parts[3])))
        elif section == "SECTION_COVER":
            inst.cover.append((int(parts[0]), parts[1], int(parts[2]), int(parts[3]), int(parts[4])))
    return inst


def solve(inst: Instance, time_limit: float, workers: int = 2) -> tuple[float, float, str]:
    """Return (objective, bound, status) of the CP-SAT model within ``time_limit``."""
    m = cp_model.CpModel()
    H, T = inst.horizon, list(inst.shifts)
    x = {(e, d, t): m.new_bool_var("") for e in inst.staff for d in range(H) for t in T}
    work = {}
    for e, s in inst.staff.items():
        for d in range(H):
            work[e, d] = m.new_bool_var("")
            m.add(sum(x[e, d, t] for t in T) == work[e, d])
            if d in inst.days_off.get(e, ()):
                m.add(work[e, d] == 0)
        for t in T:
            m.add(sum(x[e, d, t] for d in range(H)) <= s["max_shifts"].get(t, H))
        minutes = sum(x[e, d, t] * inst.shifts[t][0] for d in range(H) for t in T)
        m.add(minutes <= s["max_total"])
        m.add(minutes >= s["min_total"])
        for d in range(H - s["max_cons"]):
            m.add(sum(work[e, k] for k in range(d, d + s["max_cons"] + 1)) <= s["max_cons"])
        # Min consecutive shifts / days off: forbid short blocks wholly inside the horizon.
        for length in range(1, s["min_cons"]):
            for d in range(1, H - length):
                m.add_bool_or([work[e, d - 1], *[~work[e, k] for k in range(d, d + length)], work[e, d + length]])
        for length in range(1, s["min_off"]):
            for d in range(1, H - length):
                m.add_bool_or([~work[e, d - 1], *[work[e, k] for k in range(d, d + length)], ~work[e, d + length]])
        weekends = []
        for w in range(H // 7):
            we = m.new_bool_var("")
            m.add_max_equality(we, [work[e, 7 * w + 5], work[e, 7 * w + 6]])
            weekends.append(we)
        m.add(sum(weekends) <= s["max_weekends"])
        for d in range(H - 1):
            for t, (_, banned) in inst.shifts.items():
                for u in banned:
                    if u in inst.shifts:
                        m.add_bool_or([~x[e, d, t], ~x[e, d + 1, u]])
    penalty = []
    for e, d, t, w in inst.on:
        penalty.append(w * (1 - x[e, d, t]))
    for e, d, t, w in inst.off:
        penalty.append(w * x[e, d, t])
    for d, t, need, under, over in inst.cover:
        have = sum(x[e, d, t] for e in inst.staff)
        short = m.new_int_var(0, need, "")
        extra = m.new_int_var(0, len(inst.staff), "")
        m.add(have + short - extra == need)
        penalty += [under * short, over * extra]
    m.minimize(sum(penalty))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return float("nan"), solver.best_objective_bound, solver.status_name(status)
    return solver.objective_value, solver.best_objective_bound, solver.status_name(status)


def run_instances(numbers: list[int], time_limit: float) -> None:
    """Solve each numbered instance and print the objective against the best known."""
    if not DATA.is_dir():
        print(f"Curtois instances not found at {DATA}; skipping.")
        return
    print(f"Curtois & Qu instances, CP-SAT, {time_limit:g} s each")
    for n in numbers:
        path = DATA / f"Instance{n}.txt"
        if not path.exists():
            print(f"Instance{n}: missing, skipped")
            continue
        started = time.monotonic()
        value, bound, status = solve(read(path), time_limit)
        gap = 100 * (value - BEST[n]) / BEST[n]
        print(f"Instance{n}: {value:.0f} (bound {bound:.0f}, {status}) vs best known {BEST[n]} "
              f"({gap:+.1f}%) in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    import sys
    run_instances([int(a) for a in sys.argv[1:]] or list(range(1, 9)), 30.0)
