"""Time one organisation-month report against the raw SQL aggregate of the same figures.

Run: ``.venv/bin/python benchmarks/bench_report.py [--rows 10000,100000,1000000] [--runs 7]``.
For each size a ledger is generated with bulk inserts (``executemany``,
``COPY`` on PostgreSQL): 50 organisations, 170,000 people at 1,000,000 rows
(scaled down with the rows), 24 months (Nov 2024 – Oct 2026), a third of
the people giving 90% of the hours, shifts with no-shows, a rate card change
inside the measured month, gifts, pending and rejected entries and reversals. It runs on
SQLite (a file) and, when ``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL``
names a PostgreSQL database, there too (in a schema of its own,
``bench_report``, dropped and recreated; nothing else is touched).

It prints, per database and size: the median time of one organisation's
October 2026 report as JSON (``reports.services.monthly_report``: every
query, the arithmetic, canonical JSON), the median time of the raw SQL
aggregates that give the same figures on the same database (the same
GROUP BYs as hand-written SQL, rows fetched, no Python arithmetic), their
ratio (target ≤ 1.5; "best" is the ratio of the fastest runs, less
sensitive to a busy machine), and the peak memory of one report (tracemalloc) —
which should stay flat as the ledger grows, since only aggregates leave the
database. Prints only; no assertions.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time as clock
import tracemalloc
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, create_engine, text  # noqa: E402

from config import TestingConfig  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.contributions.models import Contribution, RateCardEntry  # noqa: E402
from volunteers.core.models import COPRODUCTION_MODES, Organisation, UTCDateTime  # noqa: E402
from volunteers.core.timeutil import Month, local_to_utc, week_bounds  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import Membership, Person  # noqa: E402
from volunteers.rota.models import Assignment, Role, Shift, Site  # noqa: E402

TZ = "Europe/London"
FIRST_MONTH = Month(2024, 11)
MONTHS = 24
MONTH = Month(2026, 10)
AS_OF = datetime(2026, 11, 1, 6, tzinfo=UTC)
FULL_ROWS, FULL_PEOPLE = 1_000_000, 170_000
ROLES = ("Shop counter", "Post Office counter", "Café", "Helpline on call", "Hospital ward visit")
SITES = ("Village hall shop", "Helpline (remote)", "QE Hospital maternity ward")
SCHEMA = "bench_report"
BATCH = 20_000


def _months() -> list[Month]:
    """Return the months the generated ledger spans, oldest first."""
    return [FIRST_MONTH.next(i) for i in range(MONTHS)]


def _bulk(model: type, rows: list[dict[str, Any]]) -> None:
    """Insert with the driver's executemany (Core, no ORM bookkeeping), in batches."""
    table = model.__table__  # type: ignore[attr-defined]
    connection = db.session.connection()
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start:start + BATCH])


def _driver_value(value: Any, sqlite: bool) -> Any:
    if not sqlite:
        return value
    if isinstance(value, datetime):  # as the app's UTCDateTime stores it on SQLite
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _fast_bulk(model: type, rows: list[dict[str, Any]]) -> None:
    """Insert many rows below SQLAlchemy: COPY on PostgreSQL, executemany of tuples on SQLite.

    Only for tables of plain columns (no JSON); values are given as the app would store them.
    """
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    names = list(rows[0])
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
        return
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    for start in range(0, len(rows), BATCH):
        connection.exec_driver_sql(sql, [tuple(_driver_value(r[n], True) for n in names)
                                         for r in rows[start:start + BATCH]])


