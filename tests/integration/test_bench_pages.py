"""The page bench (``benchmarks/bench_pages.py``) measures real pages against floors that answer.

The bench is not part of the test run (it takes minutes and a quiet
machine); these tests keep it from rotting: every page in its list answers
200 to the user it signs in as, each floor route of ``floor_app.py`` renders
rows from the same demo data, and, when ``wrk`` is installed, one page is
served by both apps under gunicorn and loaded for a second (what ``--smoke``
does, in this process: about 9 s on this machine).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.clock import Clock

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_pages  # noqa: E402
import floor_app  # noqa: E402


def test_every_page_answers_and_every_floor_renders_rows(tmp_path: Path, clock: Clock) -> None:
    url = f"sqlite:///{tmp_path}/demo.sqlite"
    context = bench_pages.load_demo(url)
    logins = dict.fromkeys(bench_pages.DEMO_LOGINS, bench_pages.DEMO_PASSWORD)

    bearers = bench_pages.make_tokens(url, context["org"], {p.user for p in bench_pages.PAGES if p.api and p.user})
    counts = bench_pages.count_statements(url, bench_pages.PAGES, context, logins, bearers)

    assert [p.name for p in bench_pages.PAGES if counts[p.name] <= 0] == [], counts  # a status is counted as -status
    assert all(counts[f"/me/shifts as {email}"] > 0 for email in logins)
    floor_app.bind(url)
    client = floor_app.app.test_client()
    empty = []
    for page in bench_pages.PAGES:
        response = client.get(page.floor(context))
        assert response.status_code == 200, (page.name, response.status_code)
        if page.name != "/healthz" and int(response.headers["X-Rows"]) == 0:
            empty.append(page.name)
    assert empty == [], f"floors that rendered no rows of the demo: {empty}"
    floor_app.engine.dispose()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)")
# under Debian's faketime (CI's moved-clock pass) the servers' and wrk's sleeps fail with EINVAL, and
# timing a benchmark on a faked clock would measure nothing anyway
@pytest.mark.skipif("FAKETIME" in os.environ, reason="a benchmark's timings mean nothing on a faked clock")
def test_a_smoke_run_serves_and_measures_one_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/empty.sqlite"
    pages = tuple(p for p in bench_pages.PAGES if p.name == "/healthz")
    database = bench_pages.Database("sqlite", url, {}, pages, bench_pages.make_tables(url))

    rss = bench_pages.measure(database, 1, 1, 0.0, 0.0, {"SECRET_KEY": "smoke", "SCHEDULER_ENABLED": "0"})

    row = next(line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("/healthz"))
    rates = [float(row.split()[1]), float(row.split("|")[1].split()[0])]
    assert all(rate > 0 for rate in rates), row  # the page and its floor both served requests
    assert set(rss) == {"app worker 1", "app worker 2", "floor worker 1", "floor worker 2"}
    assert all(mb > 10 for mb in rss.values()), rss
