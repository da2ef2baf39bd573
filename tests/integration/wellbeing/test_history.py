"""/warnings/history counts a month's warnings by their episodes, leaves withdrawn ones out, and costs the same
statements for many people as for few."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import make_member, make_org, utc
from tests.querycount import statements_run
from volunteers.extensions import db
from volunteers.wellbeing.history import month_load
from volunteers.wellbeing.models import LoadWarning

NOV = (utc(2026, 11, 1), utc(2026, 12, 1))  # Europe/London is on GMT in November
NOW = utc(2026, 12, 7, 12)


def _warning(org, member, rule: str, start: datetime, end: datetime, worst: datetime | None = None,
             status: str = "resolved", reason: str | None = "ended") -> LoadWarning:
    resolved = status == "resolved"
    row = LoadWarning(organisation_id=org.id, membership_id=member.id, rule=rule,
                      episode_key=f"{rule}:{start.date()}", severity="warning", status=status,
                      window_start=worst or start, window_end=(worst or start).replace(hour=23),
                      episode_start=start, episode_end=end, value=16, threshold=15, message="m", evidence={},
                      resolved_reason=reason if resolved else None, resolved_at=NOW if resolved else None)
    db.session.add(row)
    return row


@pytest.fixture()
def office(db, clock, auth):
    clock.now = NOW
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    db.session.commit()
    auth.login("cora@tackley.example")
    return org


def _people(org, n: int, first: int = 0) -> None:
    for k in range(first, first + n):
        member = make_member(org, f"v{k}@example.org", name=f"Volunteer {k}")
        _warning(org, member, "short_rest", utc(2026, 11, 3), utc(2026, 11, 4))  # raised and resolved
        _warning(org, member, "over_pledge", utc(2026, 10, 1), utc(2027, 1, 20), worst=utc(2026, 11, 20),
                 status="open")  # began earlier, worst in November, runs on: worsened, open at the end
    db.session.commit()


def test_each_episode_counts_by_when_it_happened_and_withdrawn_ones_not_at_all(office) -> None:
    _people(office, 1)
    member = make_member(office, "gone@example.org", name="Gone")
    _warning(office, member, "weekly_load", utc(2026, 11, 10), utc(2026, 11, 17), reason="shifts_removed")
    _warning(office, member, "long_duty", utc(2026, 10, 3), utc(2026, 10, 4))  # October's
    db.session.commit()
    load = month_load(office, *NOV, NOW)
    assert load.totals == {"raised": 1, "worsened": 1, "resolved": 1, "open_at_end": 1}
    assert load.by_rule == {"over_pledge": {"raised": 0, "worsened": 1, "resolved": 0, "open_at_end": 1},
                            "short_rest": {"raised": 1, "worsened": 0, "resolved": 1, "open_at_end": 0}}


def test_the_current_month_counts_up_to_now(office) -> None:
    _people(office, 1)
    december = month_load(office, utc(2026, 12, 1), utc(2027, 1, 1), NOW)
    assert december.totals == {"raised": 0, "worsened": 0, "resolved": 0, "open_at_end": 1}


def test_the_history_page_costs_the_same_statements_for_many_people(client, office) -> None:
    _people(office, 2)
    url = "/warnings/history?month=2026-11"
    assert client.get(url).status_code == 200
    with statements_run() as few:
        html = client.get(url).get_data(as_text=True)
    assert "Volunteer 1" in html and 'data-count="raised">2<' in html
    _people(office, 6, first=2)
    with statements_run() as many:
        html = client.get(url).get_data(as_text=True)
    assert 'data-count="raised">8<' in html
    assert len(many) == len(few)


def test_a_month_that_is_not_a_month_shows_this_one(client, office) -> None:
    assert "Load warnings in December 2026" in client.get("/warnings/history?month=2026-13").get_data(as_text=True)