def generate(rows: int, orgs: int, seed: int) -> None:
    """Fill an empty database with ``rows`` ledger entries (bulk inserts, explicit ids)."""
    rng = Random(seed)
    sqlite = db.session.connection().dialect.name == "sqlite"
    if sqlite:  # a big page cache while loading only; measuring uses SQLite's default
        db.session.execute(text("PRAGMA cache_size = -262144"))
    people = max(orgs * 20, round(FULL_PEOPLE * rows / FULL_ROWS))
    modes = list(COPRODUCTION_MODES)
    created = datetime(2024, 1, 1, tzinfo=UTC)
    _bulk(Organisation, [dict(id=o, slug=f"org-{o}", name=f"Organisation {o}", timezone=TZ, currency="GBP",
                              coproduction_mode=modes[o % len(modes)], settings={}, created_at=created)
                         for o in range(1, orgs + 1)])
    _bulk(Role, [dict(id=(o - 1) * len(ROLES) + i + 1, organisation_id=o, name=n, intensity=Decimal("1.0"),
                      on_call=False, priority=1) for o in range(1, orgs + 1) for i, n in enumerate(ROLES)])
    _bulk(Site, [dict(id=(o - 1) * len(SITES) + i + 1, organisation_id=o, name=n)
                 for o in range(1, orgs + 1) for i, n in enumerate(SITES)])
    _bulk(RateCardEntry, [dict(organisation_id=o, role_id=(o - 1) * len(ROLES) + 2, value_per_hour=Decimal("15.00"),
                               effective_from=date(2026, 10, 15), note="PO pay") for o in range(1, orgs + 1)])
    _bulk(Person, [dict(id=p, email=f"p{p}@bench.example", name=f"Person {p:06d}", active=True, created_at=created)
                   for p in range(1, people + 1)])
    # person p belongs to organisation (p mod orgs) + 1; the first of each is its coordinator
    _bulk(Membership, [dict(id=p, organisation_id=(p - 1) % orgs + 1, person_id=p,
                            role="coordinator" if p <= orgs else "volunteer", status="active", limits={},
                            preferences={}, no_show_count=0, created_at=created) for p in range(1, people + 1)])
    members = {o: list(range(o, people + 1, orgs)) for o in range(1, orgs + 1)}
    months = _months()

    def local(month: Month) -> tuple[date, datetime]:
        day = date(month.year, month.month, rng.randint(1, 28))
        return day, local_to_utc(day, time(rng.randint(6, 21), rng.choice((0, 30))), TZ)

    shifts, assignments = [], []
    per_org_month = max(1, rows // (orgs * MONTHS * 3))
    for o in range(1, orgs + 1):
        for month in months:
            for _ in range(per_org_month):
                day, starts = local(month)
                needed = rng.randint(1, 4)
                filled = rng.randint(0, needed)
                sid = len(shifts) + 1
                shifts.append(dict(id=sid, organisation_id=o, role_id=(o - 1) * len(ROLES) + rng.randint(1, 5),
                                   site_id=(o - 1) * len(SITES) + 1, starts_at=starts,
                                   ends_at=starts + timedelta(hours=3), local_date=day, needed=needed, filled=filled,
                                   status="planned", created_at=created, updated_at=created))
                if filled and rng.random() < 0.05:
                    assignments.append(dict(id=len(assignments) + 1, organisation_id=o, shift_id=sid,
                                            membership_id=rng.choice(members[o]), status="no_show",
                                            source="coordinator", sequence=0, created_at=created, updated_at=created))
    _fast_bulk(Shift, shifts)
    _fast_bulk(Assignment, assignments)

    _load_ledger(rng, rows, orgs, members, sqlite)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    if sqlite:
        db.session.execute(text("PRAGMA cache_size = -2000"))
    db.session.commit()
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('contributions', 'id'), "
                                "(SELECT max(id) FROM contributions))"))
        db.session.commit()


LEDGER_COLUMNS = ("id", "organisation_id", "membership_id", "contributor_name", "contributor_type", "kind", "stage",
                  "hours", "amount", "occurred_at", "occurred_on", "role_id", "site_id", "status", "decided_at",
                  "recorded_at", "reverses_id")
KINDS = ("time",) * 90 + ("expertise",) * 3 + ("money",) * 4 + ("in_kind",) * 3
STATUSES = ("approved",) * 95 + ("pending",) * 3 + ("rejected",) * 2
HOURS = (2.0, 3.0, 3.5, 4.0, 6.0, 7.0)
#: who gives: a third of the people give 90% of the hours (Mohan & Bulloch 2012, as DESIGN.md cites):
#: member index = ⌊u^SKEW × n⌋ with u uniform, and (1/3)^(1/SKEW) = 0.9
SKEW = 10.4


def _slots(sqlite: bool) -> list[list[tuple[Any, Any, Any, Any]]]:
    """Per month: every (local day, instant, +1 day, +3 days) an entry may take, as the driver wants them."""
    def v(x: Any) -> Any:
        return _driver_value(x, sqlite)

    slots = []
    for each in _months():
        month = []
        for d in range(1, 29):
            day = date(each.year, each.month, d)
            for hour in range(6, 22):
                for minute in (0, 30):
                    at = local_to_utc(day, time(hour, minute), TZ)
                    month.append((v(day), v(at), v(at + timedelta(days=1)), v(at + timedelta(days=3))))
        slots.append(month)
    return slots


