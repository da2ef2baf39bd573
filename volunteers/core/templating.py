"""Jinja filters and globals: local times in the organisation's zone, nav state."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g


def _org_zone() -> ZoneInfo:
    membership = getattr(g, "membership", None)
    name = membership.organisation.timezone if membership is not None else "Europe/London"
    return ZoneInfo(name)


def local_dt(value: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """Format an aware UTC instant in the current organisation's zone."""
    if value is None:
        return ""
    return value.astimezone(_org_zone()).strftime(fmt)


def local_time(value: datetime | None) -> str:
    return local_dt(value, "%H:%M")


def nice_date(value: date | None, fmt: str = "%a %-d %b %Y") -> str:
    return value.strftime(fmt) if value else ""


def hours(value: float | None) -> str:
    """Format hours the way people say them: 3 h, 3.5 h, 0.25 h."""
    if value is None:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


def register(app: Flask) -> None:
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["nice_date"] = nice_date
    app.jinja_env.filters["hours"] = hours
