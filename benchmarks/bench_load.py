"""Time ``volunteers.wellbeing.assess`` on 1,000 people × one year of realistic shifts.

Run: ``.venv/bin/python benchmarks/bench_load.py [--people N] [--runs R] [--seed S]``, or
``--scan [--assignments N] [--rebuild]`` for the nightly scan part (see :func:`scan_part`).
Prints the size of the input, the median (and best/worst) time of ``assess``
over a few runs against the target (< 5 s), the typed per-person cost that
the auto-rota's post-check pays, and the warnings found. No assertions.

The population mixes Tackley-style shop volunteers (one to three daytime
shifts a week, holidays, some with a busy month), Sure Start peer counsellors
(helpline evenings, some active nights, ward visits, supervision every
six to ten weeks) and stand-by helpline volunteers (one or two nights on call a week).

``--scan`` stores the same population as one organisation's assignments
(``--assignments``, default 1,000,000; a few cancelled or no-shows), then
times the full scan (``wellbeing.scanning.scan``: Sunday nights, and
``flask load scan``) on the night before ``AS_OF``, and the nightly scan of
the people due (``scan_due``) on the ``--runs`` nights that follow, next to
the raw SQL of "hours per person in the last 7 and 28 days" on the same
data (target: the nightly scan within 2× of it). The data is kept between runs
(SQLite under /tmp; ``--rebuild`` to start again); PostgreSQL runs too
when BENCH_DATABASE_URL (or TEST_DATABASE_URL's server, database
``volunteers_bench``) is set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
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


def assess_part(args: argparse.Namespace) -> None:
    """Time ``assess`` on ``args.people`` people × one year, and the typed per-person cost."""
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
    for schedule, policy in zip(request.schedules, request.policies, strict=True):
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


# -- the nightly scan over stored assignments, next to raw SQL ------------------------------------------

SCAN_TARGET_RATIO = 2.0
#: the raw SQL the scan is compared with: hours per person in the last 7 and 28 days
RAW_SQL = {
    "sqlite": """
        SELECT a.membership_id,
               SUM(CASE WHEN s.starts_at >= :d7 THEN (julianday(s.ends_at) - julianday(s.starts_at)) * 24 ELSE 0 END),
               SUM((julianday(s.ends_at) - julianday(s.starts_at)) * 24)
        FROM assignments a JOIN shifts s ON s.id = a.shift_id AND s.organisation_id = a.organisation_id
        WHERE a.organisation_id = :org AND a.status NOT IN ('cancelled', 'no_show') AND s.status != 'cancelled'
          AND s.starts_at >= :d28 AND s.starts_at < :now
        GROUP BY a.membership_id""",
    "postgresql": """
        SELECT a.membership_id,
               SUM(CASE WHEN s.starts_at >= :d7 THEN EXTRACT(EPOCH FROM s.ends_at - s.starts_at) / 3600 ELSE 0 END),
               SUM(EXTRACT(EPOCH FROM s.ends_at - s.starts_at) / 3600)
        FROM assignments a JOIN shifts s ON s.id = a.shift_id AND s.organisation_id = a.organisation_id
        WHERE a.organisation_id = :org AND a.status NOT IN ('cancelled', 'no_show') AND s.status != 'cancelled'
          AND s.starts_at >= :d28 AND s.starts_at < :now
        GROUP BY a.membership_id""",
}


def _databases(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Return (label, URL): a cached SQLite file, and PostgreSQL when BENCH_/TEST_DATABASE_URL is set.

    A TEST_DATABASE_URL is not used as it is (the tests empty it): its server
    gets a database of its own, ``volunteers_bench``.
    """
    found = [("SQLite", f"sqlite:////tmp/volunteers-bench-scan-{args.assignments}-{args.seed}.sqlite")]
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url and os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        url = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0] + "/volunteers_bench"
    if url:
        found.append(("PostgreSQL", url))
    return found


