"""The cover-wave ranking time for a 1,000-person organisation: who a late cancellation asks first.

Run: ``.venv/bin/python benchmarks/bench_cover.py [--people 1000] [--runs 5] [--database-url URL]``.
It builds one organisation of ``--people`` volunteers (pledges of 2–8 hours a
week, a tenth without; two in five with stated weekly availability; one in
twenty on leave that day; a twentieth of key drivers on five shifts a week,
the rest on one to three) with nine weeks worked and three planned, about
25,000 places, then cancels Tuesday's 09:00 shop shift late and times
(median of ``--runs``, best and worst beside it):

* **ranking**: ``selfservice.cover_waves.prospects(want=5)`` — everyone
  eligible in the board's order, judged for load in batches until five
  are found whom taking it would not warn (what each wave runs);
* **first wave**: ``start_cover`` — the ranking plus recording and queuing
  the five asks (rolled back after each run);
* for comparison, **judging everyone eligible** (``prospects`` without
  ``want``: one prospective judgement per person), once.

It also prints how many people were eligible (whom the old call e-mailed
all at once) and the SQL statements each part ran. SQLite (a temporary
file) unless ``--database-url`` names an empty database (tables created and
dropped). Prints only.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert  # noqa: E402

from config import TestingConfig  # noqa: E402
from volunteers.app import create_app  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import local_date  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.people.models import AvailabilityWindow, Leave, Membership, Person  # noqa: E402
from volunteers.rota.models import Assignment, Role, Shift, ShiftOffer, Site  # noqa: E402
from volunteers.selfservice import cover_waves  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday noon
TARGET = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 09:00, inside the 48-hour notice
SLOTS = ((8, 4), (12, 4), (16, 4))  # start hour (UTC, winter), hours
WEEKS_BEFORE, WEEKS_AFTER = 9, 3


def build(people: int, seed: int = 17) -> tuple[Organisation, Shift, ShiftOffer, Membership]:
    """Store the organisation; return it, the target shift, its late cancellation and the giver."""
    rng = Random(seed)
    org = Organisation(slug="bench-cover", name="Bench cover", timezone="Europe/London")
    db.session.add(org)
    db.session.flush()
    roles = [Role(organisation_id=org.id, name=name) for name in ("Shop counter", "Café", "Stockroom")]
    site = Site(organisation_id=org.id, name="Village hall")
    db.session.add_all([*roles, site])
    db.session.flush()
    persons = [Person(email=f"v{n}@bench.example", name=f"Volunteer {n:04d}") for n in range(people)]
    db.session.add_all(persons)
    db.session.flush()
    members = [Membership(organisation_id=org.id, person_id=p.id, role="volunteer", status="active",
                          pledged_hours_per_week=None if rng.random() < 0.1 else Decimal(rng.choice((2, 3, 4, 6, 8))))
               for p in persons]
    db.session.add_all(members)
    db.session.flush()
    first = (NOW - timedelta(weeks=WEEKS_BEFORE)).date()
    shifts: dict[tuple[date, int, int], Shift] = {}
    for offset in range(7 * (WEEKS_BEFORE + WEEKS_AFTER)):
        day = first + timedelta(days=offset)
        for slot, (hour, hours) in enumerate(SLOTS):
            for r, role in enumerate(roles):
                starts = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                shifts[(day, slot, r)] = Shift(
                    organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=starts,
                    ends_at=starts + timedelta(hours=hours), local_date=local_date(starts, org.timezone),
                    needed=60, filled=0, status="planned", published_at=NOW - timedelta(days=90))
    target = Shift(organisation_id=org.id, role_id=roles[0].id, site_id=site.id, starts_at=TARGET,
                   ends_at=TARGET + timedelta(hours=4), local_date=TARGET.date(), needed=1, filled=1,
                   status="planned", published_at=NOW - timedelta(days=30))
    db.session.add_all([*shifts.values(), target])
    db.session.flush()
    places: list[dict[str, Any]] = []
    taken: set[tuple[int, int]] = set()
    for m in members:
        per_week = 5 if rng.random() < 0.05 else rng.choice((1, 1, 2, 2, 3))
        for week in range(WEEKS_BEFORE + WEEKS_AFTER):
            for _ in range(per_week):
                day = first + timedelta(days=7 * week + rng.randrange(7))
                shift = shifts[(day, rng.randrange(len(SLOTS)), rng.randrange(len(roles)))]
                if shift.starts_at.date() == TARGET.date() or (shift.id, m.id) in taken:
                    continue
                taken.add((shift.id, m.id))
                shift.filled += 1
                places.append({"organisation_id": org.id, "shift_id": shift.id, "membership_id": m.id,
                               "status": "attended" if shift.starts_at < NOW else "assigned", "source": "self"})
    giver = members[0]
    places.append({"organisation_id": org.id, "shift_id": target.id, "membership_id": giver.id,
                   "status": "assigned", "source": "self"})
    db.session.execute(insert(Assignment), places)
    windows, leave = [], []
    for m in members[1:]:
        if rng.random() < 0.4:
            for weekday in rng.sample(range(7), 3):
                windows.append(AvailabilityWindow(organisation_id=org.id, membership_id=m.id, weekday=weekday,
                                                  start_time=datetime(2026, 1, 1, 8).time(),
                                                  end_time=datetime(2026, 1, 1, 18).time()))
        if rng.random() < 0.05:
            leave.append(Leave(organisation_id=org.id, membership_id=m.id, starts_on=date(2026, 11, 28),
                               ends_on=date(2026, 12, 6)))
    db.session.add_all([*windows, *leave])
    giver_place = db.session.scalar(db.select(Assignment).where(Assignment.shift_id == target.id))
    assert giver_place is not None
    offer = ShiftOffer(organisation_id=org.id, kind="cancel_request", assignment_id=giver_place.id,
                       shift_id=target.id, status="open", created_at=NOW)
    db.session.add(offer)
    db.session.commit()
    print(f"built: {people:,} people, {len(shifts) + 1:,} shifts, {len(places):,} places, "
          f"{len(windows):,} availability windows, {len(leave):,} on leave that day", flush=True)
    return org, target, offer, giver


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def timed(work: Callable[[], Any], runs: int) -> tuple[list[float], Any, int]:
    times, result, statements = [], None, 0
    for _ in range(runs):
        db.session.expire_all()
        with counting() as ran:
            started = time.perf_counter()
            result = work()
            times.append(time.perf_counter() - started)
        statements = len(ran)
        db.session.rollback()
    return times, result, statements


def line(label: str, times: list[float], statements: int, extra: str = "") -> str:
    return (f"  {label}: median {statistics.median(times) * 1000:,.0f} ms "
            f"(best {min(times) * 1000:,.0f}, worst {max(times) * 1000:,.0f}; {len(times)} runs), "
            f"{statements} SQL statements{extra}")


def run(people: int, runs: int, database_url: str) -> int:
    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        MAIL_BACKEND = "none"

    app = create_app(BenchConfig)
    with app.app_context(), app.test_request_context():
        db.create_all()
        try:
            org, shift, offer, giver = build(people)
            org_id, shift_id, offer_id = org.id, shift.id, offer.id

            def fresh() -> tuple[Organisation, Shift, ShiftOffer]:
                return (db.session.get(Organisation, org_id), db.session.get(Shift, shift_id),  # type: ignore[return-value]
                        db.session.get(ShiftOffer, offer_id))

            def ranking() -> list[Any]:
                o, s, _ = fresh()
                return cover_waves.prospects(o, s, NOW, exclude={giver.id}, want=5)

            def first_wave() -> int:
                o, s, f = fresh()
                return cover_waves.start_cover(o, s, f, NOW)

            def everyone() -> list[Any]:
                o, s, _ = fresh()
                return cover_waves.prospects(o, s, NOW, exclude={giver.id})

            times, wave, statements = timed(ranking, runs)
            print(f"cover-wave ranking, {people:,}-person organisation on {database_url.split(':')[0]}:")
            print(line("ranking (the first five not warned)", times, statements,
                       f"; asks {', '.join(p.name for p, _ in wave)}"))
            times, asked, statements = timed(first_wave, runs)
            print(line("first wave (ranking, record, queue)", times, statements, f"; {asked} asked"))
            times, judged, statements = timed(everyone, 1)
            blocked = sum(1 for p, _ in judged if p.blocked)
            print(line("judging everyone eligible instead", times, statements,
                       f"; {len(judged):,} eligible (the old call e-mailed them all), "
                       f"{blocked:,} of them a warning or worse"))
            return 0
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sys.exit(run(args.people, args.runs, args.database_url or f"sqlite:///{tmp}/cover.sqlite"))


if __name__ == "__main__":
    main()
