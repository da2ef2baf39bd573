"""Profile the slow pages in-process: ms and SQL statements per request, and where the time goes.

Builds the demo into a temporary SQLite file (kept between runs, one per
day, so the pages see the same data), signs a test client in as each demo
user and loads each page of issue 13 ``N`` times, printing the mean
milliseconds and SQL statements per request. ``--profile PAGE`` runs that
page under pyinstrument (``pip install pyinstrument``, a dev tool in the
``test`` extra) and prints its call tree.

    .venv/bin/python benchmarks/profile_page.py             # every page, 30 requests each
    .venv/bin/python benchmarks/profile_page.py -n 100 --profile me_shifts
    .venv/bin/python benchmarks/profile_page.py --rebuild   # a fresh demo database
    .venv/bin/python benchmarks/profile_page.py --production -n 500 --profile healthz
    .venv/bin/python benchmarks/profile_page.py --production --large -n 20   # the 500-volunteer organisation
    .venv/bin/python benchmarks/profile_page.py --production --floor --url postgresql+psycopg://postgres@127.0.0.1/x

``--floor`` also loads each page's bare floor (``floor_app.py``, as ``bench_pages.py`` serves it) in
this process and prints the ratio of CPU ms (floor ÷ page): the in-process twin of the bench's
req/s ratio, steadier on a busy machine (it leaves out gunicorn and wrk, which both sides share).

``--production`` builds the app as ``wsgi.py`` does under gunicorn (``ProductionConfig``:
CSRF on, the rate limiter's hooks on, no debug), which is what the load test
serves; the default is the tests' configuration.

No web server and no network: this measures the application's own work
per request (the Flask test client adds ~0.3 ms). ``bench_pages.py`` is the
load test under gunicorn.
"""
from __future__ import annotations

import argparse
import gc
import html
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, event, inspect, select  # noqa: E402

from config import Config, ProductionConfig, TestingConfig  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.core.maintenance import analyze  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import Month, local_date, utcnow  # noqa: E402
from volunteers.demo.data import load_demo  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import Membership, Person  # noqa: E402
from volunteers.rota.models import Shift  # noqa: E402
from volunteers.wellbeing.services import scan  # noqa: E402

PASSWORD = "demo"


@dataclass(frozen=True)
class Page:
    """One page to load: a short name, who loads it, and how to find its URL in the demo."""

    name: str
    login: str
    url: Callable[[Flask], str]


def _shift_url(app: Flask) -> str:
    """A shift of next week in Tackley with a place to fill: the panel ranks every member for it."""
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
        shift_id = db.session.scalar(select(Shift.id).where(Shift.organisation_id == org.id,
                                                            Shift.starts_at > utcnow() + timedelta(days=7),
                                                            Shift.filled < Shift.needed)
                                     .order_by(Shift.starts_at).limit(1))
    return f"/rota/shifts/{shift_id}"


def _volunteer_page(app: Flask) -> str:
    """The coordinator's page of the demo volunteer (their record, hours, places and warnings)."""
    with app.app_context():
        membership = db.session.scalar(select(Membership.id).join(Person).join(Organisation).where(
            Organisation.slug == "tackley", Person.email == "volunteer@tackley.example"))
    return f"/people/{membership}"


def _last_month(app: Flask) -> str:
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
        month = Month.of(local_date(utcnow(), org.timezone or "Europe/London")).previous()
    return f"/reports/monthly/{month}"


PAGES = (
    Page("healthz", "", lambda app: "/healthz"),
    Page("home", "volunteer@tackley.example", lambda app: "/"),  # signed in: a redirect, no template
    Page("me_shifts", "volunteer@tackley.example", lambda app: "/me/shifts"),
    Page("me_shifts_ss", "counsellor@surestart.example", lambda app: "/me/shifts"),
    Page("me_open", "volunteer@tackley.example", lambda app: "/me/shifts/open"),
    Page("rota_week", "coordinator@tackley.example", lambda app: "/rota"),
    Page("rota_month", "coordinator@tackley.example", lambda app: "/rota?view=month"),
    Page("shift_panel", "coordinator@tackley.example", _shift_url),
    Page("warnings", "coordinator@tackley.example", lambda app: "/warnings"),
    Page("warnings_ss", "coordinator@surestart.example", lambda app: "/warnings"),
    Page("report", "coordinator@tackley.example", _last_month),
    Page("people", "coordinator@tackley.example", lambda app: "/people"),
    Page("me_hours", "volunteer@tackley.example", lambda app: "/me/hours"),
    Page("person", "coordinator@tackley.example", _volunteer_page),
    Page("series", "coordinator@tackley.example", lambda app: "/rota/series"),
)


