"""The deploy/ files are valid as written, and the README's production recipe names only files that exist."""
from __future__ import annotations

import contextlib
import os
import re
import runpy
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def _gunicorn_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> dict:
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_listens_behind_the_balancer_by_default_and_on_a_platform_s_port(monkeypatch, tmp_path) -> None:
    settings = _gunicorn_settings(monkeypatch, tmp_path)
    assert settings["bind"] == "127.0.0.1:8000"
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert settings["timeout"] < 40  # HAProxy's timeout server is 40 s: gunicorn gives up first
    assert _gunicorn_settings(monkeypatch, tmp_path, PORT="5100")["bind"] == "0.0.0.0:5100"
    assert _gunicorn_settings(monkeypatch, tmp_path, BIND="127.0.0.1:9001", PORT="5100")["bind"] == "127.0.0.1:9001"


def test_gunicorn_start_keeps_the_metrics_of_live_processes_only(monkeypatch, tmp_path) -> None:
    settings = _gunicorn_settings(monkeypatch, tmp_path)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    live, dead = metrics / f"counter_{os.getpid()}.db", metrics / "counter_999999999.db"
    live.write_bytes(b"x")
    dead.write_bytes(b"x")
    settings["on_starting"](None)
    assert live.exists() and not dead.exists()


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="Debian's haproxy is not installed")
def test_haproxy_accepts_the_configuration_with_one_node_and_with_two(tmp_path: Path) -> None:
    for extra in ({}, {"WEB2": "127.0.0.1:8001", "BIND": "127.0.0.1:8080"}):
        checked = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], capture_output=True,
                                 text=True, env={**os.environ, **extra}, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_readme_production_recipe_names_files_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"deploy/[\w./-]+\w", section))
    assert {"deploy/gunicorn.conf.py", "deploy/haproxy.cfg"} <= named
    for path in named:
        assert (ROOT / path).exists(), path
    for unit in ("volunteers-web.service", "volunteers-scheduler.service"):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        assert "ExecStart=/opt/volunteers/.venv/bin/" in text and "EnvironmentFile=/etc/volunteers/env" in text
    assert "gunicorn -c deploy/gunicorn.conf.py wsgi:app" in (DEPLOY / "Procfile").read_text(encoding="utf-8")


def _pause(seconds: float) -> None:
    """Wait without ``time.sleep`` or a timed ``Popen.wait``: under CI's faketime pass (libfaketime with
    DONT_FAKE_MONOTONIC) both fail with EINVAL, while an event's timed wait works."""
    threading.Event().wait(seconds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="Debian's haproxy is not installed")
def test_haproxy_logs_the_client_network_and_no_secret_of_a_path() -> None:
    """The balancer's log keeps what the app's request log keeps: a /24, no query string, no link's secret.

    Nothing listens on the node's port, so every request is answered 503 by HAProxy itself; the line is
    written all the same, which is what is read here.
    """
    port = _free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}", "WEB1": f"127.0.0.1:{_free_port()}"}
    proxy = subprocess.Popen(["haproxy", "-f", str(DEPLOY / "haproxy.cfg")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    paths = ["/calendar/Zm9vYmFy-secret.ics?x=1", "/password/reset/reset-secret", "/invite/invite-secret",
             "/me/shifts?undo=undo-secret", "/rota/shifts/12", "/%63alendar/encoded-secret.ics",
             "//calendar/doubled-secret.ics", "/calendar//inner-secret.ics", "/password//reset/reset2-secret",
             "/password/reset//reset3-secret", "/invite//invite2-secret", "/calendar/%2Fslash-secret.ics"]
    try:
        for _ in range(50):  # up within a second or so
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            _pause(0.1)
        for path in paths:
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).close()
        refused = []  # the node-only paths, spelt as the app would still read them
        for path in ("/%72eadyz", "//metrics", "/readyz", "/%6Detrics"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).close()
            except urllib.error.HTTPError as error:
                refused.append(error.code)
    finally:
        proxy.terminate()
        output, _ = proxy.communicate()  # haproxy stops on SIGTERM; no timed wait (see _pause)
    assert refused == [404, 404, 404, 404]  # denied here, not passed on (the node would have been a 503)
    # HAProxy's threads write a session's line when it ends, so two sequential requests' lines may come in either
    # order: each line is compared, in order of its text. The node-only paths are logged as "-" (their lines, the
    # last of which may not be written before haproxy stops, are left to the 404s above)
    lines = [line for line in output.splitlines() if '"GET ' in line and '"GET - ' not in line]
    assert sorted(line.split('"GET ', 1)[1] for line in lines) == sorted([
        "/calendar/- HTTP/1.1\"", "/password/reset/- HTTP/1.1\"", "/invite/- HTTP/1.1\"",
        "/me/shifts HTTP/1.1\"", "/rota/shifts/12 HTTP/1.1\""] + ["/calendar/- HTTP/1.1\""] * 3 + [
        "/password/reset/- HTTP/1.1\""] * 2 + ["/invite/- HTTP/1.1\"", "/calendar/- HTTP/1.1\""])
    assert all(line.startswith("127.0.0.0 ") for line in lines)  # the network, not 127.0.0.1
    assert "secret" not in output and "127.0.0.1" not in output.replace(f"127.0.0.1:{port}", "")


@pytest.mark.skipif(shutil.which("haproxy") is None or shutil.which("openssl") is None,
                    reason="Debian's haproxy and openssl are needed")
def test_haproxy_logs_a_failed_tls_handshake_with_the_network_only(tmp_path: Path) -> None:
    """A connection that fails before its request is logged by ``error-log-format``, not ``log-format``."""
    key, cert, pem = tmp_path / "k.pem", tmp_path / "c.pem", tmp_path / "both.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert), "-days", "2"], check=True, capture_output=True)
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    tls_port = _free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{_free_port()}", "WEB1": f"127.0.0.1:{_free_port()}",
           "TLS_BIND": f"127.0.0.1:{tls_port}", "TLS_CERT": str(pem)}
    proxy = subprocess.Popen(["haproxy", "-f", str(DEPLOY / "haproxy.cfg")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", tls_port)) == 0:
                    break
            _pause(0.1)
        with socket.create_connection(("127.0.0.1", tls_port), timeout=5) as plain:  # plain HTTP to the TLS port
            plain.sendall(b"GET / HTTP/1.0\r\n\r\n")
            with contextlib.suppress(OSError):
                plain.recv(10)
        _pause(0.3)
    finally:
        proxy.terminate()
        output, _ = proxy.communicate()  # haproxy stops on SIGTERM; no timed wait (see _pause)
    failed = [line for line in output.splitlines() if "handshake" in line.lower()]
    assert failed and all(line.startswith("127.0.0.0 ") for line in failed), output
    assert "127.0.0.1:" not in "\n".join(failed)
