"""`make bench`: run every benchmark script in turn and let each print its figures.

Each part is a script of its own (run one alone with `.venv/bin/python
benchmarks/<name>.py --help`). Parts that are missing are reported, not
failed; a part that fails is reported and the rest still run. Set
BENCH_QUICK=1 for smaller sizes (a smoke run), BENCH_PARTS=load,rota to pick.
A part over its target only prints so (exit 0: this machine is shared and
noisy); BENCH_STRICT=1 passes ``--strict`` to the parts that judge a target
(pages, cases), which then exit 1, and so does `make bench`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: parts that take ``--strict`` (exit 1 when over their target)
STRICT_PARTS = {"pages", "cases"}
#: part name → (script, full-size arguments, quick arguments)
PARTS = {
    "load": ("bench_load.py", [], ["--people", "100", "--runs", "2"]),
    "load-scan": ("bench_load.py", ["--scan"], ["--scan", "--assignments", "20000"]),
    "rota": ("bench_rota.py", [], ["--quick"]),
    "rota-fill": ("bench_rota_fill.py", [], ["--village"]),
    "report": ("bench_report.py", [], ["--rows", "10000"]),
    "pages": ("bench_pages.py", [], ["--quick"]),
    "cases": ("bench_cases.py", [], ["--quick"]),
    "outbox": ("bench_outbox.py", [], ["--messages", "500"]),
    # who a late cancellation asks first, in a 1,000-person organisation (issue 17.4)
    "cover": ("bench_cover.py", [], ["--people", "200", "--runs", "2"]),
    "api": ("bench_api.py", [], ["--seconds", "3"]),
    # PostgreSQL only; generates each size once into its own database (full size: 10–30 min) and keeps it
    "national": ("bench_national.py", ["--scale", "0.01,1"], ["--scale", "0.01", "--runs", "3", "--heavy-runs", "2"]),
}


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    wanted = [p for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p]
    failures = 0
    for name in wanted:
        script, full, small = PARTS[name]
        if os.environ.get("BENCH_STRICT") == "1" and name in STRICT_PARTS:
            full, small = [*full, "--strict"], [*small, "--strict"]
        path = HERE / script
        print(f"\n=== {name} ({script} {' '.join(small if quick else full)})", flush=True)
        if not path.exists():
            print("    (not there yet)")
            continue
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path), *(small if quick else full)], check=False)
        print(f"=== {name}: exit {result.returncode}, {time.perf_counter() - started:.1f} s", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
