"""A short shift across the hour the clocks go back: /me/shifts/open answers, never a 500 (unit tests: rota's check).

01:30 BST to 01:10 GMT on Sunday 25 Oct 2026 lasts forty minutes but ends, on
the wall clock, before it starts; ``covers`` raised for it ("shift ends before
it starts"), and that reached the volunteer's open-shifts page as a 500.
"""
from __future__ import annotations

from tests.factories import utc
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.people import services as people
from volunteers.people.domain.availability import parse_availability
from volunteers.selfservice.services import open_shifts

NOW = utc(2026, 10, 20, 8)  # Tuesday 20 Oct 2026, a few days before the clocks go back
FOLD_START = utc(2026, 10, 25, 0, 30)  # 01:30 BST


def _fold_shift(world):
    return shift_at(world.org, world.shop, world.hall, FOLD_START, hours=40 / 60)


def test_open_shifts_page_answers_across_the_repeated_hour(db, client, auth, clock) -> None:
    clock.now = NOW
    world = make_world()
    shift = _fold_shift(world)
    people.set_availability(world.org, world.ann, parse_availability("Sun 01:00-02:00"))
    people.set_availability(world.org, world.bob, parse_availability("Sun 01:30-02:00"))
    db.session.commit()
    assert world.org.timezone == "Europe/London"
    assert shift.id in {item.shift.id for item in open_shifts([world.ann], NOW)}
    assert shift.id not in {item.shift.id for item in open_shifts([world.bob], NOW)}  # misses 01:00-01:10 GMT
    for email in ("ann@example.org", "bob@example.org"):
        auth.login(email)
        response = client.get("/me/shifts/open")
        assert response.status_code == 200, email
        auth.logout()
