"""One gunicorn worker's memory at start and after loading the bench's pages many times (prints, asserts nothing).

    .venv/bin/python benchmarks/worker_memory.py            # 100 rounds of bench_pages.PAGES, ~1 min
    .venv/bin/python benchmarks/worker_memory.py -n 300 --smaps

Loads the demo into a temporary SQLite file (as ``bench_pages.py`` does), serves
it with ``gunicorn -w 1`` as production does (ProductionConfig; the figures
cache and the sign-in limits in Redis when one answers at BENCH_CACHE_URL),
signs in as the six demo users, then requests every page of
``bench_pages.PAGES`` one after another, ``-n`` times, printing the worker's
VmRSS, RssAnon, RssFile (/proc/<pid>/status) and PSS at start, after signing
in and after rounds 1, 10, 50 and the last. One request at a time: a sync
worker serves one anyway, and no wrk is needed. ``--smaps`` ends with the
worker's anonymous memory per mapping (Python's heap and arenas vs libraries).
docs/SCALING.md ("Memory per web worker") has the figures and where they go.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_http  # noqa: E402
import bench_pages as bp  # noqa: E402


def memory(pid: int) -> dict[str, float]:
    """VmRSS, RssAnon, RssFile and PSS of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.split(":")[0] in ("VmRSS", "RssAnon", "RssFile"):
            found[line.split(":")[0]] = int(line.split()[1]) / 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            found["PSS"] = int(line.split()[1]) / 1024
    return found


def anonymous_by_mapping(pid: int, top: int = 8) -> list[tuple[str, float]]:
    """The process's anonymous memory (MB) per mapping: [heap], [anon] (pymalloc arenas, mmap) and libraries."""
    found: Counter[str] = Counter()
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        first = line.split(maxsplit=6)
        if "-" in first[0] and len(first) >= 5 and ":" in first[3]:
            name = first[5] if len(first) > 5 else "[anon]"
        elif line.startswith("Anonymous:"):
            found[name] += int(line.split()[1]) / 1024
    return found.most_common(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="rounds over the pages (default 100)")
    parser.add_argument("--smaps", action="store_true", help="end with the anonymous memory per mapping")
    args = parser.parse_args()
    env = {"SECRET_KEY": "worker-memory-not-secret", "SCHEDULER_ENABLED": "0", "SCHEDULER_IN_PROCESS": "0",
           "MAIL_BACKEND": "none", "FLASK_DEBUG": "0", **bp.cache_env()}
    if "CACHE_URL" in env:
        env |= {"RATELIMIT_STORAGE_URI": env["CACHE_URL"], "RATELIMIT_KEY_PREFIX": env["CACHE_KEY_PREFIX"]}
    with tempfile.TemporaryDirectory(prefix="worker_memory_") as tmp:
        url = f"sqlite:///{tmp}/demo.sqlite"
        context = bp.load_demo(url)
        port = bench_http.free_port()
        environment = {k: v for k, v in os.environ.items() if k != "FLASK_RUN_FROM_CLI"} | env | {"DATABASE_URL": url}
        with open(Path(tmp) / "gunicorn.log", "wb") as log:
            server = subprocess.Popen(
                [str(Path(sys.executable).with_name("gunicorn")), "-w", "1", "-b", f"127.0.0.1:{port}",
                 "--log-level", "warning", "wsgi:app"], cwd=HERE.parent, env=environment, stdout=log,
                stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 60
                while not bench_http.answers(port):
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start (log: {log.name})")
                    time.sleep(0.1)
                worker = bench_http.children(server.pid)[0]
                report("at start (one /healthz)", memory(worker))
                cookies = {email: bench_http.sign_in(port, email, bp.DEMO_PASSWORD) for email in bp.DEMO_LOGINS}
                report(f"signed in as {len(cookies)} users", memory(worker))
                paths = [(page.path(context), cookies[page.user] if page.user else "") for page in bp.PAGES]
                for done in range(1, args.n + 1):
                    for path, cookie in paths:
                        status = bench_http.http_get(port, path, cookie)[0]
                        if status != 200:
                            raise RuntimeError(f"{path} answered {status}")
                    if done in (1, 10, 50, args.n):
                        report(f"after {done} × {len(paths)} pages", memory(worker))
                if args.smaps:
                    for name, mb in anonymous_by_mapping(worker):
                        print(f"    {mb:6.1f} MB anonymous  {name}")
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    return 0


def report(moment: str, figures: dict[str, float]) -> None:
    print(f"{moment:32} " + "  ".join(f"{key} {mb:5.1f} MB" for key, mb in figures.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