def _ensure_postgres_database(url: str) -> None:
    import psycopg  # noqa: PLC0415

    base, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _rows(args: argparse.Namespace) -> tuple[list[dict[str, Any]], int]:
    """Return the bench population as volunteers (as in ``assess``), trimmed to ``args.assignments`` shifts."""
    people = max(1, -(-args.assignments // 85))
    volunteers = population(people, args.seed)["volunteers"]
    left = args.assignments
    for volunteer in volunteers:
        volunteer["shifts"] = volunteer["shifts"][:max(left, 0)]
        left -= len(volunteer["shifts"])
    while left > 0:  # the mix gave fewer shifts than asked: add people
        extra = population(max(1, -(-left // 85)), args.seed + len(volunteers))["volunteers"]
        for k, volunteer in enumerate(extra):
            volunteer["id"] = f"{volunteer['id']}-x{len(volunteers) + k}"
            volunteer["shifts"] = volunteer["shifts"][:max(left, 0)]
            left -= len(volunteer["shifts"])
        volunteers += extra
    return [v for v in volunteers if v["shifts"]], args.assignments - max(left, 0)


def _load(db: Any, args: argparse.Namespace) -> int:
    """Fill an empty database with one organisation and ``args.assignments`` assignments; return its id."""
    from sqlalchemy import insert  # noqa: PLC0415

    from volunteers.core.models import Organisation  # noqa: PLC0415
    from volunteers.people.models import Membership, Person  # noqa: PLC0415
    from volunteers.rota.models import Assignment, Role, Shift, Site  # noqa: PLC0415

    volunteers, total = _rows(args)
    rng = Random(args.seed)
    org = Organisation(slug="bench", name="Bench", timezone="Europe/London")
    db.session.add(org)
    db.session.flush()
    site = Site(organisation_id=org.id, name="Everywhere")
    db.session.add(site)
    roles: dict[str, Role] = {}
    for volunteer in volunteers:
        for shift in volunteer["shifts"]:
            if shift["role"] not in roles:
                roles[shift["role"]] = Role(organisation_id=org.id, name=shift["role"],
                                            intensity=shift["intensity"], on_call=shift["on_call"])
    db.session.add_all(roles.values())
    db.session.flush()
    people = [{"email": f"p{k}@bench.example", "name": f"Person {k}"} for k in range(len(volunteers))]
    db.session.execute(insert(Person), people)
    ids = dict(db.session.execute(db.select(Person.email, Person.id)).all())
    db.session.execute(insert(Membership), [
        {"organisation_id": org.id, "person_id": ids[f"p{k}@bench.example"], "role": "volunteer", "status": "active",
         "pledged_hours_per_week": v.get("pledged_hours_per_week"),
         "last_supervised_on": date.fromisoformat(v["last_supervised_on"]) if v.get("last_supervised_on") else None,
         "limits": {}, "preferences": {}} for k, v in enumerate(volunteers)])
    members = dict(db.session.execute(db.select(Membership.person_id, Membership.id)).all())
    shift_rows, assignment_rows, next_id = [], [], 1
    for k, volunteer in enumerate(volunteers):
        member = members[ids[f"p{k}@bench.example"]]
        for shift in volunteer["shifts"]:
            start, end = datetime.fromisoformat(shift["start"]), datetime.fromisoformat(shift["end"])
            worked = start < AS_OF
            shift_rows.append({"id": next_id, "organisation_id": org.id, "role_id": roles[shift["role"]].id,
                               "site_id": site.id, "starts_at": start, "ends_at": end,
                               "local_date": start.astimezone(TZ).date(), "needed": 1, "filled": 1,
                               "status": "planned"})
            luck = rng.random()
            status = ("cancelled" if luck < 0.03 else "no_show" if worked and luck < 0.05
                      else "attended" if worked else "assigned")
            assignment_rows.append({"id": next_id, "organisation_id": org.id, "shift_id": next_id,
                                    "membership_id": member, "status": status, "source": "import"})
            next_id += 1
    for chunk in range(0, len(shift_rows), 50_000):
        db.session.execute(insert(Shift), shift_rows[chunk:chunk + 50_000])
        db.session.execute(insert(Assignment), assignment_rows[chunk:chunk + 50_000])
    db.session.commit()
    print(f"  loaded {len(volunteers)} people, {total} assignments")
    return org.id


def _scan_one(label: str, url: str, args: argparse.Namespace) -> dict[str, float]:
    """Time the full scan, the nightly scan of the people due, and the raw SQL on one database."""
    from sqlalchemy import func, text  # noqa: PLC0415

    from config import TestingConfig  # noqa: PLC0415
    from volunteers.app import create_app  # noqa: PLC0415
    from volunteers.core.models import Organisation  # noqa: PLC0415
    from volunteers.extensions import db  # noqa: PLC0415
    from volunteers.rota.models import Assignment  # noqa: PLC0415
    from volunteers.wellbeing.models import LoadRecheck, LoadWarning  # noqa: PLC0415
    from volunteers.wellbeing.scan import SCAN_HISTORY, scan, scan_due  # noqa: PLC0415
    from volunteers.wellbeing.schedules import iter_places  # noqa: PLC0415

    if url.startswith("postgresql"):
        _ensure_postgres_database(url)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        inspector = db.inspect(db.engine)
        current = all(not inspector.has_table(table.name)
                      or {c["name"] for c in inspector.get_columns(table.name)} == set(table.columns.keys())
                      for table in db.metadata.sorted_tables) and inspector.has_table(Assignment.__tablename__)
        if (args.rebuild or not current
                or db.session.scalar(db.select(func.count()).select_from(Assignment)) != args.assignments):
            started = time.perf_counter()
            db.drop_all()
            db.create_all()
            _load(db, args)
            if url.startswith("postgresql"):
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
            print(f"  {label}: built in {time.perf_counter() - started:.1f} s")
        else:
            db.create_all()  # tables added since the data was built
            db.session.execute(db.delete(LoadWarning))
            db.session.execute(db.delete(LoadRecheck))
            db.session.commit()
        org = db.session.scalar(db.select(Organisation))
        now = AS_OF.astimezone(UTC)
        # The Sunday night before: the weekly full scan writes every warning and every recheck.
        started, started_cpu = time.perf_counter(), time.process_time()
        full = scan(org, now - timedelta(days=1))
        db.session.commit()
        full_time, full_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        sql = text(RAW_SQL["postgresql" if url.startswith("postgresql") else "sqlite"])
        params = {"org": org.id, "now": now, "d7": now - timedelta(days=7), "d28": now - timedelta(days=28)}
        if not url.startswith("postgresql"):
            params = {k: (v.replace(tzinfo=None) if isinstance(v, datetime) else v) for k, v in params.items()}
        rows, places = 0, 0
        nightly, raw, cpu_scan, cpu_raw, fetch, judged, changed = [], [], [], [], [], [], []
        for night in range(args.runs):  # the nights that follow, each judging the people due
            started, started_cpu = time.perf_counter(), time.process_time()
            rows = len(db.session.execute(sql, params).all())
            raw.append(time.perf_counter() - started)
            cpu_raw.append(time.process_time() - started_cpu)
            db.session.rollback()
            started, started_cpu = time.perf_counter(), time.process_time()
            result = scan_due(org, now + timedelta(days=night))
            db.session.commit()
            nightly.append(time.perf_counter() - started)
            cpu_scan.append(time.process_time() - started_cpu)
            judged.append(result.people)
            changed.append(result.new + result.worse + result.updated + result.resolved)
        started = time.perf_counter()
        places = sum(1 for _ in iter_places(org, None, now - SCAN_HISTORY, None))
        fetch.append(time.perf_counter() - started)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    raw_median, nightly_median = statistics.median(raw), statistics.median(nightly)
    ratio = nightly_median / raw_median
    print(f"  {label}: full scan of {full.people} people (Sunday nights, and `flask load scan`): {full_time:.2f} s "
          f"({full_cpu:.2f} s CPU), {full.new} warnings written, {full_time / raw_median:.1f}× the raw SQL; "
          f"reading its {places} places alone (63 days back and the rota ahead) {fetch[0]:.2f} s")
    print(f"  {label}: nightly scan of the people due, {args.runs} nights in turn: median {nightly_median:.3f} s "
          f"(CPU {statistics.median(cpu_scan):.3f} s); people judged {judged}, warnings changed {changed}")
    print(f"  {label}: raw SQL hours in 7/28 days for {rows} people: median {raw_median * 1000:.1f} ms "
          f"(CPU {statistics.median(cpu_raw) * 1000:.1f} ms); nightly ÷ raw = {ratio:.2f}×; "
          f"target ≤ {SCAN_TARGET_RATIO:.0f}×: {'within' if ratio <= SCAN_TARGET_RATIO else 'OVER'}")
    return {"scan": nightly_median, "raw": raw_median, "ratio": ratio, "full": full_time}


def scan_part(args: argparse.Namespace) -> None:
    """Time the nightly scan over ``args.assignments`` assignments next to the raw SQL, per database."""
    from volunteers.wellbeing.domain.next_judgement import history_start  # noqa: PLC0415

    since = history_start(AS_OF, TZ, timedelta(days=63))
    print(f"scan: {args.assignments} assignments over {DAYS} days, judged at {AS_OF.isoformat()} "
          f"(history from {since.date()}, and the planned rota after)")
    for label, url in _databases(args):
        _scan_one(label, url, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000, help="people for load assess")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--scan", action="store_true",
                        help="time the nightly scan against raw SQL on the same data instead")
    parser.add_argument("--assignments", type=int, default=1_000_000, help="assignments for --scan")
    parser.add_argument("--rebuild", action="store_true", help="--scan: rebuild the cached SQLite data")
    args = parser.parse_args()
    if args.scan:
        scan_part(args)
    else:
        assess_part(args)


if __name__ == "__main__":
    main()
