"""Scheduled jobs as data, declared beside each feature's code (Indico's tasks.py habit)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Job:
    """A job: ``func(now)`` run on a cron schedule; it must be idempotent."""

    id: str
    func: Callable[[datetime], Any]
    cron: dict[str, Any] = field(default_factory=dict)