#: bench_pages.py's pages of the 500-volunteer organisation, by this script's names
LARGE_NAMES = {"/healthz": "healthz", "/me/shifts": "me_shifts", "/me/shifts/open": "me_open",
               "/rota week": "rota_week", "/rota month": "rota_month", "/rota/shifts/<id>": "shift_panel",
               "/people": "people"}


def large_pages(path: Path) -> tuple[Page, ...]:
    """``--large``: the 500-volunteer organisation of bench_rota.py in ``path`` (built as bench_pages.py's large
    run builds it, if missing) and bench_pages.py's pages of it, signed in as its coordinator."""
    import bench_pages  # siblings: importable when run as benchmarks/profile_page.py
    import bench_rota

    if not path.exists():
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
        with app.app_context():
            db.create_all()
            bench_rota.build(500, 91, 66, seed=7)
            db.session.commit()
            analyze(db.session)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == "bench"))
        now = datetime.combine(bench_rota.FIRST + timedelta(days=35), datetime.min.time(), tzinfo=bench_rota.NOW.tzinfo)
        context = bench_pages._context(org, now)
    return tuple(Page(LARGE_NAMES[p.name], "v1@bench.example" if p.user else "", lambda app, p=p: p.path(context))
                 for p in bench_pages.PAGES if p.name in LARGE_NAMES)


def build(url: str) -> None:
    """Load the demo (as ``flask demo`` does: then judge everyone's load and analyse) into a new database."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        now = utcnow()
        load_demo(now)
        for org in db.session.scalars(select(Organisation)):
            scan(org, now)
        db.session.commit()
        # as `flask demo` does: without sqlite_stat1 SQLite walks every shift of the organisation for my_places
        # (~12 ms of /me/shifts instead of ~0.1), so the profile showed a plan no served demo has
        analyze(db.session)


@contextmanager
def counting(app: Flask) -> Iterator[list[int]]:
    """Count the statements run on the app's engine inside the block."""
    count = [0]

    def listener(*args: object) -> None:
        count[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def signed_in(app: Flask, email: str) -> FlaskClient:
    """A client signed in as ``email`` (nobody for ""), through the login form with its CSRF token."""
    client = app.test_client()
    if not email:
        return client
    data = {"email": email, "password": PASSWORD}
    if app.config.get("WTF_CSRF_ENABLED", True):
        tag = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text)
        if tag is None:
            raise SystemExit("no CSRF token in the login form")
        data["csrf_token"] = html.unescape(tag.group(1))
    # under ProductionConfig the client speaks https, where Flask-WTF also wants a same-site Referer
    referer = f"{app.config.get('PREFERRED_URL_SCHEME', 'http')}://localhost/login"
    response = client.post("/login", data=data, headers={"Referer": referer})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {response.status_code}")
    return client


def measure(app: Flask, page: Page, n: int) -> tuple[float, float, float, float, int]:
    """Return (mean ms, median ms, CPU ms, statements per request, bytes) over ``n`` requests after one warm-up.

    CPU ms is this process's CPU time per request: on a shared machine it moves far less than the
    wall-clock figures when others are busy (SQLite runs in-process, so it includes the database's work).
    """
    client = signed_in(app, page.login)
    url = page.url(app)
    first = client.get(url)
    if first.status_code not in (200, 302):
        raise SystemExit(f"{page.name}: GET {url} answered {first.status_code}")
    times = []
    cpu_started = time.process_time()
    with counting(app) as count:
        for _ in range(n):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / n
    return statistics.fmean(times), statistics.median(times), cpu_ms, count[0] / n, len(first.data)


def profile(app: Flask, page: Page, n: int) -> None:
    from pyinstrument import Profiler

    client = signed_in(app, page.login)
    url = page.url(app)
    client.get(url)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(n):
        client.get(url)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all="--all" in sys.argv))


#: the page of ``bench_pages.py`` (and so of its floor) that each profiled page is
FLOOR_OF = {"healthz": "/healthz", "me_shifts": "/me/shifts", "me_open": "/me/shifts/open", "rota_week": "/rota week",
            "rota_month": "/rota month", "shift_panel": "/rota/shifts/<id>", "warnings": "/warnings",
            "report": "/reports/monthly/<month>", "people": "/people", "me_hours": "/me/hours",
            "person": "/people/<id>", "series": "/rota/series"}


