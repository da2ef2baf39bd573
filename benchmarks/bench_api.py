"""The JSON API under load next to the same pages in HTML (prints, asserts nothing): issue 18's speed check.

    .venv/bin/python benchmarks/bench_api.py            # 10-second runs on the SQLite demo
    .venv/bin/python benchmarks/bench_api.py --seconds 3

Loads the demo into a temporary SQLite file (``bench_pages.load_demo``),
makes a personal access token for the Tackley volunteer and coordinator,
serves the app with ``gunicorn -w 2`` and loads, with ``wrk -t2 -c32``:
``GET /api/v1/me/shifts`` beside ``/me/shifts`` (the volunteer, signed in
over HTTP), and the coordinator's week ``GET /api/v1/shifts?from=…&to=…``
beside the board's week ``/rota?week=…``. The target: the JSON is at least
as fast as its page. Needs ``wrk`` (Debian: ``apt-get install wrk``).
"""
from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_pages import (  # noqa: E402
    COORDINATOR,
    DEMO_PASSWORD,
    ROOT,
    VOLUNTEER,
    Result,
    bench_app,
    http_get,
    load_demo,
    run_wrk,
    serve,
    sign_in,
    wait_for_quiet,
)
from sqlalchemy import select  # noqa: E402

from volunteers.api import tokens  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import utcnow  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import Membership, Person  # noqa: E402


def make_tokens(url: str) -> dict[str, str]:
    """Return e-mail → a fresh write token for the volunteer and the coordinator of Tackley."""
    app = bench_app(url)
    made = {}
    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
        for email in (VOLUNTEER, COORDINATOR):
            membership = db.session.scalars(select(Membership).join(Person, Person.id == Membership.person_id)
                                            .where(Membership.organisation_id == org.id, Person.email == email)).one()
            made[email] = tokens.create_token(org, membership, "bench", "read", 1, utcnow()).token
        db.session.commit()
        db.engine.dispose()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run's length")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk); nothing measured")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench-api.sqlite"
        context = load_demo(url)
        secrets = make_tokens(url)
        week = date.fromisoformat(context["week"])
        pairs = [  # (name, user, API path, page path)
            ("my shifts", VOLUNTEER, "/api/v1/me/shifts", "/me/shifts"),
            ("a week of shifts", COORDINATOR,
             f"/api/v1/shifts?from={week}&to={week + timedelta(days=6)}&limit=100", f"/rota?week={week}"),
        ]
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench-api-not-secret", "SCHEDULER_ENABLED": "0",
               "SCHEDULER_IN_PROCESS": "0", "MAIL_BACKEND": "none", "FLASK_DEBUG": "0"}
        with serve(("app", "wsgi:app", ROOT, env)) as (server,):
            cookies = {email: sign_in(server.port, email, DEMO_PASSWORD) for email in (VOLUNTEER, COORDINATOR)}
            print(f"{'what':18} {'as':28} {'JSON req/s':>10} {'p99':>7} | {'HTML req/s':>10} {'p99':>7} | JSON/HTML")
            for name, user, api_path, page_path in pairs:
                bearer = f"Bearer {secrets[user]}"
                status = http_get_with(server.port, api_path, bearer)
                if status != 200 or http_get(server.port, page_path, cookies[user])[0] != 200:
                    print(f"{name:18} not timed: the API answered {status}")
                    continue
                wait_for_quiet(20)
                api = run_wrk_as(server.port, api_path, args.seconds, bearer)
                wait_for_quiet(20)
                page = run_wrk(server.port, page_path, args.seconds, cookies[user])
                ratio = api.rps / page.rps if page.rps else 0.0
                print(f"{name:18} {user:28} {api.rps:10.0f} {api.p99_ms:5.0f}ms | {page.rps:10.0f} "
                      f"{page.p99_ms:5.0f}ms | {ratio:5.2f}x{'  errors!' if api.errors or page.errors else ''}",
                      flush=True)
    return 0


def run_wrk_as(port: int, path: str, seconds: int, authorization: str) -> Result:
    """``bench_pages.run_wrk`` with an Authorization header instead of a cookie (its parsing, its figures)."""
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s",
                          "-H", f"Authorization: {authorization}", f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=False).stdout
    return parse_wrk(out)


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def parse_wrk(out: str) -> Result:
    """Read wrk's requests/s, p50, p99 and errors (as ``bench_pages.run_wrk`` does for its runs)."""
    result = Result(raw=out)
    if found := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(found.group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for percent, value, unit in _LATENCY.findall(out):
        setattr(result, "p50_ms" if percent == "50" else "p99_ms", float(value) * scale[unit])
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result.errors += int(found.group(1))
    return result


def http_get_with(port: int, path: str, authorization: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": authorization})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


if __name__ == "__main__":
    raise SystemExit(main())
