"""Time rules of volunteer self-service: the notice period and reminder times.

Pure functions (stdlib only), with ``now`` passed in:

* **Notice.** A volunteer may cancel on their own up to ``notice_hours``
  real hours before the shift starts (default 48, organisation setting
  ``self_cancel_notice_hours``); later, cancelling becomes a request the
  coordinator decides. Exactly at the cutoff still counts as in time.
* **Reminders.** A reminder goes ``hours`` before the shift in the
  organisation's wall-clock time (setting ``reminder_hours``, default 24):
  for a 09:00 shift on the Sunday the clocks go back, at 09:00 on the
  Saturday — 25 real hours before — which is what "the day before at the
  same time" means to the people reading it.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

DEFAULT_NOTICE_HOURS = 48
DEFAULT_REMINDER_HOURS = 24
#: reminders further ahead than this are refused as settings (a fortnight)
MAX_REMINDER_HOURS = 14 * 24


def hours_setting(value: Any, default: int, maximum: int = 24 * 365) -> float:
    """Return a non-negative number of hours from an organisation setting, else ``default``.

    Settings are plain JSON edited by people: a string, a negative number or
    nonsense falls back to the default rather than breaking a page or a job.
    """
    try:
        hours = float(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return float(default)
    if not 0 <= hours <= maximum:
        return float(default)
    return hours


def cancel_cutoff(starts_at: datetime, notice_hours: float) -> datetime:
    """Return the last instant at which a volunteer may cancel on their own."""
    return starts_at - timedelta(hours=notice_hours)


def may_self_cancel(starts_at: datetime, now: datetime, notice_hours: float) -> bool:
    """Return whether cancelling at ``now`` is still outside the notice period."""
    return now <= cancel_cutoff(starts_at, notice_hours)


def reminder_due_at(starts_at: datetime, hours: float, tz: tzinfo) -> datetime:
    """Return when the reminder for a shift starting at ``starts_at`` is due (aware UTC).

    ``hours`` are taken off the local wall-clock start, then the result is
    placed back in ``tz`` (a wall time in a spring-forward gap moves on by
    the gap; one in the autumn fold is taken at its first occurrence, as
    ``core.timeutil.local_to_utc`` does).
    """
    local_start = starts_at.astimezone(tz).replace(tzinfo=None)
    wall = (local_start - timedelta(hours=hours)).replace(tzinfo=tz, fold=0)
    return wall.astimezone(UTC)
