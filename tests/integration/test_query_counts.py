"""Pages of issue 13 not pinned elsewhere run the same SQL statements for 3 people as for 30.

The others have theirs beside their own tests: /me/shifts and /me/shifts/open
(selfservice/test_my_shifts.py), the week and month board
(rota/test_board.py), /warnings (wellbeing/test_views.py) and /people
(test_people_pages.py).
"""
from __future__ import annotations

from datetime import date, time, timedelta

from flask.testing import FlaskClient

from tests.factories import make_member, make_shift, put_on
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from tests.integration.rota.conftest import rota
from tests.querycount import statements_run
from volunteers.contributions import services as contributions
from volunteers.core.timeutil import local_date
from volunteers.people.models import AvailabilityWindow, Leave

HX = {"HX-Request": "true"}
__all__ = ["rota"]  # the rota tests' organisation, as a fixture here too


def _statements(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> list[str]:
    with statements_run() as statements:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return statements


def test_the_shift_panel_costs_the_same_statements_for_many_candidates(client, auth, db, rota, clock) -> None:
    day = local_date(clock.now, "Europe/London") + timedelta(days=9)
    shift = make_shift(rota.org, rota.role, rota.site, day, time(9), time(13), needed=10)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    urls = [(f"/rota/shifts/{shift.id}", None), (f"/rota/shifts/{shift.id}?all=1&more=1", HX)]
    few = [len(_statements(client, url, headers)) for url, headers in urls]

    for k in range(30):
        person = make_member(rota.org, f"p{k}@example.org", name=f"Person {k:02}", pledge=2 + k % 5)
        for week in range(3):  # places the week and month before: hours to count and load to judge
            earlier = make_shift(rota.org, rota.role, rota.site, day - timedelta(days=1 + 7 * week), time(8),
                                 time(16 + k % 4))
            put_on(earlier, person, status="attended" if earlier.starts_at < clock.now else "assigned")
        if k % 3 == 0:
            db.session.add(AvailabilityWindow(organisation_id=rota.org.id, membership_id=person.id,
                                              weekday=day.weekday(), start_time=time(14), end_time=time(18)))
        if k % 4 == 0:
            db.session.add(Leave(organisation_id=rota.org.id, membership_id=person.id, starts_on=day,
                                 ends_on=day + timedelta(days=2)))
        if k % 5 == 0:
            put_on(shift, person)
    db.session.commit()

    many = [_statements(client, url, headers) for url, headers in urls]
    page = client.get(urls[1][0], headers=HX).get_data(as_text=True)
    assert "Person 29" in page and "Person 04" in page  # shown, eligible or not
    assert [len(statements) for statements in many] == few, "\n".join(many[0])


def test_the_monthly_report_page_costs_the_same_statements_for_many_volunteers(client, auth, db, clock) -> None:
    ledger = make_ledger_org()
    dataset.build(ledger)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    url = "/reports/monthly/2026-10"
    few = len(_statements(client, url))

    decided = dataset.DECIDED
    coordinator = ledger.coordinator.person_id
    for k in range(25):
        person = make_member(ledger.org, f"v{k}@tackley.example", name=f"Volunteer {k:02}")
        for week in range(3):
            shift = make_shift(ledger.org, (ledger.shop, ledger.post_office)[k % 2], ledger.hall,
                               date(2026, 10, 2 + 7 * week + k % 7), time(9), time(12 + k % 3))
            contributions.record_attendance(ledger.org, put_on(shift, person), decided, coordinator)
        logged = contributions.log_hours(ledger.org, person, date(2026, 10, 10 + k % 10), "2", None, "stock", decided)
        contributions.decide(ledger.org, [logged.id], "approved", coordinator, decided)
    db.session.commit()

    many = _statements(client, url)
    assert "Volunteer 24" in client.get(url).get_data(as_text=True)
    assert len(many) == few, "\n".join(many)
