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
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_http import http_get, run_wrk, serve, sign_in, wait_for_quiet  # noqa: E402
from bench_pages import API_RATE_LIMIT, COORDINATOR, DEMO_PASSWORD, ROOT, VOLUNTEER, load_demo, make_tokens  # noqa: E402


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
        bearers = make_tokens(url, context["org"], {VOLUNTEER, COORDINATOR})
        week = date.fromisoformat(context["week"])
        pairs = [  # (name, user, API path, page path)
            ("my shifts", VOLUNTEER, "/api/v1/me/shifts", "/me/shifts"),
            ("a week of shifts", COORDINATOR,
             f"/api/v1/shifts?from={week}&to={week + timedelta(days=6)}&limit=100", f"/rota?week={week}"),
        ]
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench-api-not-secret", "SCHEDULER_ENABLED": "0",
               "SCHEDULER_IN_PROCESS": "0", "MAIL_BACKEND": "none", "FLASK_DEBUG": "0",
               "API_RATE_LIMIT": API_RATE_LIMIT}
        with serve(("app", "wsgi:app", ROOT, env)) as (server,):
            cookies = {email: sign_in(server.port, email, DEMO_PASSWORD) for email in (VOLUNTEER, COORDINATOR)}
            print(f"{'what':18} {'as':28} {'JSON req/s':>10} {'p99':>7} | {'HTML req/s':>10} {'p99':>7} | JSON/HTML")
            for name, user, api_path, page_path in pairs:
                bearer = bearers[user]
                status = http_get(server.port, api_path, authorization=bearer)[0]
                if status != 200 or http_get(server.port, page_path, cookies[user])[0] != 200:
                    print(f"{name:18} not timed: the API answered {status}")
                    continue
                wait_for_quiet(20)
                api = run_wrk(server.port, api_path, args.seconds, authorization=bearer)
                wait_for_quiet(20)
                page = run_wrk(server.port, page_path, args.seconds, cookies[user])
                ratio = api.rps / page.rps if page.rps else 0.0
                print(f"{name:18} {user:28} {api.rps:10.0f} {api.p99_ms:5.0f}ms | {page.rps:10.0f} "
                      f"{page.p99_ms:5.0f}ms | {ratio:5.2f}x{'  errors!' if api.errors or page.errors else ''}",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
