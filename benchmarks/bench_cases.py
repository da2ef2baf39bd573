"""Time `cases due` and the report's peer-support block against raw SQL of the same figures (issue 15).

Run: ``.venv/bin/python benchmarks/bench_cases.py [--cases 20000] [--contacts 1000000] [--runs 5]
[--database-url URL] [--strict]`` (``--quick``: 2,000 cases, 50,000 contacts). One organisation (and a
small second one, so scoping is real) is filled with bulk Core inserts
(executemany, no ORM): N open cases plus a tenth as many closed ones, plan
dates over the last 220 days, and M contacts of every mode. The database is
SQLite in a temporary file, or the **empty** PostgreSQL database named by
``--database-url`` (``postgresql+psycopg://postgres@127.0.0.1:5432/vol_x``:
its tables are created, and dropped at the end). Then, taken in turn,
median of ``--runs``:

* ``cases due``: ``peersupport.services.due_on`` (what the CLI calls) vs one
  SQL query of the default plan's two windows (NOT EXISTS per step);
* ``peer_support``: ``peersupport.services.month_figures`` (what the report
  calls) for October 2026 vs the counts and the GROUP BY of contacts by mode.

It asserts that each service answer equals the raw SQL's (so the floor is the
same work), then prints seconds and the ratio (target ≤ 2). The raw SQL is
written once with the date arithmetic spelled per database. Over the target
it says so; it exits non-zero for that only with ``--strict`` (a shared
machine's timings are noisy, so ``make bench`` only reports).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, inspect, text  # noqa: E402

from config import TestingConfig  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.peersupport.domain.figures import minutes_to_hours  # noqa: E402
from volunteers.peersupport.domain.plan import MODES  # noqa: E402

ON = date(2026, 11, 5)
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
AS_OF = datetime(2026, 11, 1, 6, tzinfo=UTC)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SUPPORTERS = 50
BATCH = 20_000

#: date arithmetic per database: a date plus days, and days from one date to another
DATES = {
    "sqlite": {"plus": "date({0}, '+{1} days')", "days_between": "CAST(julianday({1}) - julianday({0}) AS INTEGER)",
               "greatest": "MAX", "date": "{0}"},
    "postgresql": {"plus": "({0} + {1})", "days_between": "({1} - {0})", "greatest": "GREATEST",
                   "date": "CAST({0} AS date)"},
}


def _plus(dialect: str, expr: str, days: int) -> str:
    return DATES[dialect]["plus"].format(expr, days)


def due_sql(dialect: str) -> str:
    """Return the due list of the default plan (ward_visit days 0–2 by a ward contact from day 0; follow_up_20w
    days 140–154 by a home/phone/helpline contact from day 126), one statement."""
    d = DATES[dialect]
    on = d["date"].format(":on")
    return f"""
WITH open_cases AS (
  SELECT c.id, c.reference, c.born_on, p.email
  FROM supported_people c
  LEFT JOIN memberships m ON m.id = c.supporter_membership_id AND m.organisation_id = c.organisation_id
  LEFT JOIN people p ON p.id = m.person_id
  WHERE c.organisation_id = :org AND (c.closed_on IS NULL OR c.closed_on > {on})
), steps AS (
  SELECT o.reference, 'ward_visit' AS step, o.born_on AS opens, {_plus(dialect, "o.born_on", 2)} AS due_by, o.email
  FROM open_cases o
  WHERE o.born_on <= {on} AND NOT EXISTS (
    SELECT 1 FROM contacts k WHERE k.organisation_id = :org AND k.supported_person_id = o.id
      AND k.mode = 'ward' AND k.contact_on >= o.born_on AND k.contact_on <= {on})
  UNION ALL
  SELECT o.reference, 'follow_up_20w', {_plus(dialect, "o.born_on", 140)}, {_plus(dialect, "o.born_on", 154)},
         o.email
  FROM open_cases o
  WHERE {_plus(dialect, "o.born_on", 140)} <= {on} AND NOT EXISTS (
    SELECT 1 FROM contacts k WHERE k.organisation_id = :org AND k.supported_person_id = o.id
      AND k.mode IN ('home', 'phone', 'helpline') AND k.contact_on >= {_plus(dialect, "o.born_on", 126)}
      AND k.contact_on <= {on})
)
SELECT reference, step, opens, due_by,
       CASE WHEN {on} > due_by THEN 'overdue' ELSE 'due' END,
       {d["greatest"]}({d["days_between"].format("due_by", on)}, 0), email
