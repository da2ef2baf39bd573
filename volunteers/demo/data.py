"""The two demo organisations, relative to ``now``: a quarter of history and next month's rota.

``load_demo(now)`` adds and flushes; the caller (the ``demo`` command, or a
test) commits. The same ``now`` always gives the same data: every random
choice comes from a seeded :class:`random.Random`, and every timestamp is
derived from ``now``.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.demo.builder import OrgBuilder
from volunteers.demo.planner import Planner, expand
from volunteers.demo.spec import OrgSpec
from volunteers.demo.surestart import surestart
from volunteers.demo.tackley import tackley
from volunteers.extensions import db
from volunteers.people.passwords import hash_password

SEED = 20261
#: the shared password of the demo logins
PASSWORD = "demo"
#: weeks of worked shifts before ``now``
HISTORY_WEEKS = 13
#: both demo organisations are in England; history and rota follow this zone's calendar
ZONE = ZoneInfo("Europe/London")
LOGINS = {
    "coordinator@tackley.example": "coordinator, Tackley Village Shop",
    "volunteer@tackley.example": "volunteer, Tackley Village Shop",
    "coordinator@surestart.example": "coordinator, Sure Start Gateshead",
    "counsellor@surestart.example": "peer counsellor, Sure Start Gateshead",
    "admin@volunteers.example": "network admin, both organisations",
    "jo.lambert@tackley.example": "volunteer in both organisations (switch between them)",
}


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def load_demo(now: datetime) -> dict:
    """Create both demo organisations and return a summary of what was made.

    History covers the ``HISTORY_WEEKS`` weeks before ``now``; the rota runs
    to the end of next calendar month in each organisation's zone.

    :raises ValueError: for a naive ``now``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("load_demo needs an aware UTC now")
    # One salted hash shared by every demo login: argon2 costs ~0.1 s a hash
    # on purpose, and these accounts share one published password anyway.
    password_hash = hash_password(PASSWORD)
    summary: dict = {"password": PASSWORD, "logins": dict(LOGINS), "organisations": {}}
    for slug, build_spec in (("tackley", tackley), ("surestart", surestart)):
        rng = random.Random(f"{SEED}:{slug}")
        today = now.astimezone(ZONE).date()
        history_start = today - timedelta(weeks=HISTORY_WEEKS)
        spec = build_spec(now, today, history_start, rng)
        summary["organisations"][slug] = _load_one(spec, now, history_start, password_hash, rng)
    db.session.flush()
    return summary


def _load_one(spec: OrgSpec, now: datetime, history_start: date, password_hash: str,
              rng: random.Random) -> dict:
    zone = ZoneInfo(spec.timezone)
    today = now.astimezone(zone).date()
    current_month_end = _month_end(today)
    rota_end = _month_end(current_month_end + timedelta(days=1))
    shifts = Planner(spec, expand(spec, history_start, rota_end), now, current_month_end, rng).run()

    builder = OrgBuilder(spec, now, password_hash)
    org = builder.build_setup()
    builder.build_series(history_start, rota_end)
    counts = builder.build_rota(shifts)
    counts["other_contributions"] = builder.build_extras()
    for step in spec.post_build:  # e.g. Sure Start's mothers, which need the rota's ward rounds
        counts.update(step(org, builder.members, now))

    next_month = [s for s in shifts if s.occurrence.local_date > current_month_end]
    worked = [s for s in shifts if s.occurrence.end_utc <= now]
    return {
        "id": org.id,
        "name": spec.name,
        "members": len(spec.people),
        "history": (history_start.isoformat(), today.isoformat()),
        "rota_until": rota_end.isoformat(),
        **counts,
        "next_month_places": sum(s.pattern.needed for s in next_month),
        "next_month_open_places": sum(s.pattern.needed - s.active for s in next_month),
        "history_places_filled": sum(s.active for s in worked),
        "history_places": sum(s.pattern.needed for s in worked),
        "key_drivers": list(spec.key_drivers),
        "night_heavy": list(spec.night_heavy),
    }
