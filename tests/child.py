"""Run a child process with a time limit that also holds under CI's faketime pass.

``subprocess.run(..., timeout=…)`` waits for the child with ``time.sleep``
between polls, and under libfaketime with ``DONT_FAKE_MONOTONIC`` (``.ci/run``'s
pass 400 days ahead) that sleep fails with EINVAL whenever the child has not
exited the moment its output ends: three import probes failed so on a busy
machine. Here the child is waited for without a timeout, and a timer (a
condition's timed wait, which works under libfaketime) kills it at the limit.
"""
from __future__ import annotations

import subprocess
import threading
from typing import Any


def run(args: list[str], *, timeout: float, **popen: Any) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(args, capture_output=True, text=True, timeout=timeout, **popen)``, faketime-proof.

    :raises subprocess.TimeoutExpired: the child outlived ``timeout`` seconds (it is killed first).
    """
    overdue = threading.Event()
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen) as child:

        def kill() -> None:
            overdue.set()
            child.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            stdout, stderr = child.communicate()
        finally:
            timer.cancel()
    if overdue.is_set():
        raise subprocess.TimeoutExpired(args, timeout, output=stdout, stderr=stderr)
    return subprocess.CompletedProcess(args, child.returncode, stdout, stderr)
