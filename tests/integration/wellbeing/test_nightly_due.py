"""The nightly scan judges only the people due, and leaves the warnings exactly as a full scan would.

A helpline organisation of shop volunteers, key drivers, night workers and
counsellors lives through four weeks: each day a coordinator changes
something (a place taken or given up, a shift moved, a pledge or a
supervision recorded) and commits, then the night's scan runs. After every
night the open warnings must be those a full scan of everyone would find.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

from tests.factories import make_member, put_on
from tests.integration.wellbeing.conftest import Helpline
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing.models import LoadRecheck, LoadWarning
from volunteers.wellbeing.scan import judge, scan, scan_due
from volunteers.wellbeing.services import nightly_scan
from volunteers.wellbeing.warning_rows import fingerprint

LONDON = ZoneInfo("Europe/London")
#: a Wednesday; the four weeks that follow cross the October clock change
FIRST_NIGHT = datetime(2026, 10, 7, 2, 15, tzinfo=LONDON)


def _expected(org, now: datetime) -> set[tuple[int, str, str, bool]]:
    found = judge(org, None, now).found
    return {(m, w.rule, fingerprint(w), w.prospective) for m, warnings in found.items() for w in warnings}


def _stored(db, org) -> set[tuple[int, str, str, bool]]:
    return set(db.session.execute(
        select(LoadWarning.membership_id, LoadWarning.rule, LoadWarning.fingerprint, LoadWarning.prospective)
        .where(LoadWarning.organisation_id == org.id, LoadWarning.status != "resolved")).all())


class Rota:
    """Random places for a mixed population, and the day-to-day changes a coordinator makes."""

    def __init__(self, helpline: Helpline, seed: int) -> None:
        self.h, self.rng = helpline, Random(seed)
        self.people: list[Membership] = []

    def place(self, member: Membership, day: date, start: str, hours: float, role: str) -> None:
        role_obj = {"shop": self.h.shop, "night": self.h.on_call, "ward": self.h.ward}[role]
        begin = datetime.combine(day, time.fromisoformat(start), tzinfo=LONDON)
        end = (begin.astimezone(ZoneInfo("UTC")) + timedelta(hours=hours)).astimezone(LONDON)
        shift = self.h.shift(day, start, end.strftime("%H:%M"), role_obj, needed=1)
        put_on(shift, member, status="attended" if begin < FIRST_NIGHT else "assigned")

    def populate(self) -> None:
        rng, first = self.rng, FIRST_NIGHT.date() - timedelta(days=90)
        for k in range(18):
            kind = ("shop", "driver", "nights", "counsellor")[k % 4]
            member = make_member(self.h.org, f"p{k}@example.org", password=None,
                                 pledge=rng.choice([None, 3, 6]) if kind != "driver" else 6)
            if kind == "counsellor" and rng.random() < 0.7:
                member.last_supervised_on = first + timedelta(days=rng.randrange(0, 80))
            self.people.append(member)
            for offset in range(130):
                day = first + timedelta(days=offset)
                if kind == "shop" and rng.random() < 0.25:
                    self.place(member, day, rng.choice(["09:00", "13:00"]), rng.choice([3, 4, 5]), "shop")
                elif kind == "driver" and rng.random() < 0.6:
                    self.place(member, day, "08:00", rng.choice([6, 8, 9]), "shop")
                elif kind == "nights" and rng.random() < 0.3:
                    self.place(member, day, "23:00", 8, "night")
                elif kind == "counsellor" and rng.random() < 0.2:
                    self.place(member, day, "10:00", rng.choice([3, 5]), "ward")

    def change_something(self, db, today: date) -> None:
        """Make one of a coordinator's everyday changes (through the ORM, as the pages do)."""
        rng, member = self.rng, self.rng.choice(self.people)
        choice = rng.randrange(5)
        if choice == 0:  # an extra place, soon
            day = today + timedelta(days=rng.randrange(0, 10))
            self.place(member, day, rng.choice(["08:00", "23:00"]), rng.choice([5, 9]),
                       rng.choice(["shop", "night", "ward"]))
        elif choice in (1, 2):  # a place given up, or a shift moved by two hours
            future = list(db.session.scalars(
                select(Assignment).join(Shift, Shift.id == Assignment.shift_id)
                .where(Assignment.membership_id == member.id, Assignment.status == "assigned",
                       Shift.starts_at > datetime.combine(today, time(12), tzinfo=LONDON))))
            if future:
                assignment = rng.choice(future)
                if choice == 1:
                    assignment.status = "cancelled"
                else:
                    shift = db.session.get(Shift, assignment.shift_id)
                    shift.starts_at += timedelta(hours=2)
                    shift.ends_at += timedelta(hours=2)
        elif choice == 3:
            member.pledged_hours_per_week = Decimal(rng.choice([2, 4, 10]))
        else:
            member.last_supervised_on = today


@pytest.mark.parametrize("seed", [1, 2])
def test_each_night_leaves_the_warnings_a_full_scan_would(db, helpline, clock, seed: int) -> None:
    clock.now = FIRST_NIGHT - timedelta(days=1)
    rota = Rota(helpline, seed)
    rota.populate()
    db.session.commit()
    scan(helpline.org, FIRST_NIGHT - timedelta(days=1))  # where the service starts: everyone judged once
    db.session.commit()
    judged_nightly = []
    for night in range(28):
        tonight = FIRST_NIGHT + timedelta(days=night)
        clock.now = tonight - timedelta(hours=10)  # the day before: a coordinator at work
        for _ in range(rota.rng.randrange(0, 3)):
            rota.change_something(db, clock.now.date())
        db.session.commit()  # re-judges the people changed, as of then
        clock.now = tonight
        result = nightly_scan(helpline.org, tonight)
        db.session.commit()
        if tonight.weekday() != 6:
            judged_nightly.append(result.people)
        stored, expected = _stored(db, helpline.org), _expected(helpline.org, tonight)
        assert stored == expected, (tonight, sorted(stored ^ expected))
    assert max(judged_nightly) < len(rota.people)  # the nightly scan does not judge everyone
    assert sum(judged_nightly) > 0


def test_warnings_from_before_rechecks_are_judged_by_the_next_nightly_scan(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, FIRST_NIGHT.date() - timedelta(days=3), 3, status="attended")
    scan(helpline.org, FIRST_NIGHT)
    db.session.execute(delete(LoadRecheck))  # as a database upgraded from before rechecks were kept
    for assignment in db.session.scalars(select(Assignment)):
        assignment.status = "cancelled"
    db.session.flush()
    db.session.info.pop("volunteers.rescan", None)  # a change no commit re-judged
    result = scan_due(helpline.org, FIRST_NIGHT + timedelta(days=1))
    assert (result.people, result.resolved, result.open) == (1, 1, 0)
