"""Run many callers at once against one shift, then read what the database holds.

The race tests (hand sign-ups in rota, swaps in selfservice, sign-ups through
the API) all start every thread before joining any, and judge by the shift's
live assignments and its ``filled`` counter read afresh.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from volunteers.extensions import db
from volunteers.rota.models import Assignment, Shift


def at_once(target: Callable[[Any], None], args: Iterable[Any]) -> None:
    """Call ``target(arg)`` for every arg in its own thread, all started before any is joined."""
    threads = [threading.Thread(target=target, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def places_on(app: Flask, shift_id: int) -> tuple[int, int]:
    """Return the shift's live (not cancelled) assignments and its ``filled`` counter."""
    with app.app_context():
        live = db.session.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.shift_id == shift_id, Assignment.status != "cancelled"))
        shift = db.session.get(Shift, shift_id)
        assert shift is not None
        return int(live or 0), shift.filled
