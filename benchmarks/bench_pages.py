"""Serve the pages under load next to a bare page of the same rows (prints, asserts nothing).

    .venv/bin/python benchmarks/bench_pages.py             # SQLite + PostgreSQL demo, 500-volunteer board; ~10 min
    .venv/bin/python benchmarks/bench_pages.py --quick     # SQLite demo only, short runs; ~1 min
    .venv/bin/python benchmarks/bench_pages.py --smoke /healthz   # one page, one second (the test's run)
    .venv/bin/python benchmarks/bench_pages.py --databases postgres --pages /me/shifts,/warnings
    .venv/bin/python benchmarks/bench_pages.py --quick --strict   # exit 1 when a page misses the target

For each database (a temporary SQLite file; a private PostgreSQL database
made with ``createdb`` and dropped afterwards, skipped with a note when the
server does not answer) the bench loads the demo with ``flask demo`` (and,
on SQLite, the 500-volunteer organisation of ``bench_rota.py`` in a database
of its own), serves the app with ``gunicorn -w 2`` and the floor app
(``floor_app.py``: Flask + Core + Jinja, one bare route per page running the
page's essential query) with ``gunicorn -w 2`` on free loopback ports, signs
in as each demo user over HTTP (CSRF token from the login form, session
cookie kept; the JSON API's two busiest reads, a volunteer's shifts and the
coordinator's week, with a read token made for the run, their floors
returning the same rows as JSON), and loads each page and then its floor with
``wrk -t2 -c32 -d<N>s --latency``, page and floor in turn three times (medians
printed). Per page it prints req/s, p50 and p99,
the body's size, the SQL statements one request runs (counted in-process
with the Flask test client and a ``before_cursor_execute`` listener) and the
ratio of the page's rate to its floor's. Before each page the machine load
is printed and the bench waits (bounded) for a quiet CPU, since this machine
is shared: ratios from one run count, absolute numbers less so. At the end
each gunicorn worker's resident memory is printed.

Needs ``wrk`` (Debian: ``apt-get install wrk``). The machine's quiet, serving, signing in and ``wrk`` are
``bench_http.py``'s, which ``bench_api.py`` and ``worker_memory.py`` share.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench_http import Result, http_get, run_wrk, serve, sign_in, wait_for_quiet  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from volunteers.api import tokens  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.core import timeutil  # noqa: E402
from volunteers.core.maintenance import analyze  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import Month, local_date, week_bounds  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import Membership, Person  # noqa: E402
from volunteers.rota.models import Shift  # noqa: E402

DEMO_PASSWORD = "demo"
DEMO_LOGINS = ("coordinator@tackley.example", "volunteer@tackley.example", "coordinator@surestart.example",
               "counsellor@surestart.example", "admin@volunteers.example", "jo.lambert@tackley.example")
COORDINATOR, VOLUNTEER = "coordinator@tackley.example", "volunteer@tackley.example"
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class Page:
    """One measured page: who looks at it, its URL and its floor's URL (from the data's ids)."""

    name: str
    user: str | None  # None: no cookie (a load balancer's health check)
    path: Callable[[dict], str]
    floor: Callable[[dict], str]
    api: bool = False  # the JSON API: the user's personal access token (Authorization: Bearer), not a cookie


def _q(**params: object) -> str:
    return urllib.parse.urlencode({k: str(v) for k, v in params.items()})


#: the issue's table (issue 13), in its order, then the three pages it adds
PAGES = (
    Page("/healthz", None, lambda c: "/healthz", lambda c: "/healthz"),
    Page("/me/shifts", VOLUNTEER, lambda c: "/me/shifts",
         lambda c: f"/me/shifts?{_q(org=c['org'], m=c['volunteer'], since=c['since'])}"),
    Page("/me/shifts/open", VOLUNTEER, lambda c: "/me/shifts/open",
         lambda c: f"/me/shifts/open?{_q(org=c['org'], since=c['now'], until=c['open_until'])}"),
    Page("/rota week", COORDINATOR, lambda c: f"/rota?week={c['week']}",
         lambda c: f"/rota/week?{_q(org=c['org'], start=c['week_start'], end=c['week_end'])}"),
    Page("/rota month", COORDINATOR, lambda c: f"/rota?view=month&month={c['month']}",
         lambda c: f"/rota/month?{_q(org=c['org'], start=c['month_start'], end=c['month_end'])}"),
    Page("/rota/shifts/<id>", COORDINATOR, lambda c: f"/rota/shifts/{c['shift']}",
         lambda c: f"/rota/shift?{_q(org=c['org'], shift=c['shift'])}"),
    Page("/warnings", COORDINATOR, lambda c: "/warnings", lambda c: f"/warnings?{_q(org=c['org'])}"),
    Page("/reports/monthly/<month>", COORDINATOR, lambda c: f"/reports/monthly/{c['report_month']}",
         lambda c: f"/reports/monthly?{_q(org=c['org'], start=c['report_start'], end=c['report_end'])}"),
    Page("/people", COORDINATOR, lambda c: "/people", lambda c: f"/people?{_q(org=c['org'])}"),
    Page("/me/hours", VOLUNTEER, lambda c: "/me/hours", lambda c: f"/me/hours?{_q(org=c['org'], m=c['volunteer'])}"),
    Page("/people/<id>", COORDINATOR, lambda c: f"/people/{c['volunteer']}",
         lambda c: f"/people/one?{_q(org=c['org'], m=c['volunteer'])}"),
    Page("/rota/series", COORDINATOR, lambda c: "/rota/series", lambda c: f"/rota/series?{_q(org=c['org'])}"),
    # the API's busiest reads (issue 18's): a volunteer's shifts, and the coordinator's week
    Page("/api/v1/me/shifts", VOLUNTEER, lambda c: "/api/v1/me/shifts",
         lambda c: f"/api/me/shifts?{_q(org=c['org'], m=c['volunteer'], since=c['since'])}", api=True),
    Page("/api/v1/shifts (a week)", COORDINATOR,
         lambda c: f"/api/v1/shifts?{_q(**{'from': c['week'], 'to': c['week_last'], 'limit': 100})}",
         lambda c: f"/api/shifts?{_q(org=c['org'], start=c['week_start'], end=c['week_end'])}", api=True),
)
#: the API's limit of calls per token while the bench serves it: the limiter still counts every call (its cost is
#: measured), but the run's one token stays under it, as a client does (at the default 300 a minute most calls were
#: answered 429)
API_RATE_LIMIT = "100000000/minute"
#: the pages that make sense on the 500-volunteer organisation (no series, no ledger there)
LARGE_PAGES = ("/healthz", "/me/shifts", "/me/shifts/open", "/rota week", "/rota month", "/rota/shifts/<id>", "/people")


@dataclass(frozen=True)
class Row:
    """One page's figures in the closing table (``--strict`` judges them)."""

    database: str
    page: str
    rps: float
    p50_ms: float
    p99_ms: float
    statements: int
    ratio: float
    errors: int

    def meets(self, p99_limit_ms: float) -> bool:
        """The issue's target: at least half the floor's rate, p99 within the limit, no errors."""
        return self.ratio >= TARGET_RATIO and self.p99_ms <= p99_limit_ms and not self.errors


