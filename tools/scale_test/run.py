"""`make scale-test`: two web nodes behind HAProxy, two schedulers, Locust, a node killed, invariants checked.

    make scale-test                          # 3 minutes of load (SCALE_TEST_SECONDS to change)
    SCALE_TEST_SECONDS=60 make scale-test

What it does, in order: starts PostgreSQL and Redis if they are not running;
makes a database of its own (SCALE_DB, default ``volunteers_scale``, dropped and
re-made) and migrates it; loads 24 organisations / 5,000 volunteers / three
months of shifts (load.py); starts an SMTP sink, two web nodes (gunicorn -w 2
each, deploy/gunicorn.conf.py, on two ports), HAProxy with deploy/haproxy.cfg
(TLS on a throw-away certificate: production cookies are Secure) and two
scheduler processes; drives them with Locust (locustfile.py) for the set time.
A third of the way in it ``kill -9``s one web node's whole process group and
starts it again; at 60 % it restarts one scheduler. Then it checks the
invariants in the database (invariants.py) and prints the figures, ending
with the one line the issue asks for. It exits non-zero if an invariant
fails or p99 is over SCALE_TEST_P99_MS (default 1000). Users arrive at
SCALE_TEST_SPAWN_RATE a second (default 2), each signing in first; p50 and
p99 are taken over the requests after that ramp — the kill included — and the
ramp's own figures are printed on a line before the last.

Not part of `make test`: it takes minutes and both cores. Logs and the plan
stay in benchmarks/out/scale-test/.
"""
from __future__ import annotations

import os
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from invariants import check  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "scale-test"
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
LOCUST = ROOT / ".venv-locust" / "bin" / "locust"
SECONDS = int(os.environ.get("SCALE_TEST_SECONDS", "180"))
USERS = int(os.environ.get("SCALE_TEST_USERS", "40"))
#: users arriving a second: each signs in first (Argon2, a deliberate ~0.2 s of CPU), so 40 arriving at once
#: queue behind one another on four workers; people coming in over 20 s is closer to a Saturday morning
SPAWN_RATE = float(os.environ.get("SCALE_TEST_SPAWN_RATE", "2"))
#: the figures judged against the budget start once every user has arrived and signed in
RAMP_S = USERS / SPAWN_RATE + 5.0
P99_BUDGET_MS = float(os.environ.get("SCALE_TEST_P99_MS", "1000"))
DB = os.environ.get("SCALE_DB", "volunteers_scale")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
BASE = int(os.environ.get("SCALE_TEST_PORT_BASE", "18480"))
HTTPS, HTTP, WEB1, WEB2, SMTP = BASE, BASE + 1, BASE + 2, BASE + 3, BASE + 4
DATABASE_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}"
#: grace after the killed node answers again: HAProxy needs two good checks (2 s apart) to use it
KILL_WINDOW_GRACE_S = 6.0


