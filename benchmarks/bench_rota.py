"""Time the coordinator's board and candidate list on a large organisation (prints, asserts nothing).

    .venv/bin/python benchmarks/bench_rota.py                 # 500 volunteers, 3 months (~6,000 shifts)
    .venv/bin/python benchmarks/bench_rota.py --quick         # 100 volunteers, 1 month
    .venv/bin/python benchmarks/bench_rota.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

Generates one organisation (fixed seed) in a fresh database — a temporary
SQLite file unless a URL is given, whose tables are dropped and re-made —
then times, as the median of several runs, full requests through the app
(signed in as a coordinator: week board, month board, one shift's
candidate list with load warnings) and the services behind them, next to
one bare indexed query on the same data (count the month's shifts by
``(organisation_id, starts_at)``). It also prints each page's SQL count.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, insert, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.autofill.ranking import candidate_list  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import Month, shift_bounds, zone  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import AvailabilityWindow, Membership, Person, PersonQualification, Qualification  # noqa: E402
from volunteers.people.passwords import hash_password  # noqa: E402
from volunteers.rota import queries  # noqa: E402
from volunteers.rota.models import Assignment, Role, RoleQualification, Shift, Site  # noqa: E402

TZ = "Europe/London"
FIRST = date(2026, 9, 7)  # a Monday; the quarter crosses the October clock change
NOW = datetime(2026, 9, 1, 12, tzinfo=zone("UTC"))
PASSWORD = "benchmark password"
ROLES = [("Shop counter", None, 1.0, False), ("Post Office counter", "Post Office training", 1.0, False),
         ("Café", None, 1.0, False), ("Ward visit", "Peer counsellor course", 1.5, False),
         ("Helpline", "Peer counsellor course", 1.5, False), ("Helpline on call", "Peer counsellor course", 1.5, True)]
SITES = ["Village hall shop", "QE Hospital maternity ward", "Helpline (remote)"]


def build(people: int, days: int, per_day: int, seed: int) -> Organisation:
    """Create the organisation with bulk INSERTs (explicit ids: the database is fresh)."""
    rng = random.Random(seed)
    org = Organisation(slug="bench", name="Benchmark Trust", timezone=TZ, settings={})
    db.session.add(org)
    db.session.flush()
    quals = {name: Qualification(organisation_id=org.id, name=name)
             for name in {q for _, q, _, _ in ROLES if q}}
    db.session.add_all(quals.values())
    db.session.flush()
    roles = [Role(organisation_id=org.id, name=n, intensity=Decimal(str(i)), on_call=oc, qualification_links=[
        RoleQualification(organisation_id=org.id, qualification_id=quals[q].id)] if q else [])
        for n, q, i, oc in ROLES]
    sites = [Site(organisation_id=org.id, name=n) for n in SITES]
    db.session.add_all([*roles, *sites])
    db.session.flush()
    hashed = hash_password(PASSWORD)
    db.session.execute(insert(Person), [
        {"id": i, "email": f"v{i}@bench.example", "name": f"Volunteer {i:04d}",
         "password_hash": hashed if i == 1 else None}
        for i in range(1, people + 1)])
    db.session.execute(insert(Membership), [
        {"id": i, "organisation_id": org.id, "person_id": i, "role": "coordinator" if i == 1 else "volunteer",
         "status": "active", "pledged_hours_per_week": Decimal(rng.choice([2, 3, 4, 6, 8])), "limits": {},
         "preferences": {}} for i in range(1, people + 1)])
    records, windows = [], []
    for i in range(1, people + 1):
        for q in quals.values():
            if rng.random() < 0.35:
                records.append({"organisation_id": org.id, "membership_id": i, "qualification_id": q.id,
                                "expires_on": FIRST + timedelta(days=rng.randint(-30, 400))})
        if rng.random() < 0.5:
            for weekday in rng.sample(range(7), 3):
                windows.append({"organisation_id": org.id, "membership_id": i, "weekday": weekday,
                                "start_time": clock(8), "end_time": clock(20)})
    db.session.execute(insert(PersonQualification), records)
    db.session.execute(insert(AvailabilityWindow), windows)
    shifts, places = [], []
    for d in range(days):
        day = FIRST + timedelta(days=d)
        for n in range(per_day):
            role, site = roles[n % len(roles)], sites[n % len(sites)]
            start = clock(7 + n % 12)
            end = clock(min(23, start.hour + rng.choice([3, 4])))
            starts_at, ends_at = shift_bounds(day, start, end, TZ)
            needed = rng.choice([1, 1, 2, 2, 3])
            filled = max(0, needed - (1 if rng.random() < 0.25 else 0))
            shift_id = len(shifts) + 1
            shifts.append({"id": shift_id, "organisation_id": org.id, "role_id": role.id, "site_id": site.id,
                           "starts_at": starts_at, "ends_at": ends_at, "local_date": day, "needed": needed,
                           "filled": filled, "status": "planned"})
            for member in rng.sample(range(1, people + 1), filled):
                places.append({"id": len(places) + 1, "organisation_id": org.id, "shift_id": shift_id,
                               "membership_id": member, "status": "assigned", "source": "coordinator"})
    for chunk in range(0, len(shifts), 2000):
        db.session.execute(insert(Shift), shifts[chunk:chunk + 2000])
    for chunk in range(0, len(places), 2000):
        db.session.execute(insert(Assignment), places[chunk:chunk + 2000])
    db.session.commit()
    print(f"organisation: {people} volunteers, {len(shifts):,} shifts over {days} days, "
          f"{len(places):,} assignments, {len(records)} qualification records, {len(windows)} availability windows")
    return org


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    action()  # warm the caches (templates, statement compilation)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times)


def count_sql(engine, action: Callable[[], object]) -> int:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 volunteers and one month")
    parser.add_argument("--people", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url",
                        help="a database whose tables may be dropped (default: a temporary SQLite file)")
    args = parser.parse_args()
    people = args.people or (100 if args.quick else 500)
    days = args.days or (28 if args.quick else 91)
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.sqlite"
    app = create_app(type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    week = FIRST + timedelta(days=min(35, days // 2))
    month = f"{week:%Y-%m}"
    with app.app_context():
        db.drop_all()
        db.create_all()
        org_id = build(people, days, 66, args.seed).id
        shift_id = db.session.scalar(select(Shift.id).where(Shift.local_date == week, Shift.filled < Shift.needed)
                                     .order_by(Shift.id))
        engine, dialect = db.engine, db.engine.dialect.name
    start, end = Month.of(week).bounds(TZ)
    filters = queries.BoardFilter()
    client = app.test_client()  # each request pushes its own app context and session, as in production
    client.post("/login", data={"email": "v1@bench.example", "password": PASSWORD})

    def page(path: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(path, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code
            return response
        return run

    def service(work: Callable[[Organisation], object]) -> Callable[[], object]:
        def run() -> object:
            with app.app_context():  # a fresh session each run
                return work(db.session.get(Organisation, org_id))
        return run

    def bare() -> object:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(Shift).where(
                Shift.organisation_id == org_id, Shift.starts_at >= start, Shift.starts_at < end))

    rows = [
        ("week board page", page(f"/rota?week={week.isoformat()}")),
        ("month board page", page(f"/rota?view=month&month={month}")),
        ("candidate list page", page(f"/rota/shifts/{shift_id}")),
        ("board_view(week) service", service(lambda org: queries.board_view(org, "week", week, filters))),
        ("board_view(month) service", service(lambda org: queries.board_view(org, "month", week, filters))),
        ("candidate_list service", service(lambda org: candidate_list(org, db.session.get(Shift, shift_id), NOW))),
        ("bare indexed query (month's shifts)", bare),
    ]
    print(f"database: {dialect}; runs: {args.runs}; week of {week}, month {month}, shift {shift_id}")
    print(f"{'':38} {'median':>9} {'best':>9} {'worst':>9} {'SQL':>5}")
    for name, action in rows:
        med, best, worst = median_ms(action, args.runs)
        print(f"{name:38} {med:8.1f}ms {best:8.1f}ms {worst:8.1f}ms {count_sql(engine, action):5d}")
    print("(service rows include getting the organisation by id: one SQL statement)")
    engine.dispose()


if __name__ == "__main__":
    main()