FROM steps ORDER BY due_by, reference, opens, step
"""


def block_sql(dialect: str) -> list[str]:
    """Return the block's statements: registered, due/done of each step closing in the month (not closed
    before), and the month's contacts by mode."""
    def step(modes: str, done_from: int, due_by: int) -> str:
        closes = _plus(dialect, "c.born_on", due_by)
        return f"""
SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (
    SELECT 1 FROM contacts k WHERE k.organisation_id = :org AND k.supported_person_id = c.id
      AND k.created_at <= :as_of AND k.mode IN ({modes}) AND k.contact_on >= {_plus(dialect, "c.born_on", done_from)}
      AND k.contact_on <= {closes}) THEN 1 ELSE 0 END), 0)
FROM supported_people c
WHERE c.organisation_id = :org AND c.created_at <= :as_of
  AND {closes} BETWEEN :first AND :last
  AND (c.closed_on IS NULL OR c.closed_on >= {closes})
"""
    return [
        "SELECT COUNT(*) FROM supported_people WHERE organisation_id = :org AND created_at <= :as_of "
        "AND born_on BETWEEN :first AND :last",
        step("'ward'", 0, 2),
        step("'home', 'phone', 'helpline'", 126, 154),
        "SELECT mode, COUNT(*), SUM(minutes) FROM contacts WHERE organisation_id = :org AND created_at <= :as_of "
        "AND contact_on BETWEEN :first AND :last GROUP BY mode",
    ]


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def _bulk(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows``: executemany in batches, or on PostgreSQL COPY for rows of plain values (the big tables)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and rows and not any(isinstance(v, dict) for v in rows[0].values()):
        columns = list(rows[0])
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start:start + BATCH])