def _load_ledger(rng: Random, rows: int, orgs: int, members: dict[int, list[int]], sqlite: bool) -> None:
    """Write ``rows`` entries in time order within each organisation (as a ledger grows), indexes built after."""
    slots = _slots(sqlite)
    picks = sorted((rng.randint(1, orgs), rng.randrange(MONTHS), rng.randrange(len(slots[0]))) for _ in range(rows))
    zero = 0.0 if sqlite else Decimal(0)
    out: list[tuple[Any, ...]] = []
    for o, month, slot in picks:
        if len(out) >= rows:
            break
        day, at, decided, later = slots[month][slot]
        kind, status = KINDS[int(rng.random() * 100)], STATUSES[int(rng.random() * 100)]
        named = rng.random() < 0.03
        hourly = kind in ("time", "expertise")
        hours = HOURS[int(rng.random() * 6)] if hourly else 0.0
        amount = 0.0 if hourly else float(rng.randint(5, 500))
        if not sqlite:
            hours, amount = Decimal(str(hours)), Decimal(str(amount))
        row = (len(out) + 1, o, None if named else members[o][int(rng.random() ** SKEW * len(members[o]))],
               f"Group {int(rng.random() * 20) + 1}" if named else None, "community_group" if named else "volunteer",
               kind, "planning" if kind == "expertise" else "delivery", hours, amount, at, day,
               (o - 1) * len(ROLES) + int(rng.random() * 5) + 1 if kind == "time" else None,
               (o - 1) * len(SITES) + 1 if kind == "time" else None, status,
               None if status == "pending" else decided, at, None)
        out.append(row)
        if status == "approved" and rng.random() < 0.003 and len(out) < rows:
            out.append((len(out) + 1, *row[1:7], -hours if hours else zero, -amount if amount else zero, *row[9:14],
                        later, at, row[0]))
    table = Contribution.__table__
    connection = db.session.connection()
    for index in table.indexes:
        index.drop(connection)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        copy_sql = f"COPY contributions ({', '.join(LEDGER_COLUMNS)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in out:
                copy.write_row(row)
    else:
        sql = (f"INSERT INTO contributions ({', '.join(LEDGER_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(LEDGER_COLUMNS))})")
        for start in range(0, len(out), 100_000):
            connection.exec_driver_sql(sql, out[start:start + 100_000])
    for index in table.indexes:
        index.create(connection)


# -- the raw SQL aggregate of the same figures ------------------------------------------------
def _bucket(column: str, names: list[str]) -> str:
    whens = " ".join(f"WHEN {column} >= :{n}_lo AND {column} < :{n}_hi THEN {i}" for i, n in enumerate(names))
    return f"CASE {whens} END"


def _within(column: str, names: list[str]) -> str:
    return "(" + " OR ".join(f"({column} >= :{n}_lo AND {column} < :{n}_hi)" for n in names) + ")"


APPROVED = "c.organisation_id = :org AND c.status = 'approved' AND c.decided_at <= :as_of"
CENTS = "SUM(CAST(ROUND({} * 100) AS BIGINT))"
JOINS = """LEFT JOIN memberships m ON m.organisation_id = c.organisation_id AND m.id = c.membership_id
LEFT JOIN people p ON p.id = m.person_id
LEFT JOIN roles r ON r.organisation_id = c.organisation_id AND r.id = c.role_id
LEFT JOIN sites s ON s.organisation_id = c.organisation_id AND s.id = c.site_id"""


