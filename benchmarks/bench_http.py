"""HTTP load for the benches: the machine's quiet, gunicorn on free loopback ports, signing in as a browser does,
and ``wrk`` with its rate and latency percentiles (``bench_pages.py``, ``bench_api.py``, ``worker_memory.py``).

Needs ``wrk`` (Debian: ``apt-get install wrk``) for :func:`run_wrk`.
"""
from __future__ import annotations

import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    """One ``wrk`` run's figures (``raw``: its output, for a closer look)."""

    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    raw: str = ""


# --- the machine -------------------------------------------------------------------------------------------

def _cpu_times() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def cpu_busy(seconds: float = 0.5) -> float:
    """The share of all CPUs busy over the next ``seconds`` (0–1)."""
    busy0, total0 = _cpu_times()
    time.sleep(seconds)
    busy1, total1 = _cpu_times()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_quiet(limit_s: float, busy_below: float = 0.3) -> str:
    """Wait (at most ``limit_s``) until the CPUs are mostly idle; describe the load seen."""
    started = time.monotonic()
    busy = cpu_busy()
    while busy >= busy_below and time.monotonic() - started < limit_s:
        busy = cpu_busy()
    load1, load5, _ = os.getloadavg()
    waited = time.monotonic() - started
    return f"load {load1:.2f}/{load5:.2f}, cpu {busy:.0%} busy (waited {waited:.0f} s)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


# --- serving -----------------------------------------------------------------------------------------------

@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    def workers_rss(self) -> list[float]:
        return [rss_mb(pid) for pid in children(self.process.pid)]


@contextmanager
def serve(*apps: tuple[str, str, Path, dict[str, str]]) -> Iterator[list[Server]]:
    """Run ``gunicorn -w 2`` for each (name, app spec, directory, environment) on free loopback ports.

    The servers start together and are stopped together (SIGTERM: gunicorn's graceful shutdown, which
    lets the workers finish the requests wrk left queued) when the block ends.
    """
    gunicorn = Path(sys.executable).with_name("gunicorn")
    servers = []
    logs = []
    for name, app_spec, cwd, env in apps:
        port = free_port()
        # each request's JSON log line is still written (as in production), to a file rather than this table
        log_path = Path(tempfile.gettempdir()) / f"bench-pages-{name.replace(' ', '-')}-{port}.log"
        logs.append(log_path.open("ab"))
        servers.append(Server(name, port, subprocess.Popen(
            [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
            cwd=cwd, env={**os.environ, **env}, stdout=logs[-1], stderr=subprocess.STDOUT)))
        print(f"    {name}: port {port}, log {log_path}")
    try:
        deadline = time.monotonic() + 60
        for server in servers:
            while not answers(server.port):
                if server.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{server.name} did not start on port {server.port}")
                time.sleep(0.1)
        yield servers
    finally:
        for server in servers:
            server.process.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()
        for log in logs:
            log.close()


def answers(port: int) -> bool:
    """Whether the app on ``port`` answers its health check."""
    try:
        return http_get(port, "/healthz")[0] == 200
    except OSError:
        return False


def http_get(port: int, path: str, cookie: str = "", authorization: str = "") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {name: value for name, value in (("Cookie", cookie), ("Authorization", authorization)) if value}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _cookies(headers: list[tuple[str, str]], jar: dict[str, str]) -> None:
    for key, value in headers:
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form as a browser would; return the Cookie header to send."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        page = response.read().decode()
        _cookies(response.getheaders(), jar)
        tag = re.search(r"<input[^>]*name=\"csrf_token\"[^>]*>", page)
        token = re.search(r"value=\"([^\"]+)\"", tag.group(0)) if tag else None
        if token is None:
            raise RuntimeError("no CSRF token in the login form")
        body = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": html.unescape(token.group(1))})
        conn.request("POST", "/login", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
        response = conn.getresponse()
        response.read()
        _cookies(response.getheaders(), jar)
        if response.status != 302:
            raise RuntimeError(f"signing in as {email} answered {response.status}")
        # follow the redirects to the first page, as a browser does: signing in settles the session (it notes
        # the organisation chosen) and the first page rendered adds the session's CSRF secret (its forms' tokens
        # are made from it), so the cookie a browser then sends holds both. With the cookie of a redirect on
        # the way ("/" sends a coordinator on to /rota) every timed request would make a new secret, and sign
        # and send a new cookie, which no browser makes the server do twice.
        for _ in range(5):
            location = urllib.parse.urlsplit(response.getheader("Location") or "/")
            conn.request("GET", location.path + (f"?{location.query}" if location.query else ""),
                         headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
            response = conn.getresponse()
            response.read()
            _cookies(response.getheaders(), jar)
            if response.status not in (301, 302, 303, 307, 308):
                break
    finally:
        conn.close()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def run_wrk(port: int, path: str, seconds: int, cookie: str = "", connections: int = 32,
            authorization: str = "") -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if authorization:
        command += ["-H", f"Authorization: {authorization}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=False).stdout
    result = Result(raw=out)
    if found := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result.rps = float(found.group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for percent, value, unit in _LATENCY.findall(out):
        setattr(result, "p50_ms" if percent == "50" else "p99_ms", float(value) * scale[unit])
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result.errors += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result.errors += sum(int(n) for n in found.groups())
    return result