#: issue 13's targets: half the floor's rate; p99 on the demo data and on the 500-volunteer organisation
TARGET_RATIO, DEMO_P99_MS, LARGE_P99_MS = 0.5, 150.0, 300.0


@dataclass
class Database:
    """One database to serve: its URL, the users to sign in as and the ids its pages need."""

    label: str
    url: str
    logins: dict[str, str]
    pages: tuple[Page, ...]
    context: dict = field(default_factory=dict)


# --- the data ----------------------------------------------------------------------------------------------

def bench_app(url: str, cache: str = "") -> Flask:
    return create_app(type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CACHE_URL": cache}))


def make_tables(url: str) -> dict:
    """Only the tables (``--smoke``: the health check needs no data and no sign-in)."""
    app = bench_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return {}


def load_demo(url: str) -> dict:
    """Make the tables, load the demo with the ``demo`` command and read the ids the pages need."""
    app = bench_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo"])
        if result.exit_code != 0:
            raise RuntimeError(f"flask demo failed: {result.output}{result.exception!r}")
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        volunteer = _membership(org, VOLUNTEER)
        context = _context(org, timeutil.utcnow())  # through the module: a test's frozen clock applies
        context["volunteer"] = volunteer
        db.session.remove()
        db.engine.dispose()
    return context


def load_large(url: str, people: int, days: int) -> tuple[dict, dict[str, str]]:
    """Make the 500-volunteer organisation of ``bench_rota.py`` and read the ids the pages need."""
    import bench_rota  # a sibling script: importable when run from benchmarks/, and only needed here

    app = bench_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        org = bench_rota.build(people, days, 66, seed=7)
        db.session.commit()
        analyze(db.session)  # a bulk load, analysed as the app's own bulk loads are (without: a scan per /me/shifts)
        now = datetime.combine(bench_rota.FIRST + timedelta(days=min(35, days // 2)), datetime.min.time(),
                               tzinfo=bench_rota.NOW.tzinfo)
        context = _context(org, now)
        context["volunteer"] = _membership(org, "v1@bench.example")
        db.session.remove()
        db.engine.dispose()
    return context, {"v1@bench.example": bench_rota.PASSWORD}


def _membership(org: Organisation, email: str) -> int:
    return int(db.session.scalars(select(Membership.id).join(Person).where(
        Membership.organisation_id == org.id, Person.email == email)).one())


def _context(org: Organisation, now: datetime) -> dict:
    today = local_date(now, org.timezone)
    week = today - timedelta(days=today.weekday())
    week_start, week_end = week_bounds(week, org.timezone)
    month = Month.of(today)
    month_start, month_end = month.bounds(org.timezone)
    report = month.previous()
    report_start, report_end = report.bounds(org.timezone)
    shift = db.session.scalar(select(Shift.id).where(
        Shift.organisation_id == org.id, Shift.starts_at > now, Shift.starts_at < now + timedelta(days=7),
        Shift.filled < Shift.needed).order_by(Shift.starts_at, Shift.id).limit(1)) or db.session.scalar(
        select(Shift.id).where(Shift.organisation_id == org.id, Shift.starts_at > now).order_by(Shift.starts_at)
        .limit(1))
    return {
        "org": org.id, "now": now.isoformat(), "since": (now - timedelta(days=60)).isoformat(),
        "open_until": (now + timedelta(days=42)).isoformat(),
        "week": week.isoformat(), "week_last": (week + timedelta(days=6)).isoformat(),
        "week_start": week_start.isoformat(), "week_end": week_end.isoformat(),
        "month": str(month), "month_start": month_start.isoformat(), "month_end": month_end.isoformat(),
        "shift": shift, "report_month": str(report), "report_start": report_start.isoformat(),
        "report_end": report_end.isoformat(),
    }


def make_tokens(url: str, org_id: int, emails: set[str]) -> dict[str, str]:
    """Return e-mail → a fresh read token (``Bearer …``) of each person's membership of the organisation."""
    app = bench_app(url)
    made = {}
    with app.app_context():
        org = db.session.get(Organisation, org_id)
        for email in sorted(emails):
            membership = db.session.scalars(select(Membership).join(Person, Person.id == Membership.person_id)
                                            .where(Membership.organisation_id == org_id, Person.email == email)).one()
            made[email] = f"Bearer {tokens.create_token(org, membership, 'bench', 'read', 1, timeutil.utcnow()).token}"
        db.session.commit()
        db.engine.dispose()
    return made


def count_statements(url: str, pages: tuple[Page, ...], context: dict, logins: dict[str, str],
                     bearers: dict[str, str] | None = None) -> dict[str, int]:
    """SQL statements per request of each page, counted in-process (two warm-up requests first).

    With the figures cache in memory, as the served app has it in Redis: the count is of a warm view. Two, as
    a token's first call of a minute records its use (``api.token_check``), so keeps nothing at the mark.
    """
    app = bench_app(url, cache="memory://")
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def before(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    counts: dict[str, int] = {}
    clients = {}
    for email, password in logins.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"signing in as {email} (test client) answered {response.status_code}")
        clients[email] = client
    event.listen(engine, "before_cursor_execute", before)
    try:
        for page in pages:
            client = clients[page.user] if page.user and not page.api else app.test_client()
            path = page.path(context)
            headers = {"Authorization": (bearers or {})[page.user]} if page.api and page.user else {}
            for _ in range(2):
                client.get(path, headers=headers)
            seen.clear()
            status = client.get(path, headers=headers).status_code
            counts[page.name] = len(seen) if status == 200 else -status
        if "/me/shifts" in {p.name for p in pages}:
            for email, client in clients.items():
                seen.clear()
                status = client.get("/me/shifts").status_code
                counts[f"/me/shifts as {email}"] = len(seen) if status == 200 else -status
    finally:
        event.remove(engine, "before_cursor_execute", before)
        engine.dispose()
    return counts


# --- one database ------------------------------------------------------------------------------------------

def median_of(results: list[Result]) -> Result:
    """Each figure's median over the rounds (errors summed): one slow or fast round moves nothing."""
    return Result(rps=statistics.median(r.rps for r in results), p50_ms=statistics.median(r.p50_ms for r in results),
                  p99_ms=statistics.median(r.p99_ms for r in results), errors=sum(r.errors for r in results))


def measure(database: Database, seconds: int, floor_seconds: int, wait_s: float, page_wait_s: float,
            env: dict[str, str], table: list[Row] | None = None, rounds: int = 1) -> dict[str, float]:
    """Serve one database and load each page and its floor; return the workers' RSS (MB).

    With ``rounds`` above one, the page and its floor are loaded in turn that many times and each figure is
    the median of the rounds, the ratio the median of the rounds' ratios: on this shared machine one round's
    page and floor can see different neighbours (the issue's figures are medians of 3 runs).
    Each page's figures are also appended to ``table`` (the closing summary).
    """
    api_users = {page.user for page in database.pages if page.api and page.user}
    bearers = make_tokens(database.url, database.context["org"], api_users) if api_users else {}
    counts = count_statements(database.url, database.pages, database.context, database.logins, bearers)
    for name, n in counts.items():
        if name.startswith("/me/shifts as "):
            print(f"    SQL per request of {name}: {n}")
    app_env = {**env, "DATABASE_URL": database.url}
    floor_env = {**env, "FLOOR_DATABASE_URL": database.url}
    rss: dict[str, float] = {}
    with serve(("app", "wsgi:app", ROOT, app_env), ("floor", "floor_app:app", HERE, floor_env)) as (app, floor):
        # at start (imports, the app built) apart from after the runs (what serving added: caches, lazy imports)
        print("    worker RSS at start: " + ", ".join(f"{server.name} worker {n} {mb:.0f} MB" for server in (app, floor)
                                                    for n, mb in enumerate(server.workers_rss(), 1)))
        cookies = {email: sign_in(app.port, email, password) for email, password in database.logins.items()}
        print(f"    signed in over HTTP as {len(cookies)} users; app on :{app.port}, floor on :{floor.port}")
        print(f"    before the batch: {wait_for_quiet(wait_s)}")
        header = (f"    {'page':26} {'req/s':>7} {'p50':>7} {'p99':>8} {'KB':>6} {'SQL':>4} | "
                  f"{'floor/s':>7} {'p99':>7} {'rows':>5} | {'ratio':>5}  load before")
        print(header)
        for page in database.pages:
            path, floor_path = page.path(database.context), page.floor(database.context)
            cookie = cookies[page.user] if page.user and not page.api else ""
            bearer = bearers[page.user] if page.user and page.api else ""
            status, _, body = http_get(app.port, path, cookie, bearer)
            if status != 200:
                print(f"    {page.name:26} answered {status} to {page.user}; not timed")
                continue
            floor_status, floor_headers, _ = http_get(floor.port, floor_path)
            load, mines, bares = "", [], []
            for _ in range(rounds):
                load = load or wait_for_quiet(page_wait_s)  # the load seen before the first round
                mines.append(run_wrk(app.port, path, seconds, cookie, authorization=bearer))
                bares.append(run_wrk(floor.port, floor_path, floor_seconds) if floor_status == 200 else Result())
            mine, bare = median_of(mines), median_of(bares)
            ratio = statistics.median(m.rps / b.rps if b.rps else 0.0 for m, b in zip(mines, bares, strict=True))
            if table is not None:
                table.append(Row(database.label, page.name, mine.rps, mine.p50_ms, mine.p99_ms,
                                 counts.get(page.name, 0), ratio, mine.errors))
            errors = f"  {mine.errors} errors!" if mine.errors else ""
            print(f"    {page.name:26} {mine.rps:7.0f} {mine.p50_ms:6.0f}ms {mine.p99_ms:7.0f}ms "
                  f"{len(body) / 1024:6.1f} {counts.get(page.name, 0):4d} | {bare.rps:7.0f} {bare.p99_ms:5.0f}ms "
                  f"{floor_headers.get('x-rows', '-'):>5} | {ratio:5.0%}  {load}{errors}", flush=True)
        for server in (app, floor):
            for n, mb in enumerate(server.workers_rss(), 1):
                rss[f"{server.name} worker {n}"] = mb
    print("    worker RSS after the runs: " + ", ".join(f"{k} {v:.0f} MB" for k, v in rss.items()))
    return rss


@contextmanager
def postgres_database(name: str) -> Iterator[str | None]:
    """A private PostgreSQL database for the run, dropped afterwards; None when the server does not answer."""
    server = urllib.parse.urlparse(PG_SERVER.replace("postgresql+psycopg", "postgresql"))
    args = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432), "-U", server.username or "postgres"]
    if not shutil.which("createdb"):
        print("    (PostgreSQL skipped: no createdb on PATH)")
        yield None
        return
    made = subprocess.run(["createdb", *args, name], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        print(f"    (PostgreSQL skipped: createdb failed: {made.stderr.strip()})")
        yield None
        return
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", name], capture_output=True, check=False)


def cache_env() -> dict[str, str]:
    """Serve with the server-side cache in Redis, as production does, when one answers (else no cache)."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    parsed = urllib.parse.urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1).close()
    except OSError:
        print(f"(no Redis at {url}: pages served without the server-side cache)")
        return {}
    return {"CACHE_URL": url, "CACHE_KEY_PREFIX": f"bench-pages-{os.getpid()}:"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite demo only, 2-second runs")
    parser.add_argument("--smoke", metavar="PAGE", help="one page (by name, e.g. /healthz) on SQLite, 1-second runs")
    parser.add_argument("--seconds", type=int, help="wrk duration per page (default 3; quick 2)")
    parser.add_argument("--rounds", type=int, help="page and floor loaded in turn this many times, medians "
                                                   "printed (default 3, as the issue's figures; quick 1)")
    parser.add_argument("--databases", help="comma-separated from sqlite,postgres,large "
                                            "(default: all three; quick: sqlite)")
    parser.add_argument("--pages", help="comma-separated page names (default: every page)")
    parser.add_argument("--people", type=int, default=500, help="volunteers of the large organisation")
    parser.add_argument("--days", type=int, default=91, help="days of shifts of the large organisation")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a page misses the issue's target (default: print only, exit 0)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured")
        return 0 if args.smoke else 1
    quick = args.quick or bool(args.smoke)
    databases = set((args.databases or ("sqlite" if quick else "sqlite,postgres,large")).split(","))
    seconds = args.seconds or (1 if args.smoke else 2 if quick else 3)
    floor_seconds = seconds - 1 if args.quick and seconds > 1 else seconds
    rounds = max(1, args.rounds or (1 if quick else 3))
    wait_s, page_wait_s = (0.0, 0.0) if args.smoke else (5.0, 0.0) if quick else (10.0, 1.0)
    wanted = {args.smoke} if args.smoke else set(args.pages.split(",")) if args.pages else {p.name for p in PAGES}
    pages = tuple(p for p in PAGES if p.name in wanted)
    if not pages:
        parser.error(f"no such page; pages: {', '.join(p.name for p in PAGES)}")
    env = {"SECRET_KEY": "bench-pages-not-secret", "SCHEDULER_ENABLED": "0", "SCHEDULER_IN_PROCESS": "0",
           "MAIL_BACKEND": "none", "FLASK_DEBUG": "0", "API_RATE_LIMIT": API_RATE_LIMIT, **cache_env()}
    print(f"wrk -t2 -c32 -d{seconds}s per page (floor -d{floor_seconds}s), medians of {rounds} rounds, "
          f"gunicorn -w 2, {os.cpu_count()} CPUs")
    started = time.perf_counter()
    logins = dict.fromkeys(DEMO_LOGINS, DEMO_PASSWORD)
    table: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench_pages_") as tmp:
        if "sqlite" in databases:
            sqlite_url = f"sqlite:///{tmp}/demo.sqlite"
            print(f"\n== SQLite, demo data ({sqlite_url})")
            context = make_tables(sqlite_url) if args.smoke else load_demo(sqlite_url)
            measure(Database("sqlite", sqlite_url, {} if args.smoke else logins, pages, context), seconds,
                    floor_seconds, wait_s, page_wait_s, env, table, rounds)
        if "postgres" in databases and not args.smoke:
            print("\n== PostgreSQL, demo data")
            with postgres_database(f"bench_pages_{os.getpid()}") as pg_url:
                if pg_url:
                    context = load_demo(pg_url)
                    measure(Database("postgresql", pg_url, logins, pages, context), seconds, floor_seconds,
                            wait_s, page_wait_s, env, table, rounds)
        # its one user signs in for each page that has one (not /healthz: a load balancer's check sends no cookie)
        large_pages = tuple(replace(p, user="v1@bench.example") if p.user else p
                            for p in pages if p.name in LARGE_PAGES)
        if "large" in databases and large_pages and not args.smoke:
            large_url = f"sqlite:///{tmp}/large.sqlite"
            print(f"\n== SQLite, the {args.people}-volunteer organisation of bench_rota.py")
            context, large_logins = load_large(large_url, args.people, args.days)
            measure(Database("large", large_url, large_logins, large_pages, context), seconds, floor_seconds,
                    wait_s, page_wait_s, env, table, rounds)
    print(f"\n(done in {time.perf_counter() - started:.0f} s; ratio = page req/s ÷ its floor's req/s, "
          "the issue asks ≥ 50% and p99 ≤ 150 ms)")
    missed = summary(table)
    if missed and args.strict:
        print(f"--strict: {len(missed)} of {len(table)} pages miss the target")
        return 1
    return 0


def summary(table: list[Row]) -> list[Row]:
    """Print the closing table (Markdown, for the issue's before/after notes); return the rows that miss the target."""
    if not table:
        return []
    print("\n| database | page | req/s | p50 ms | p99 ms | SQL | ratio to floor | target |")
    print("|---|---|---|---|---|---|---|---|")
    missed = []
    for row in table:
        ok = row.meets(LARGE_P99_MS if row.database == "large" else DEMO_P99_MS)
        missed += [] if ok else [row]
        errors = f" ({row.errors} errors)" if row.errors else ""
        print(f"| {row.database} | {row.page} | {row.rps:.0f} | {row.p50_ms:.0f} | {row.p99_ms:.0f} | "
              f"{row.statements} | {row.ratio:.0%} | {'met' if ok else 'missed'}{errors} |")
    print(f"{len(table) - len(missed)} of {len(table)} pages meet the target "
          f"(ratio ≥ {TARGET_RATIO:.0%}, p99 ≤ {DEMO_P99_MS:.0f} ms demo / {LARGE_P99_MS:.0f} ms large)")
    return missed


if __name__ == "__main__":
    sys.exit(main())