def raw_queries(weeks: list[str]) -> list[str]:
    """The figures' SQL written by hand: the same aggregates the report asks for, as plain text."""
    month = ["cur"]
    compared = ["prev", "ly"]
    volunteer_in_month = """SELECT DISTINCT {col} FROM contributions
  WHERE organisation_id = :org AND status = 'approved' AND decided_at <= :as_of
  AND occurred_at >= :cur_lo AND occurred_at < :cur_hi AND contributor_type = 'volunteer'"""
    gave_before = """SELECT 1 FROM contributions e WHERE e.organisation_id = :org AND e.status = 'approved'
  AND e.decided_at <= :as_of AND e.occurred_at < :cur_lo AND e.contributor_type = 'volunteer' AND e.hours > 0
  AND NOT EXISTS (SELECT 1 FROM contributions v WHERE v.organisation_id = e.organisation_id AND v.reverses_id = e.id
                  AND v.decided_at <= :as_of)"""
    return [
        "SELECT kind, role_id, value_per_hour, effective_from FROM rate_card_entries WHERE organisation_id = :org",
        "SELECT month, issued_at FROM monthly_reports WHERE organisation_id = :org",
        f"""SELECT c.membership_id, c.contributor_name, c.contributor_type, c.kind, c.stage, r.name, s.name, p.name,
       p.email, {_bucket('c.occurred_at', weeks)} AS week, {CENTS.format('c.hours')}, {CENTS.format('c.amount')}
FROM contributions c {JOINS}
WHERE {APPROVED} AND c.occurred_at >= :cur_lo AND c.occurred_at < :cur_hi
GROUP BY c.membership_id, c.contributor_name, c.contributor_type, c.kind, c.stage, r.name, s.name, p.name, p.email,
         week""",
        f"""SELECT {_bucket('s.starts_at', month + compared)} AS bucket, SUM(s.needed), SUM(s.filled),
       SUM((SELECT COUNT(*) FROM assignments a WHERE a.organisation_id = s.organisation_id AND a.shift_id = s.id
            AND a.status = 'no_show'))
FROM shifts s WHERE s.organisation_id = :org AND s.status = 'planned' AND {_within('s.starts_at', month + compared)}
GROUP BY bucket""",
        f"""SELECT {_bucket('c.occurred_at', compared)} AS bucket, c.kind, r.name, {CENTS.format('c.hours')},
       {CENTS.format('c.amount')}
FROM contributions c LEFT JOIN roles r ON r.organisation_id = c.organisation_id AND r.id = c.role_id
WHERE {APPROVED} AND {_within('c.occurred_at', compared)} GROUP BY bucket, c.kind, r.name""",
        f"""SELECT t.bucket, COUNT(*) FROM (SELECT {_bucket('c.occurred_at', compared)} AS bucket FROM contributions c
  WHERE {APPROVED} AND {_within('c.occurred_at', compared)} AND c.contributor_type = 'volunteer'
  GROUP BY bucket, c.membership_id, c.contributor_name HAVING {CENTS.format('c.hours')} > 0) t GROUP BY t.bucket""",
        f"""SELECT m.membership_id, NULL FROM ({volunteer_in_month.format(col='membership_id')}
  AND membership_id IS NOT NULL) m WHERE EXISTS ({gave_before} AND e.membership_id = m.membership_id)
UNION ALL
SELECT NULL, n.contributor_name FROM ({volunteer_in_month.format(col='contributor_name')}
  AND membership_id IS NULL) n WHERE EXISTS ({gave_before} AND e.membership_id IS NULL
  AND e.contributor_name = n.contributor_name)""",
        f"""SELECT g.membership_id, g.contributor_name, p.name, p.email FROM (
  SELECT c.membership_id, c.contributor_name FROM contributions c
  WHERE {APPROVED} AND c.occurred_at >= :back_lo AND c.occurred_at < :cur_lo AND c.contributor_type = 'volunteer'
  GROUP BY c.membership_id, c.contributor_name HAVING {CENTS.format('c.hours')} > 0) g
LEFT JOIN memberships m ON m.organisation_id = :org AND m.id = g.membership_id
LEFT JOIN people p ON p.id = m.person_id""",
        """SELECT SUM(CASE WHEN raised_at >= :cur_lo AND raised_at < :cur_hi THEN 1 ELSE 0 END),
       SUM(CASE WHEN resolved_at >= :cur_lo AND resolved_at < :cur_hi THEN 1 ELSE 0 END)
FROM load_warnings WHERE organisation_id = :org AND ((raised_at >= :cur_lo AND raised_at < :cur_hi)
  OR (resolved_at >= :cur_lo AND resolved_at < :cur_hi))""",
    ]


def raw_params(month: Month = MONTH, org_id: int = 1, as_of: datetime = AS_OF,
               tz: str = TZ) -> tuple[list[str], dict[str, Any]]:
    """The raw statements' parameters for ``month`` of organisation ``org_id`` (bench_national's too)."""
    windows = {"cur": month.bounds(tz), "prev": month.previous().bounds(tz), "ly": month.previous(12).bounds(tz),
               "back": (month.previous(3).bounds(tz)[0], month.bounds(tz)[0])}
    day, weeks = month.first_day, list[str]()
    while True:
        lo, hi = week_bounds(day, tz)
        if lo >= windows["cur"][1]:
            break
        name = f"w{len(weeks)}"
        windows[name] = (max(lo, windows["cur"][0]), min(hi, windows["cur"][1]))
        weeks.append(name)
        day += timedelta(days=7)
    params: dict[str, Any] = {"org": org_id, "as_of": as_of}
    for name, (lo, hi) in windows.items():
        params[f"{name}_lo"], params[f"{name}_hi"] = lo, hi
    return weeks, params


