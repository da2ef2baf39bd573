"""Time ``volunteers.wellbeing.assess`` on 1,000 people × one year of realistic shifts.

Run: ``.venv/bin/python benchmarks/bench_load.py [--people N] [--runs R] [--seed S]``.
Prints the size of the input, the median (and best/worst) time of ``assess``
over a few runs against the target (< 5 s), the typed per-person cost that
the auto-rota's post-check pays, and the warnings found. No assertions.

The population mixes Tackley-style shop volunteers (one to three daytime
shifts a week, holidays, some with a busy month), Sure Start peer counsellors
(helpline evenings, some active nights, ward visits, supervision every
six to ten weeks) and stand-by helpline volunteers (one or two nights on call a week).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from volunteers.wellbeing import assess, evaluate_volunteer, parse_assessment  # noqa: E402

TZ = ZoneInfo("Europe/London")
FIRST_DAY = date(2026, 1, 5)  # a Monday; the year runs across both clock changes
DAYS = 365
AS_OF = datetime(2026, 11, 2, 12, 0, tzinfo=TZ)  # ten months worked, two months planned
TARGET_SECONDS = 5.0


def _shift(day: date, start: str, hours: float, role: str, intensity: float = 1.0,
           on_call: bool = False, ref: str | None = None) -> dict[str, Any]:
    begin = datetime.combine(day, datetime.strptime(start, "%H:%M").time(), tzinfo=TZ)
    end = datetime.fromtimestamp(begin.timestamp() + hours * 3600, TZ)
    shift = {"start": begin.isoformat(), "end": end.isoformat(), "role": role,
             "intensity": intensity, "on_call": on_call}
    if ref:
        shift["id"] = ref
    return shift


def _holidays(rng: Random) -> set[int]:
    """Return the day offsets of one or two breaks of one to three weeks."""
    off: set[int] = set()
    for _ in range(rng.randint(1, 2)):
        start = rng.randrange(DAYS - 21)
        off.update(range(start, start + 7 * rng.randint(1, 3)))
    return off


def shop_volunteer(rng: Random, ident: str) -> dict[str, Any]:
    """One to three 3–4 h daytime shifts a week on fixed weekdays, with holidays; some have a busy month."""
    weekdays = rng.sample(range(7), rng.choice([1, 1, 2, 2, 3]))
    starts = {d: rng.choice(["08:00", "09:00", "10:00", "13:00", "14:00"]) for d in weekdays}
    hours = rng.choice([3.0, 3.5, 4.0])
    role = rng.choice(["Shop counter", "Shop counter", "Café", "Post Office counter"])
    busy = rng.randrange(DAYS - 30) if rng.random() < 0.3 else -100
    off = _holidays(rng)
    shifts = []
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        extra = busy <= offset < busy + 30 and rng.random() < 0.2
        if offset in off or (day.weekday() not in starts and not extra):
            continue
        shifts.append(_shift(day, starts.get(day.weekday(), "09:00"), hours, role, ref=f"{ident}-{offset}"))
    # A quarter give more than they pledged.
    pledge = hours * len(weekdays) * rng.choice([1.0, 1.0, 1.0, 0.75])
    return {"id": ident, "pledged_hours_per_week": pledge, "shifts": shifts}


def peer_counsellor(rng: Random, ident: str) -> dict[str, Any]:
    """Helpline evenings, some active nights, a weekly ward visit; supervised every 6–10 weeks."""
    evening = rng.randrange(7)
    ward = rng.randrange(7)
    nights = rng.random() < 0.4
    off = _holidays(rng)
    shifts = []
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        if offset in off:
            continue
        if day.weekday() == evening:
            hours = rng.choice([3.0, 4.0, 4.5])
            shifts.append(_shift(day, "18:00", hours, "Helpline", 1.5, ref=f"{ident}-e{offset}"))
        if day.weekday() == ward and rng.random() < 0.8:
            shifts.append(_shift(day, "10:00", 3.0, "Hospital ward visit", 1.5, ref=f"{ident}-w{offset}"))
        if nights and rng.random() < 0.06:
            shifts.append(_shift(day, "23:00", 4.0, "Helpline", 1.5, ref=f"{ident}-n{offset}"))
    supervised = FIRST_DAY + timedelta(days=rng.randrange(250, 300))
    return {"id": ident, "pledged_hours_per_week": rng.choice([4.0, 6.0, 8.0]),
            "last_supervised_on": supervised.isoformat(), "shifts": shifts}


def on_call_volunteer(rng: Random, ident: str) -> dict[str, Any]:
    """Helpline nights on call (18:00–08:00), one or two a week, now and then two in a row."""
    per_week = rng.choice([1, 1, 2])
    off = _holidays(rng)
    shifts = []
    offset = 0
    while offset < DAYS:
        day = FIRST_DAY + timedelta(days=offset)
        if offset not in off and rng.random() < per_week / 7:
            run = rng.choice([1, 1, 1, 1, 2])
            for k in range(run):
                shifts.append(_shift(day + timedelta(days=k), "18:00", 14.0, "Helpline on call", 1.5, True,
                                     ref=f"{ident}-c{offset + k}"))
            offset += run
        offset += 1
    return {"id": ident, "pledged_hours_per_week": None, "shifts": shifts}


def population(people: int, seed: int) -> dict[str, Any]:
    """Return an ``assess`` payload of ``people`` volunteers (60% shop, 25% counsellors, 15% on call)."""
    rng = Random(seed)
    volunteers = []
    for k in range(people):
        kind = rng.random()
        if kind < 0.60:
            volunteers.append(shop_volunteer(rng, f"shop-{k}"))
        elif kind < 0.85:
            volunteers.append(peer_counsellor(rng, f"counsellor-{k}"))
        else:
            volunteers.append(on_call_volunteer(rng, f"on-call-{k}"))
    return {"as_of": AS_OF.isoformat(), "timezone": "Europe/London", "policy": {}, "volunteers": volunteers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    built = time.perf_counter()
    payload = population(args.people, args.seed)
    built = time.perf_counter() - built
    shifts = sum(len(v["shifts"]) for v in payload["volunteers"])
    size = len(json.dumps(payload))
    print(f"input: {args.people} people, {shifts} shifts over {DAYS} days "
          f"({shifts / args.people:.0f} a person), {size / 1e6:.1f} MB of JSON, generated in {built:.2f} s")

    timings, cpu, result = [], [], None
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = assess(payload)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    median = statistics.median(timings)
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"assess: median {median:.2f} s wall over {args.runs} runs (best {min(timings):.2f}, "
          f"worst {max(timings):.2f}); median {statistics.median(cpu):.2f} s CPU; "
          f"target < {TARGET_SECONDS:.0f} s: {verdict}")

    request = parse_assessment(payload)
    started = time.perf_counter()
    for schedule, policy in zip(request.schedules, request.policies):
        evaluate_volunteer(schedule, request.as_of, request.tz, policy)
    typed = time.perf_counter() - started
    print(f"evaluate_volunteer (typed, parsing excluded): {typed:.2f} s in all, "
          f"{typed / args.people * 1000:.2f} ms a person")

    assert result is not None
    counts = Counter((w["rule"], w["severity"]) for w in result["warnings"])
    flagged = len({w["volunteer"] for w in result["warnings"]})
    print(f"warnings: {len(result['warnings'])} for {flagged} people")
    for (rule, severity), count in sorted(counts.items()):
        print(f"  {rule:<20} {severity:<9} {count}")
    organisation = result["organisation"]
    print(f"organisation: {organisation['volunteers']} active, {organisation['hours']} h in 90 days, "
          f"gini {organisation['gini']}, top20_share {organisation['top20_share']}, "
          f"key drivers {len(organisation['key_drivers'])}, bus factor {organisation['bus_factor']}")


if __name__ == "__main__":
    main()
