"""A shop with a dozen volunteers for cover requests in waves (shared by the wave and text-reply tests).

Ann holds Tuesday 1 December's 09:00–13:00 shop shift and cancels at noon
on Monday 30 November, inside the 48-hour notice. Bob and Cat have no
hours in December; Dee … Kay have 1 … 8 hours booked later in December
(pledge 4 a week), so the board's order is Bob, Cat, Dee, Eve, Fay, Gus,
Hal, Ivy, Jo, Kay, then Helen the coordinator (no pledge). Tina (pledge 20, no December hours) would rank third,
but she worked the five days before: the Tuesday would be her sixth day in
a row (``consecutive_days`` warning), so no wave asks her. Lou is on
leave, Max is on another shift at the same time: neither is eligible.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tests.factories import make_member, put_on, utc
from tests.integration.selfservice.conftest import World, make_world, shift_at
from volunteers.extensions import db as _db
from volunteers.people.models import Leave, Membership
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice.services import cancel

NOW = utc(2026, 11, 30, 12, 0)
LATER = ["Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kay"]
ORDER = ["Bob", "Cat", *LATER, "Helen"]


@dataclass
class Crowd:
    world: World
    shift: Shift
    members: dict[str, Membership]

    def names(self, ids: list[int]) -> list[str]:
        by_id = {m.id: name for name, m in self.members.items()}
        return [by_id[i] for i in ids]


def make_crowd() -> Crowd:
    world = make_world()
    members = {"Ann": world.ann, "Bob": world.bob, "Cat": world.cat, "Helen": world.coordinator}
    world.coordinator.pledged_hours_per_week = None  # no pledge: after everyone who pledged
    for n, name in enumerate(LATER, start=1):
        member = members[name] = make_member(world.org, f"{name.lower()}@example.org", name=name)
        put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 12, 10 + n, 9, 0), hours=n), member)
    tina = members["Tina"] = make_member(world.org, "tina@example.org", name="Tina", pledge=20)
    for day in range(26, 31):
        put_on(shift_at(world.org, world.shop, world.hall, utc(2026, 11, day, 7, 30), hours=2, needed=3), tina)
    lou = members["Lou"] = make_member(world.org, "lou@example.org", name="Lou")
    _db.session.add(Leave(organisation_id=world.org.id, membership_id=lou.id, starts_on=date(2026, 11, 30),
                          ends_on=date(2026, 12, 2)))
    max_ = members["Max"] = make_member(world.org, "max@example.org", name="Max")
    put_on(shift_at(world.org, world.post_office, world.hall, utc(2026, 12, 1, 10, 0), needed=1), max_)
    shift = shift_at(world.org, world.shop, world.hall, utc(2026, 12, 1, 9, 0), needed=1)
    put_on(shift, world.ann)
    _db.session.flush()
    return Crowd(world, shift, members)


def cancel_late(crowd: Crowd, now: datetime = NOW) -> ShiftOffer:
    """Ann cancels inside the notice period: the first wave is asked."""
    place = _db.session.scalar(_db.select(Assignment.id).where(
        Assignment.shift_id == crowd.shift.id, Assignment.membership_id == crowd.world.ann.id))
    assert place is not None
    outcome = cancel(crowd.world.org, crowd.world.ann, place, now)
    assert outcome.status == "requested" and outcome.offer is not None
    return outcome.offer


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