def app_env() -> dict[str, str]:
    return {**os.environ, "SECRET_KEY": "scale-test-not-secret-" + DB, "DATABASE_URL": DATABASE_URL,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/13", "RATELIMIT_KEY_PREFIX": f"{DB}:",
            "BASE_URL": f"https://127.0.0.1:{HTTPS}", "PROXY_COUNT": "1", "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(SMTP), "PYTHONUNBUFFERED": "1"}


def sh(*command: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def ensure_services() -> None:
    """PostgreSQL and Redis: started with this machine's own commands when they are not answering."""
    if sh("pg_isready", "-h", "127.0.0.1", check=False).returncode != 0:
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        sh("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start")
    if sh("redis-cli", "-h", "127.0.0.1", "ping", check=False).stdout.strip() != "PONG":
        sh("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
           "--appendonly", "no")
    for _ in range(30):
        if sh("pg_isready", "-h", "127.0.0.1", check=False).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit("scale-test: PostgreSQL does not answer on 127.0.0.1:5432")


def fresh_database() -> None:
    sh("dropdb", *PG, "--if-exists", "--force", DB)
    sh("createdb", *PG, DB)
    sh(str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", env=app_env())
    print(sh(PY, "tools/scale_test/load.py", str(OUT / "plan.json"), env=app_env()).stdout.strip())


def certificate() -> Path:
    """A throw-away self-signed certificate for HAProxy (key and certificate in one PEM)."""
    key, crt, pem = OUT / "tls.key", OUT / "tls.crt", OUT / "tls.pem"
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "2",
       "-keyout", str(key), "-out", str(crt))
    pem.write_text(crt.read_text() + key.read_text())
    return pem


class Process:
    """A started command in its own process group, so ``kill -9`` takes a gunicorn master and its workers."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name, self.command, self.env = name, command, env
        self.popen: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        log = (OUT / f"{self.name}.log").open("ab")
        self.popen = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    def signal(self, sig: int) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


def answers(url: str, timeout: float = 2.0) -> bool:
    context = ssl._create_unverified_context()  # noqa: S323 - our own throw-away certificate
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def wait_for(url: str, limit_s: float = 60) -> float:
    started = time.time()
    while time.time() - started < limit_s:
        if answers(url):
            return time.time()
        time.sleep(0.25)
    raise SystemExit(f"scale-test: {url} did not answer within {limit_s:.0f} s")


def web_node(name: str, port: int, env: dict[str, str]) -> Process:
    return Process(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                   {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "GUNICORN_PROC_NAME": name,
                    "PROMETHEUS_MULTIPROC_DIR": str(OUT / f"metrics-{name}")})


def faults(nodes: list[Process], schedulers: list[Process], window: dict[str, float]) -> None:
    """Kill -9 one node a third of the way in and bring it back; restart a scheduler at 60 %."""
    time.sleep(SECONDS * 0.35)
    window["kill"] = time.time()
    nodes[0].signal(signal.SIGKILL)
    print(f"  t+{SECONDS * 0.35:.0f}s  kill -9 web1 (master and workers)")
    time.sleep(5)
    nodes[0].start()
    window["back"] = wait_for(f"http://127.0.0.1:{WEB1}/healthz")
    print(f"  web1 back after {window['back'] - window['kill']:.1f} s")
    time.sleep(max(0.0, SECONDS * 0.6 - (time.time() - window["start"])))
    schedulers[1].signal(signal.SIGTERM)
    schedulers[1].start()
    print(f"  t+{time.time() - window['start']:.0f}s  scheduler 2 restarted")


def _cuts(ms: list[float]) -> list[float]:
    return statistics.quantiles(ms, n=100) if len(ms) >= 2 else [ms[0] if ms else 0.0] * 99


def figures(window: dict[str, float]) -> dict[str, float]:
    """Counts over the whole run; p50/p99 over the requests after the arrival ramp (the kill included).

    The ramp's own figures (everyone arriving and signing in) are returned
    apart as ``ramp_*`` and printed on a line of their own.
    """
    rows = [line.split(",") for line in (OUT / "requests.csv").read_text().splitlines() if line]
    settled = window["start"] + RAMP_S
    ok_ms = [float(r[2]) for r in rows if r[4] == "1" and float(r[0]) >= settled]
    ramp_ms = [float(r[2]) for r in rows if r[4] == "1" and float(r[0]) < settled]
    errors = [float(r[0]) for r in rows if r[4] != "1"]
    end_of_kill = window.get("back", window.get("kill", 0)) + KILL_WINDOW_GRACE_S
    during = [t for t in errors if window.get("kill", 1e18) <= t <= end_of_kill]
    cuts, ramp = _cuts(ok_ms), _cuts(ramp_ms)
    elapsed = max(1.0, window["end"] - window["start"])
    return {"requests": len(rows), "rps": len(rows) / elapsed, "p50": cuts[49], "p99": cuts[98],
            "errors": len(errors), "during_kill": len(during),
            "ramp_requests": len(ramp_ms), "ramp_p50": ramp[49], "ramp_p99": ramp[98]}


def main() -> int:
    if not LOCUST.exists():
        raise SystemExit("scale-test: Locust is missing; run `make scale-test` (it makes .venv-locust)")
    if shutil.which("haproxy") is None:
        raise SystemExit("scale-test: HAProxy is missing (Debian: apt-get install haproxy)")
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    ensure_services()
    print(f"scale-test: database {DB}; loading …")
    fresh_database()
    env = app_env()
    started: list[Process] = []
    window: dict[str, float] = {}
    try:
        started.append(Process("smtp", [PY, "tools/scale_test/smtp_sink.py", str(SMTP), str(OUT / "mail.txt")],
                               env))
        nodes = [web_node("web1", WEB1, env), web_node("web2", WEB2, env)]
        started += nodes
        started.append(Process("haproxy", ["haproxy", "-f", "deploy/haproxy.cfg"], {
            **env, "BIND": f"127.0.0.1:{HTTP}", "TLS_BIND": f"127.0.0.1:{HTTPS}", "TLS_CERT": str(certificate()),
            "WEB1": f"127.0.0.1:{WEB1}", "WEB2": f"127.0.0.1:{WEB2}", "NODE_MAXCONN": "4"}))
        schedulers = [Process(f"scheduler{n}", [str(BIN / "flask"), "--app", "wsgi", "scheduler", "run"], env)
                      for n in (1, 2)]
        started += schedulers
        for port in (WEB1, WEB2):
            wait_for(f"http://127.0.0.1:{port}/healthz")
        wait_for(f"https://127.0.0.1:{HTTPS}/healthz")
        time.sleep(5)  # both nodes through HAProxy's two checks
        print(f"scale-test: {USERS} users for {SECONDS} s against https://127.0.0.1:{HTTPS} (2 nodes x 2 workers)")
        window["start"] = time.time()
        threading.Thread(target=faults, args=(nodes, schedulers, window), daemon=True).start()
        locust = subprocess.run(
            [str(LOCUST), "-f", "tools/scale_test/locustfile.py", "--headless", "-u", str(USERS), "-r", str(SPAWN_RATE),
             "-t", f"{SECONDS}s", "--host", f"https://127.0.0.1:{HTTPS}", "--only-summary", "--loglevel", "WARNING",
             "--stop-timeout", "10"],
            cwd=ROOT, env={**os.environ, "SCALE_PLAN": str(OUT / "plan.json"),
                           "SCALE_REQUEST_LOG": str(OUT / "requests.csv"),
                           "SCALE_SIGNUP_LOG": str(OUT / "signups.jsonl")},
            capture_output=True, text=True, check=False)
        window["end"] = time.time()
        (OUT / "locust.log").write_text(locust.stdout + locust.stderr)
        time.sleep(65)  # one more minute: the outbox job sends what the last requests queued, in both schedulers
    finally:
        for process in reversed(started):
            process.signal(signal.SIGTERM)
    found = check(DATABASE_URL, OUT / "signups.jsonl", OUT / "mail.txt")
    f = figures(window)
    print(f"  confirmed sign-ups and assignments: {found.confirmed_sign_ups}; mail delivered: {found.delivered}; "
          f"shifts whose filled != live places: {found.filled_wrong}")
    print(f"  arrival ramp (first {RAMP_S:.0f} s, {USERS} users signing in at {SPAWN_RATE:g}/s): "
          f"{f['ramp_requests']} requests, p50 {f['ramp_p50']:.0f} ms, p99 {f['ramp_p99']:.0f} ms "
          "(not in p50/p99 below)")
    print(f"scale-test: {f['requests']} requests, {f['rps']:.1f} req/s, p50 {f['p50']:.0f} ms, "
          f"p99 {f['p99']:.0f} ms, errors {f['errors']} (during the kill: {f['during_kill']}), "
          f"overbooked {found.overbooked}, lost sign-ups {found.lost_sign_ups}, duplicate jobs {found.duplicate_jobs}")
    broken = found.overbooked or found.lost_sign_ups or found.duplicate_jobs or found.filled_wrong
    if f["p99"] > P99_BUDGET_MS:
        print(f"scale-test: p99 {f['p99']:.0f} ms is over the {P99_BUDGET_MS:.0f} ms budget", file=sys.stderr)
    return 1 if broken or f["p99"] > P99_BUDGET_MS else 0


if __name__ == "__main__":
    sys.exit(main())
