"""gunicorn settings for the web nodes: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Read by gunicorn itself (not imported by the app). Every value can be set from
the environment so one file serves systemd (deploy/systemd/), a Procfile
platform (PORT) and `make scale-test` (two nodes on two ports).

Why these values:

* workers: the app is synchronous and waits on PostgreSQL, so about two workers
  per core keep a core busy while another waits; each worker holds its own
  SQLAlchemy pool (5 + 10 overflow), which is what the PgBouncer budget in
  docs/SCALING.md counts.
* timeout 30 s: no page should take longer; a worker stuck past it is killed
  and replaced rather than holding a slot behind the balancer. HAProxy's
  `timeout server` (deploy/haproxy.cfg) is longer, so gunicorn gives up first.
* graceful_timeout: on SIGHUP/SIGTERM (`systemctl reload|stop`) workers finish
  the requests in hand before exiting; max_requests (with jitter) recycles
  workers now and then so slow leaks never add up, never all at once.
* forwarded_allow_ips: gunicorn believes X-Forwarded-Proto only from the
  balancer's address; the app's ProxyFix (PROXY_COUNT in config.py) does the
  same for the client address.
* PROMETHEUS_MULTIPROC_DIR: with several workers each process keeps its own
  counters; prometheus_client's multiprocess mode has every worker write them
  to files in this directory and /metrics adds them up. It must be an empty
  directory writable by the service, set before the app is imported: the
  systemd unit points it at /run/volunteers/metrics; unset, one is made
  under the system temp dir for this master. `on_starting` drops the files
  of processes that are gone (a restart counts from zero, which Prometheus
  reads as a counter reset) and `child_exit` tells prometheus_client a worker
  is gone (its live gauges drop). The scheduler on the same machine may write
  to the same directory, so its job figures appear in the node's /metrics.
"""
from __future__ import annotations

import multiprocessing
import os
import tempfile
from pathlib import Path
from typing import Any


def _default_bind() -> str:
    """BIND wins; a platform's PORT (Procfile) listens on all interfaces; else loopback:8000 behind HAProxy."""
    if os.environ.get("BIND"):
        return os.environ["BIND"]
    if os.environ.get("PORT"):
        return f"0.0.0.0:{os.environ['PORT']}"
    return "127.0.0.1:8000"


bind = _default_bind()
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5  # HAProxy reuses connections to the nodes (http-reuse)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# the app writes one JSON line per request (volunteers.operations.requestlog); gunicorn's
# own access log would be a second, unstructured line for the same request
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "volunteers-web")
# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn): two nodes on one
# machine would fight over it, and systemd's signals (reload = HUP) already do what it offers
control_socket_disable = True

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="volunteers-metrics-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server: Any) -> None:
    """Drop the files of processes that are gone (an earlier run of this node) before any worker writes.

    A scheduler on the same machine may share the directory (deploy/systemd/):
    its live files stay, so its job figures survive a restart of the web node.
    """
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*_*.db"):  # prometheus_client's files: <kind>_<pid>.db
        pid = stale.stem.rsplit("_", 1)[-1]
        if not pid.isdigit() or not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """Tell prometheus_client a worker has gone, so its live gauges stop counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