def floor_urls(app: Flask) -> dict[str, str]:
    """Each profiled page's floor URL (``floor_app.py``), with the ids ``bench_pages.py`` reads for Tackley."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_pages

    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        context = bench_pages._context(org, utcnow())
        context["volunteer"] = bench_pages._membership(org, "volunteer@tackley.example")
    pages = {page.name: page for page in bench_pages.PAGES}
    return {name: pages[bench].floor(context) for name, bench in FLOOR_OF.items()}


def floor_ms(database: str, url: str, n: int, wall: bool = False) -> float:
    """CPU ms (``wall``: median wall-clock ms) per request of the bare floor page, measured as the app's pages are."""
    import floor_app

    floor_app.bind(database)
    client = floor_app.app.test_client()
    if client.get(url).status_code != 200:
        raise SystemExit(f"floor: GET {url} failed")
    times = []
    started = time.process_time()
    for _ in range(n):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times) if wall else (time.process_time() - started) * 1000 / n


def serving_app(database: str, production: bool) -> Flask:
    """The app over the demo file: as the tests build it, or as ``wsgi.py`` does for gunicorn."""
    config: type[Config] = ProductionConfig if production else TestingConfig
    # one process: the in-memory store stands in for production's Redis figures cache
    extra = {"SECRET_KEY": "profile-page-not-secret", "SCHEDULER_ENABLED": False, "MAIL_BACKEND": "none",
             "CACHE_URL": "memory://"}
    return create_app(config, SQLALCHEMY_DATABASE_URI=database, **(extra if production else {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--pages", nargs="*", help="only these pages: " + ", ".join(p.name for p in PAGES))
    parser.add_argument("--profile", metavar="PAGE", help="print a pyinstrument call tree of this page")
    parser.add_argument("--db", type=Path, help="the demo SQLite file (default: one per day in the temp dir)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo database again")
    parser.add_argument("--url", help="a PostgreSQL database (postgresql+psycopg://...) instead of the SQLite file: "
                                      "the demo is loaded into it when it has no tables; with --floor the ratio "
                                      "is of median wall-clock ms, since the server's work is not this process's")
    parser.add_argument("--all", action="store_true", help="with --profile: show library frames too")
    parser.add_argument("--floor", action="store_true",
                        help="also each page's bare floor (floor_app.py) in-process, and the ratio of CPU ms")
    parser.add_argument("--production", action="store_true",
                        help="ProductionConfig, as wsgi.py builds it for gunicorn (default: TestingConfig)")
    parser.add_argument("--large", action="store_true",
                        help="the 500-volunteer organisation of bench_rota.py and bench_pages.py's pages of it "
                             "(built once a day in the temp dir; no --floor)")
    args = parser.parse_args()
    name = "volunteers-profile-large" if args.large else "volunteers-profile"
    path = args.db or Path(tempfile.gettempdir()) / f"{name}-{utcnow():%Y%m%d}.sqlite"
    if args.rebuild and path.exists():
        path.unlink()
    pages = PAGES
    if args.large:
        global PASSWORD
        import bench_rota

        PASSWORD = bench_rota.PASSWORD
        started = time.perf_counter()
        pages = large_pages(path)
        print(f"the 500-volunteer organisation in {path} ({time.perf_counter() - started:.1f} s)")
    database = args.url or f"sqlite:///{path}"
    if not args.large and (not inspect(create_engine(database)).has_table("organisations") if args.url
                           else not path.exists()):
        started = time.perf_counter()
        build(database)
        print(f"built the demo in {args.url or path} ({time.perf_counter() - started:.1f} s)")
    app = serving_app(database, args.production)
    if args.production:  # as wsgi.py does in each gunicorn worker: the start-up's objects out of the collector's way
        gc.collect()
        gc.freeze()
    wanted = {p.name: p for p in pages}
    if args.profile:
        profile(app, wanted[args.profile], args.n)
        return
    floors = floor_urls(app) if args.floor and not args.large else {}
    print(f"{'page':<14} {'mean ms':>8} {'median':>8} {'cpu ms':>7} {'stmts':>6} {'bytes':>8}"
          + (f" {'floor med' if args.url else 'floor cpu':>9} {'ratio':>6}" if floors else ""))
    for page in pages:
        if args.pages and page.name not in args.pages:
            continue
        mean, median, cpu_ms, statements, size = measure(app, page, args.n)
        line = f"{page.name:<14} {mean:8.1f} {median:8.1f} {cpu_ms:7.2f} {statements:6.1f} {size:8d}"
        if page.name in floors:
            if args.url:
                floor = floor_ms(database, floors[page.name], args.n, wall=True)
                line += f" {floor:9.2f} {floor / median:6.0%}"
            else:
                floor = floor_ms(database, floors[page.name], args.n)
                line += f" {floor:9.2f} {floor / cpu_ms:6.0%}"
        print(line)


if __name__ == "__main__":
    main()
