"""The deploy/ files are valid as written, and the README's production recipe names only files that exist."""
from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
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
