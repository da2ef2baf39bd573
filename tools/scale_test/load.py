"""Load the scale test's organisations: 24 of them, 5,000+ volunteers, three months of shifts.

    DATABASE_URL=postgresql+psycopg://… .venv/bin/python tools/scale_test/load.py PLAN.json

Why this mix: a realistic network is a few large programmes and many small
ones (one 1,200-volunteer charity, a 600, a 400, a 300, then twenty of 125),
with some people in two organisations. Shifts run from six weeks back to
six weeks ahead (past ones filled; future ones partly open, and a few with
exactly one place left for the sign-up races). Rows go in as bulk INSERTs with
explicit ids, as ``benchmarks/bench_rota.py`` does (an ORM object per row
would take minutes); the sequences are moved past them at the end, so the app
inserts after them. Everyone's password is the same hash: hashing 5,000
Argon2 passwords would take longer than the test.

The plan file tells Locust who to sign in as and which shifts to race for.
"""
from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert, text  # noqa: E402

from config import Config  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import local_date, shift_bounds  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import Membership, Person  # noqa: E402
from volunteers.people.passwords import hash_password  # noqa: E402
from volunteers.rota.models import Assignment, Role, Shift, Site  # noqa: E402

PASSWORD = "scale test password"
SIZES = [1200, 600, 400, 300] + [125] * 20
DAYS_BACK, DAYS_AHEAD = 45, 46
#: people of the second organisation who also volunteer for the third (people belong to several)
SHARED = 100
RACE_SHIFTS = 12
TABLES_WITH_IDS = ("organisations", "roles", "sites", "people", "memberships", "shifts", "assignments")


def build(now: datetime, seed: int = 19) -> dict:
    """Insert everything and return the plan: per organisation, its coordinator and volunteers; race shifts."""
    rng = random.Random(seed)
    hashed = hash_password(PASSWORD)
    plan: dict = {"password": PASSWORD, "organisations": [], "race_shifts": []}
    people: list[dict] = []
    memberships: list[dict] = []
    shifts: list[dict] = []
    places: list[dict] = []
    published = now - timedelta(days=DAYS_BACK + 15)
    for index, size in enumerate(SIZES):
        org = Organisation(slug=f"scale{index:02d}", name=f"Scale Network {index:02d}", timezone="Europe/London",
                           settings={})
        db.session.add(org)
        db.session.flush()
        roles = [Role(organisation_id=org.id, name=n) for n in ("Shop counter", "Café", "Driver")]
        sites = [Site(organisation_id=org.id, name=n) for n in ("High Street", "Community centre")]
        db.session.add_all([*roles, *sites])
        db.session.flush()
        members: list[dict] = []
        for n in range(size):
            person_id = len(people) + 1
            people.append({"id": person_id, "email": f"p{person_id}@scale.example", "name": f"Volunteer {person_id}",
                           "password_hash": hashed})
            members.append({"id": len(memberships) + 1, "organisation_id": org.id, "person_id": person_id,
                            "role": "coordinator" if n == 0 else "volunteer", "status": "active",
                            "pledged_hours_per_week": Decimal(rng.choice([4, 6, 8, 12])), "limits": {},
                            "preferences": {}})
            memberships.append(members[-1])
        if index == 2:  # people of organisation 1 who also give time here
            for shared in plan["organisations"][1]["volunteers"][:SHARED]:
                members.append({"id": len(memberships) + 1, "organisation_id": org.id,
                                "person_id": shared["person_id"], "role": "volunteer", "status": "active",
                                "pledged_hours_per_week": Decimal(6), "limits": {}, "preferences": {}})
                memberships.append(members[-1])
        volunteer_ids = [m["id"] for m in members[1:]]
        today = local_date(now, org.timezone)
        race: list[int] = []
        for offset in range(-DAYS_BACK, DAYS_AHEAD):
            day = today + timedelta(days=offset)
            for n in range(max(2, size // 25)):
                start = clock(8 + (n % 5) * 2)
                starts_at, ends_at = shift_bounds(day, start, clock(start.hour + 2), org.timezone)
                needed = rng.choice([2, 2, 3, 3, 4])
                racing = index == 0 and 2 <= offset <= 9 and len(race) < RACE_SHIFTS and n % 7 == 0
                if racing:
                    filled = needed - 1
                elif offset < 0:
                    filled = needed
                else:
                    filled = rng.randint(0, needed)
                shift_id = len(shifts) + 1
                shifts.append({"id": shift_id, "organisation_id": org.id, "role_id": roles[n % 3].id,
                               "site_id": sites[n % 2].id, "starts_at": starts_at, "ends_at": ends_at,
                               "local_date": day, "needed": needed, "filled": filled, "status": "planned",
                               "published_at": published})
                for member in rng.sample(volunteer_ids, filled):
                    places.append({"id": len(places) + 1, "organisation_id": org.id, "shift_id": shift_id,
                                   "membership_id": member, "status": "attended" if offset < 0 else "assigned",
                                   "source": "coordinator"})
                if racing:
                    race.append(shift_id)
        plan["race_shifts"] += race
        plan["organisations"].append({
            "id": org.id, "slug": org.slug,
            "coordinator": {"email": people[members[0]["person_id"] - 1]["email"], "membership_id": members[0]["id"]},
            "volunteers": [{"email": people[m["person_id"] - 1]["email"], "membership_id": m["id"],
                            "person_id": m["person_id"]} for m in members[1:]],
            "future_shifts": [s["id"] for s in shifts if s["organisation_id"] == org.id and s["starts_at"] > now][:400],
        })
    for model, rows in ((Person, people), (Membership, memberships), (Shift, shifts), (Assignment, places)):
        for chunk in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[chunk:chunk + 5000])
    db.session.commit()
    plan["counts"] = {"organisations": len(SIZES), "people": len(people), "memberships": len(memberships),
                      "shifts": len(shifts), "assignments": len(places)}
    return plan


def move_sequences() -> None:
    """PostgreSQL: the next id the app takes comes after the explicit ones."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in TABLES_WITH_IDS:
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    app = create_app(Config)
    with app.app_context():
        plan = build(datetime.now(UTC))
        move_sequences()
    Path(sys.argv[1]).write_text(json.dumps(plan), encoding="utf-8")
    print("loaded: " + ", ".join(f"{v:,} {k}" for k, v in plan["counts"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