def run_raw(statements: list[tuple[Any, dict[str, Any]]]) -> int:
    """Run each statement with its parameters and fetch every row; return how many."""
    fetched = 0
    connection = db.session.connection()
    for stmt, params in statements:
        fetched += len(connection.execute(stmt, params).all())
    db.session.rollback()
    return fetched


def _typed(sql: str, params: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A text() statement whose datetime parameters go through the app's UTC type, with its parameters."""
    used = {k: v for k, v in params.items() if re.search(rf":{k}\b", sql)}
    instants = [bindparam(k, type_=UTCDateTime()) for k, v in used.items() if isinstance(v, datetime)]
    stmt = text(sql)
    return (stmt.bindparams(*instants) if instants else stmt), used


# -- measuring --------------------------------------------------------------------------------
def interleaved_ms(first: Any, second: Any, runs: int) -> tuple[list[float], list[float]]:
    """Time two functions turn about (fair when the machine is busy); return their times in ms."""
    first(), second()  # warm the caches (statements, pages)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for func, bucket in ((first, times[0]), (second, times[1])):
            started = clock.perf_counter()
            func()
            bucket.append((clock.perf_counter() - started) * 1000)
    return times


def measure(url: str, label: str, rows: int, orgs: int, runs: int, seed: int,
            engine_options: dict[str, Any] | None = None) -> None:
    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = engine_options or {}

    app = create_app(BenchConfig)
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        started = clock.perf_counter()
        generate(rows, orgs, seed)
        built = clock.perf_counter() - started
        from volunteers.reports.services import monthly_report

        org = db.session.get(Organisation, 1)
        db.session.expunge(org)  # as a request holds it: not reloaded after each run's rollback
        weeks, params = raw_params()
        statements = [_typed(sql, params) for sql in raw_queries(weeks)]
        lo, hi = params["cur_lo"], params["cur_hi"]
        in_month = db.session.scalar(
            text("SELECT COUNT(*) FROM contributions WHERE organisation_id = 1 AND occurred_at >= :lo "
                 "AND occurred_at < :hi").bindparams(bindparam("lo", type_=UTCDateTime()),
                                                     bindparam("hi", type_=UTCDateTime())), {"lo": lo, "hi": hi})

        def report() -> str:
            text_ = monthly_report(org, MONTH, AS_OF).text
            db.session.rollback()
            return text_

        report_times, raw_times = interleaved_ms(report, lambda: run_raw(statements), runs)
        report_ms, raw_ms = statistics.median(report_times), statistics.median(raw_times)
        best = min(report_times) / min(raw_times)
        tracemalloc.start()
        report()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        hours = __import__("json").loads(report())["hours"]
        print(f"{label:<10} {rows:>10,} {in_month:>9,} {built:>8.1f} s {report_ms:>10.1f} {raw_ms:>10.1f} "
              f"{report_ms / raw_ms:>6.2f} {best:>6.2f} {peak / 1024:>9,.0f}   {hours:,.2f} h", flush=True)
        db.session.remove()
        db.drop_all()
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,100000,1000000",
                        help="ledger sizes, comma-separated (default 10000,100000,1000000)")
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each, taken in turn (median)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both",
                        help="postgres only runs when BENCH_DATABASE_URL or TEST_DATABASE_URL is set")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.rows.split(",") if s.strip()]
    pg_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    print(f"One organisation-month report ({MONTH}, JSON) vs the raw SQL aggregate of the same figures; "
          f"{args.orgs} organisations, {MONTHS} months, median of {args.runs} runs taken in turn. Target ratio ≤ 1.5.")
    print(f"{'database':<10} {'rows':>10} {'org-month':>9} {'generate':>10} {'report ms':>10} {'raw SQL ms':>10} "
          f"{'ratio':>6} {'best':>6} {'peak KiB':>9}   hours")
    with tempfile.TemporaryDirectory() as tmp:
        if args.db in ("sqlite", "both"):
            for rows in sizes:
                path = Path(tmp) / f"bench-{rows}.sqlite"
                measure(f"sqlite:///{path}", "sqlite", rows, args.orgs, args.runs, args.seed)
                path.unlink(missing_ok=True)
    if args.db in ("postgres", "both"):
        if not pg_url.startswith("postgresql"):
            print("postgres   (skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL database)")
            return
        admin = create_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        try:
            for rows in sizes:
                measure(pg_url, "postgres", rows, args.orgs, args.runs, args.seed,
                        {"connect_args": {"options": f"-csearch_path={SCHEMA}"}})
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
