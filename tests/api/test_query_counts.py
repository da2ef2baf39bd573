"""The API's lists run as many SQL statements for many rows as for a few (no N+1 behind a page of JSON)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import make_member, make_shift, put_on
from tests.querycount import statements_run
from volunteers.contributions import services as contributions
from volunteers.extensions import db
from volunteers.peersupport import casework
from volunteers.wellbeing.models import LoadWarning

from .conftest import World

#: (token owner, list path): each is read with the fixture's rows, then with many more
LISTS = [
    ("volunteer", "/api/v1/me/shifts"),
    ("volunteer", "/api/v1/me/shifts/open"),
    ("volunteer", "/api/v1/me/hours"),
    ("coordinator", "/api/v1/shifts?from=2026-12-01&to=2026-12-31"),
    ("coordinator", "/api/v1/people"),
    ("coordinator", "/api/v1/warnings?status=all"),
    ("volunteer", "/api/v1/cases"),
    ("coordinator", "/api/v1/cases?status=all"),
    ("coordinator", "/api/v1/cases/due?status=all"),
]


def _count(call, world: World, who: str, path: str) -> tuple[int, int]:
    """Return (SQL statements, rows listed) of one call."""
    token = world.coordinator_token if who == "coordinator" else world.volunteer_token
    with statements_run() as statements:
        response = call("GET", path, token)
    assert response.status_code == 200
    return len(statements), len(response.get_json()["items"])


def _grow(world: World, now) -> None:
    """Ten more shifts (half with the volunteer on), members, hours the volunteer logged, warnings and
    mothers the volunteer supports."""
    role, site = world.shift.role, world.shift.site
    for n in range(10):
        shift = make_shift(world.org, role, site, world.shift.local_date + timedelta(days=n + 1), needed=3)
        shift.published_at = world.shift.published_at
        if n % 2:
            put_on(shift, world.volunteer)
        extra = make_member(world.org, f"extra{n}@example.org", password=None)
        put_on(shift, extra)
        contributions.log_hours(world.org, world.volunteer, world.shift.local_date - timedelta(days=n + 5), "1",
                                None, None, now)
        db.session.add(LoadWarning(organisation_id=world.org.id, membership_id=extra.id, rule="weekly_load",
                                   episode_key=f"weekly_load:{n}", severity="warning", status="acknowledged",
                                   window_start=now - timedelta(days=7), window_end=now, value=16, threshold=15,
                                   message="16 h of load in 7 days", evidence={}))
        casework.register(world.org, casework.NewCase(f"EXTRA-{n}", "Mia", world.shift.local_date - timedelta(
            days=20 + n), None, None, None, None, None, world.volunteer.id), now=now, actor=world.coordinator)
    db.session.commit()


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_list_takes_the_same_statements_for_more_rows(world: World, call, clock, who: str, path: str) -> None:
    _count(call, world, who, path)  # warm: caches filled, and the token's last use written (once a minute)
    before, rows_before = _count(call, world, who, path)
    _grow(world, clock.now)
    after, rows_after = _count(call, world, who, path)
    assert rows_after >= rows_before + 3 and after == before
