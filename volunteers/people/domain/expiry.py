"""When a qualification's expiry reminder is due: 60, 30 and 7 days before, the nearest passed first.

Pure: the job passes the local date. A record whose expiry is 25 days away
is at the 30-day threshold (the 60-day one is past); if the job missed the
day the 30-day threshold was crossed it still sends the 30-day reminder,
once, and never a stale 60-day one after it.
"""
from __future__ import annotations

from datetime import date

#: days before expiry at which the person and the coordinators are reminded
THRESHOLDS = (60, 30, 7)


def due_threshold(expires_on: date, today: date) -> int | None:
    """Return the threshold (60, 30 or 7 days) a record expiring on ``expires_on`` is at on ``today``.

    None when it is further away than the largest threshold or already expired.
    """
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    passed = [t for t in THRESHOLDS if days_left <= t]
    return min(passed) if passed else None


def days_left(expires_on: date, today: date) -> int:
    """Return whole days from ``today`` to the expiry date (0: expires today, negative: lapsed)."""
    return (expires_on - today).days
