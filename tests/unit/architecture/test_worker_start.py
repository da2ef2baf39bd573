"""A web worker freezes what the app is made of out of the garbage collector's reach (``wsgi.py``).

Without it, a full collection walked the ~150,000 objects of the modules, mapped classes and compiled
templates and statements every few hundred requests, inside someone's request (~170 ms on this machine).
The probe imports ``wsgi`` in a fresh interpreter, as gunicorn's worker does.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from tests import child

ROOT = Path(__file__).resolve().parents[3]
PROBE = "import gc, wsgi; print(gc.get_freeze_count(), wsgi.app.name)"


def test_a_worker_s_start_up_objects_are_frozen() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_RUN_FROM_CLI", "FLASK_DEBUG")}
    env |= {"SECRET_KEY": "a-worker-secret-long-enough-for-production", "DATABASE_URL": "sqlite://",
            "SCHEDULER_ENABLED": "0"}
    done = child.run([sys.executable, "-c", PROBE], cwd=ROOT, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    frozen, name = done.stdout.split()[-2:]
    assert name == "volunteers.app"
    assert int(frozen) > 50_000  # the app's own objects, not a handful