def generate(cases: int, contacts: int, seed: int) -> None:
    """Organisation 1 with ``cases`` open cases (and a tenth as many closed) and ``contacts`` contacts; a small
    organisation 2 beside it."""
    rng = Random(seed)
    if db.session.connection().dialect.name == "sqlite":
        db.session.execute(text("PRAGMA cache_size = -262144"))
    _bulk(_table("organisations"), [
        dict(id=o, slug=f"org-{o}", name=f"Organisation {o}", timezone="Europe/London", currency="GBP",
             settings={}, created_at=CREATED) for o in (1, 2)])
    people = 2 * SUPPORTERS
    _bulk(_table("people"), [dict(id=p, email=f"p{p}@bench.example", name=f"Person {p}", active=True,
                                  created_at=CREATED) for p in range(1, people + 1)])
    _bulk(_table("memberships"), [
        dict(id=p, organisation_id=1 if p <= SUPPORTERS else 2, person_id=p, role="volunteer", status="active",
             limits={}, preferences={}, no_show_count=0, created_at=CREATED) for p in range(1, people + 1)])
    case_rows: list[dict[str, Any]] = []
    for org, count, closed in ((1, cases, cases // 10), (2, cases // 20, cases // 200)):
        for i in range(count + closed):
            born = ON - timedelta(days=rng.randint(0, 220))
            shut = born + timedelta(days=rng.randint(1, 200)) if i >= count else None
            case_rows.append(dict(
                id=len(case_rows) + 1, organisation_id=org, reference=f"M{org}-{i:06d}", first_name="Anna",
                born_on=born, supporter_membership_id=(rng.randint(1, SUPPORTERS) + (org - 1) * SUPPORTERS
                                                       if rng.random() < 0.95 else None),
                status="closed" if shut else "open", closed_on=shut,
                closed_reason="moved_away" if shut else None, created_at=CREATED))
    _bulk(_table("supported_people"), case_rows)
    # a few contacts for every case (a ward visit most of the time, a 20-week visit half the time), the rest
    # spread over a busy 60% of the cases, every mode
    contact_rows: list[dict[str, Any]] = []

    def add(case: dict[str, Any], on: date, mode: str) -> None:
        if on <= ON:
            contact_rows.append(dict(
                id=len(contact_rows) + 1, organisation_id=case["organisation_id"], supported_person_id=case["id"],
                contact_on=on, mode=mode, minutes=rng.choice((15, 30, 45, 60, 90)),
                membership_id=case["supporter_membership_id"] or (case["organisation_id"] - 1) * SUPPORTERS + 1,
                created_at=CREATED))

    for case in case_rows:
        if rng.random() < 0.8:
            add(case, case["born_on"] + timedelta(days=rng.randint(0, 3)), "ward")
        if rng.random() < 0.5:
            add(case, case["born_on"] + timedelta(days=rng.randint(120, 160)), rng.choice(("home", "phone")))
    busy = case_rows[: int(len(case_rows) * 0.6)]
    while len(contact_rows) < contacts:
        case = rng.choice(busy)
        add(case, case["born_on"] + timedelta(days=rng.randint(0, 220)), rng.choice(MODES))
    _bulk(_table("contacts"), contact_rows[:contacts])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def interleaved(first: Callable[[], Any], second: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    """Time two functions turn about (fair on a busy machine); return their times in seconds."""
    first(), second()  # warm the caches
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for func, bucket in ((first, times[0]), (second, times[1])):
            started = clock.perf_counter()
            func()
            bucket.append(clock.perf_counter() - started)
    return times


def _params(dialect: str) -> dict[str, Any]:
    """Return the statements' parameters: SQLite keeps dates and instants as text, PostgreSQL as dates."""
    if dialect == "sqlite":
        return {"org": 1, "on": ON.isoformat(), "as_of": AS_OF.strftime("%Y-%m-%d %H:%M:%S.%f"),
                "first": FIRST.isoformat(), "last": LAST.isoformat()}
    return {"org": 1, "on": ON, "as_of": AS_OF, "first": FIRST, "last": LAST}


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def raw_due(dialect: str) -> list[tuple[Any, ...]]:
    rows = db.session.execute(text(due_sql(dialect)), _params(dialect)).all()
    db.session.rollback()
    return [tuple(_text(value) for value in r) for r in rows]


def raw_block(dialect: str) -> dict[str, Any]:
    params = _params(dialect)
    statements = block_sql(dialect)
    registered = db.session.execute(text(statements[0]), params).scalar_one()
    ward_due, ward_done = db.session.execute(text(statements[1]), params).one()
    follow_due, follow_done = db.session.execute(text(statements[2]), params).one()
    by_mode = {mode: (count, minutes) for mode, count, minutes in db.session.execute(text(statements[3]), params)}
    db.session.rollback()
    return {"registered": registered, "ward_visit_due": ward_due, "ward_visit_done": ward_done,
            "follow_up_due": follow_due, "follow_up_done": follow_done,
            "contacts": {m: by_mode.get(m, (0, 0))[0] for m in MODES},
            "contact_hours": {m: minutes_to_hours(by_mode.get(m, (0, 0))[1]) for m in MODES}}


def measure(url: str, cases: int, contacts: int, runs: int, seed: int) -> bool:
    from volunteers.peersupport.services import due_on, month_figures

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context(), app.test_request_context():
        dialect = db.engine.dialect.name
        if inspect(db.engine).has_table("organisations"):
            raise SystemExit(f"{db.engine.url.render_as_string()} is not empty: the benchmark needs an empty database")
        db.create_all()
        try:
            return _measure(dialect, cases, contacts, runs, seed, due_on, month_figures)
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _measure(dialect: str, cases: int, contacts: int, runs: int, seed: int, due_on: Callable[..., Any],
             month_figures: Callable[..., Any]) -> bool:
    """Fill the database, check the service answers equal the raw SQL's, and print the timings."""
    started = clock.perf_counter()
    generate(cases, contacts, seed)
    built = clock.perf_counter() - started
    org = db.session.get(Organisation, 1)
    assert org is not None
    db.session.expunge(org)  # as a request holds it

    def service_due() -> list[tuple[Any, ...]]:
        items = due_on(org, ON)
        db.session.rollback()
        return [(i.reference, i.step, i.opens.isoformat(), i.due_by.isoformat(), i.status, i.days_overdue,
                 i.supporter) for i in items]

    def service_block() -> dict[str, Any] | None:
        block = month_figures(org, FIRST, LAST, AS_OF)
        db.session.rollback()
        return block

    due_items = service_due()
    assert due_items == raw_due(dialect), "cases due: the service and the raw SQL disagree"
    assert service_block() == raw_block(dialect), "peer_support: the service and the raw SQL disagree"
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(dialect, dialect)
    print(f"{name}, {cases:,} open cases, {contacts:,} contacts (built in {built:.1f} s); "
          f"{len(due_items):,} due/overdue on {ON}; median of {runs} runs taken in turn. Target ratio ≤ 2.")
    print(f"{'figure':<14} {'service s':>10} {'raw SQL s':>10} {'ratio':>6} {'best':>6}")
    ok = True
    for label, service, raw in (("cases due", service_due, lambda: raw_due(dialect)),
                                ("peer_support", service_block, lambda: raw_block(dialect))):
        ours, floor = interleaved(service, raw, runs)
        ratio = statistics.median(ours) / statistics.median(floor)
        print(f"{label:<14} {statistics.median(ours):>10.3f} {statistics.median(floor):>10.3f} "
              f"{ratio:>6.2f} {min(ours) / min(floor):>6.2f}", flush=True)
        ok &= ratio <= 2
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="open cases (default 20,000)")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="2,000 cases and 50,000 contacts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (median)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: SQLite in a temporary file)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio is above the target")
    args = parser.parse_args()
    cases, contacts = (2_000, 50_000) if args.quick else (args.cases, args.contacts)
    if args.database_url:
        within = measure(args.database_url, cases, contacts, args.runs, args.seed)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            within = measure(f"sqlite:///{Path(tmp) / 'bench-cases.sqlite'}", cases, contacts, args.runs, args.seed)
    print("both within the target" if within else "ABOVE the target ratio of 2 (a busy machine shows as 'best')")
    if args.strict and not within:
        sys.exit(1)


if __name__ == "__main__":
    main()
