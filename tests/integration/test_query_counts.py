"""Pages of issue 13 not pinned elsewhere run the same SQL statements for 3 people as for 30.

The others have theirs beside their own tests: /me/shifts and /me/shifts/open
(selfservice/test_my_shifts.py), the week and month board
(rota/test_board.py), /warnings (wellbeing/test_views.py), /people
(test_people_pages.py) and /healthz (test_request_overhead.py).
"""
from __future__ import annotations

from datetime import date, time, timedelta

from flask import g
from flask.testing import FlaskClient

from tests.at_mark import marks_read
from tests.factories import make_member, make_role, make_shift, make_site, put_on
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from tests.integration.rota.conftest import rota
from tests.querycount import statements_run
from volunteers.contributions import services as contributions
from volunteers.core.timeutil import Month, local_date
from volunteers.people import services as people
from volunteers.people.models import AvailabilityWindow, Leave
from volunteers.rota.models import ShiftSeries

HX = {"HX-Request": "true"}
__all__ = ["rota"]  # the rota tests' organisation, as a fixture here too


def _statements(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> list[str]:
    g.__dict__.clear()  # the test's requests share one app context: each request's sign-in read its own
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


def _history(rota, person, today, count: int, clock) -> None:
    """``count`` past places (attended, hours logged) and as many future ones for ``person``."""
    for k in range(count):
        past = make_shift(rota.org, rota.role, rota.site, today - timedelta(days=2 + k), time(9), time(12 + k % 3))
        contributions.record_attendance(rota.org, put_on(past, person), clock.now)
        put_on(make_shift(rota.org, rota.role, rota.site, today + timedelta(days=2 + k), time(9), time(13)), person)
        contributions.log_hours(rota.org, person, today - timedelta(days=3 + k), "2", None, f"stock {k}", clock.now)


def test_my_hours_costs_the_same_statements_for_a_long_history(client, auth, db, rota, clock) -> None:
    today = local_date(clock.now, "Europe/London")
    _history(rota, rota.ann, today, 1, clock)
    db.session.commit()
    auth.login("ann@example.org")
    few = _statements(client, "/me/hours")

    _history(rota, rota.ann, today - timedelta(days=20), 15, clock)
    db.session.commit()
    many = _statements(client, "/me/hours")
    earliest = Month.of(today - timedelta(days=20 + 3 + 14)).name  # the oldest hours: a month the first page lacked
    assert earliest in client.get("/me/hours").get_data(as_text=True)
    assert len(many) == len(few), "\n".join(many)
    # made: the sign-in read (with the organisation's change mark: the page is served at it), the roles and the
    # totals; served at the unchanged mark (contributions.hours_page.BY_MARK): the sign-in read alone
    assert _statements(client, "/me/hours") == many[:marks_read(many) + 1] == many[:-2], "\n".join(many)


def test_a_persons_page_costs_the_same_statements_for_a_long_record(client, auth, db, rota, clock) -> None:
    today = local_date(clock.now, "Europe/London")
    _history(rota, rota.ann, today, 1, clock)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    url = f"/people/{rota.ann.id}"
    few = _statements(client, url)

    _history(rota, rota.ann, today - timedelta(days=20), 15, clock)
    for k in range(6):
        qualification = people.qualification_named(rota.org, f"Certificate {k}")
        assert qualification is not None
        people.set_qualification(rota.org, rota.ann, qualification, today + timedelta(days=30 + k))
        db.session.add(AvailabilityWindow(organisation_id=rota.org.id, membership_id=rota.ann.id,
                                          weekday=k, start_time=time(9), end_time=time(12)))
        db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.ann.id,
                             starts_on=today + timedelta(days=60 + 7 * k), ends_on=today + timedelta(days=62 + 7 * k)))
    db.session.commit()
    many = _statements(client, url)
    assert "Certificate 5" in client.get(url).get_data(as_text=True)
    assert len(many) == len(few), "\n".join(many)
    # made: the sign-in read (with the organisation's change mark: the page is served at it) and the page's four
    # reads; served at the unchanged mark (people.kept_pages.person_at_mark): the sign-in read alone
    assert _statements(client, url) == many[:marks_read(many) + 1] == many[:-4], "\n".join(many)


def test_the_series_list_costs_the_same_statements_for_many_series(client, auth, db, rota, clock) -> None:
    today = local_date(clock.now, "Europe/London")

    def add_series(k: int) -> None:
        role, site = make_role(rota.org, f"Role {k:02}"), make_site(rota.org, f"Site {k:02}")
        db.session.add(ShiftSeries(organisation_id=rota.org.id, role_id=role.id, site_id=site.id,
                                   rrule=f"FREQ=WEEKLY;BYDAY={('MO', 'TU', 'WE', 'TH', 'FR')[k % 5]}",
                                   starts_on=today, start_time=time(9), end_time=time(12), exdates=[],
                                   active=k % 4 != 3))

    add_series(0)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    few = _statements(client, "/rota/series")

    for k in range(1, 12):
        add_series(k)
    db.session.commit()
    many = _statements(client, "/rota/series")
    page = client.get("/rota/series").get_data(as_text=True)
    assert "Role 11" in page and "Site 11" in page
    assert len(many) == len(few), "\n".join(many)
