"""Small builders for the wellbeing unit tests: shifts in local time, schedules, worst severities.

Imported by the test modules beside it (pytest puts this directory on
``sys.path``); named uniquely so it cannot clash with other test folders.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.wellbeing import (
    LoadWarning,
    Policy,
    ShiftSpan,
    VolunteerSchedule,
    evaluate_volunteer,
    max_severity,
)

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
DEFAULT_AS_OF = "2027-06-01 12:00"


def at(text: str, tz: ZoneInfo = LONDON) -> datetime:
    """Return the local wall-clock time ``"2026-11-02 09:00"`` in ``tz``."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def shift(start: str, end: str | None = None, *, hours: float | None = None, role: str = "Shop counter",
          intensity: float = 1.0, on_call: bool = False, ref: str | None = None,
          tz: ZoneInfo = LONDON) -> ShiftSpan:
    """Return a shift from local ``start``: to local ``end`` ("HH:MM" the same or next day, or a full
    date-time), or lasting ``hours`` of real time."""
    begin = at(start, tz)
    if hours is not None:
        finish = datetime.fromtimestamp(begin.timestamp() + hours * 3600, tz)
    elif end is not None and len(end) <= 5:
        finish = at(f"{start[:10]} {end}", tz)
        if finish <= begin:
            finish = at(f"{(begin.date() + timedelta(days=1)).isoformat()} {end}", tz)
    else:
        assert end is not None
        finish = at(end, tz)
    return ShiftSpan(start=begin, end=finish, role=role, intensity=intensity, on_call=on_call, ref=ref)


def daily(first: str, count: int, start: str, end: str, *, step: int = 1,
          **kwargs: object) -> list[ShiftSpan]:
    """Return ``count`` shifts ``start``–``end`` local, every ``step`` days from date ``first``."""
    day = date.fromisoformat(first)
    return [shift(f"{day + timedelta(days=k * step)} {start}", end, **kwargs)
            for k in range(count)]


def person(*shifts: ShiftSpan | Iterable[ShiftSpan], pledge: float | None = None,
           supervised: str | None = None, ident: str = "v") -> VolunteerSchedule:
    """Return a schedule of the given shifts (lists are flattened)."""
    flat: list[ShiftSpan] = []
    for item in shifts:
        flat.extend([item] if isinstance(item, ShiftSpan) else item)
    return VolunteerSchedule(id=ident, pledged_hours_per_week=pledge, shifts=tuple(flat),
                             last_supervised_on=date.fromisoformat(supervised) if supervised else None)


def check(schedule: VolunteerSchedule, *, as_of: str = DEFAULT_AS_OF, policy: Policy | None = None,
          tz: ZoneInfo = LONDON) -> list[LoadWarning]:
    """Return the warnings of ``schedule`` judged at local ``as_of``."""
    return evaluate_volunteer(schedule, at(as_of, tz), tz, policy or Policy())


def of_rule(warnings: Iterable[LoadWarning], rule: str) -> list[LoadWarning]:
    """Return the warnings of one rule."""
    return [w for w in warnings if w.rule == rule]


def worst(warnings: Iterable[LoadWarning]) -> dict[str, str]:
    """Return rule → highest severity."""
    found: dict[str, str] = {}
    for warning in warnings:
        worse = max_severity([found.get(warning.rule), warning.severity])
        found[warning.rule] = worse or warning.severity
    return found


def severity(schedule: VolunteerSchedule, rule: str, **kwargs: object) -> str | None:
    """Return the highest severity ``rule`` reaches for ``schedule`` (``None`` when silent)."""
    return worst(check(schedule, **kwargs)).get(rule)
