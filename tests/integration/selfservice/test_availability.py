"""Availability and leave pages: the volunteer's own and a coordinator's for anyone; eligibility follows."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import put_on
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db as _db
from volunteers.people import services as people
from volunteers.people.models import Leave
from volunteers.selfservice.services import open_shifts


def test_a_volunteer_sets_their_usual_week(world, client, auth) -> None:
    auth.login("ann@example.org")
    assert client.get("/me/availability").status_code == 200
    response = client.post("/me/availability", data={"pattern": "Mon 09:00-13:00; thu 14:00-18:00"})
    assert response.status_code == 302
    assert str(people.availability_of(world.org, world.ann.id)[1]) == "Thu 14:00-18:00"
    assert "Mon 09:00-13:00; Thu 14:00-18:00" in client.get("/me/availability").get_data(as_text=True)


def test_a_bad_pattern_is_shown_on_the_field_and_nothing_changes(world, client, auth) -> None:
    auth.login("ann@example.org")
    client.post("/me/availability", data={"pattern": "Mon 09:00-13:00"})
    response = client.post("/me/availability", data={"pattern": "Mon 09:00-13:00; Funday 10:00-12:00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&#39;Funday&#39; is not a weekday" in page and 'aria-invalid="true"' in page
    _db.session.expire_all()
    assert [str(w) for w in people.availability_of(world.org, world.ann.id)] == ["Mon 09:00-13:00"]


def test_leave_hides_open_shifts_and_names_shifts_already_held(world, client, auth) -> None:
    now = utcnow()
    open_one = shift_at(world.org, world.shop, world.hall, now + timedelta(days=10))
    held = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(days=11)), world.ann)
    _db.session.commit()
    first, last = local_date(open_one.starts_at, "Europe/London"), local_date(held.shift.starts_at, "Europe/London")
    auth.login("ann@example.org")
    response = client.post("/me/availability/leave", data={"starts_on": first.isoformat(), "ends_on": last.isoformat(),
                                                          "reason": "Holiday"})
    assert response.status_code == 302
    page = client.get("/me/availability").get_data(as_text=True)
    assert "still on 1 shift during this time away" in page and "Holiday" in page
    _db.session.expire_all()
    assert open_one.id not in {i.shift.id for i in open_shifts([world.ann], utcnow())}
    leave = _db.session.scalar(select(Leave))
    assert client.post(f"/me/availability/leave/{leave.id}/remove").status_code == 302
    _db.session.expire_all()
    assert open_one.id in {i.shift.id for i in open_shifts([world.ann], utcnow())}


def test_bad_leave_dates_are_refused_on_the_field(world, client, auth) -> None:
    auth.login("ann@example.org")
    today = local_date(utcnow(), "Europe/London")
    reversed_ = client.post("/me/availability/leave", data={"starts_on": (today + timedelta(days=5)).isoformat(),
                                                           "ends_on": (today + timedelta(days=2)).isoformat()})
    assert reversed_.status_code == 400 and "The last day is before the first" in reversed_.get_data(as_text=True)
    assert client.post("/me/availability/leave", data={"starts_on": "not a date"}).status_code == 400
    past = client.post("/me/availability/leave", data={"starts_on": (today - timedelta(days=9)).isoformat(),
                                                      "ends_on": (today - timedelta(days=8)).isoformat()})
    assert past.status_code == 400 and "already over" in past.get_data(as_text=True)
    assert _db.session.scalar(select(Leave)) is None


def test_a_coordinator_edits_anyones_but_not_another_organisations(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    _db.session.commit()
    auth.login("coord@example.org")
    assert f"/people/{world.bob.id}/availability" in client.get(f"/people/{world.bob.id}").get_data(as_text=True)
    assert client.post(f"/people/{world.bob.id}/availability", data={"pattern": "Sat 08:00-18:00"}).status_code == 302
    assert [str(w) for w in people.availability_of(world.org, world.bob.id)] == ["Sat 08:00-18:00"]
    assert client.get(f"/people/{other.ann.id}/availability").status_code == 404
    assert client.post(f"/people/{other.ann.id}/availability/leave",
                       data={"starts_on": "2030-01-01"}).status_code == 404
    auth.logout()
    auth.login("ann@example.org")
    assert client.get(f"/people/{world.bob.id}/availability").status_code == 403


def test_the_week_is_picked_as_rows_without_javascript(world, client, auth, clock) -> None:
    auth.login("ann@example.org")
    page = client.get("/me/availability").get_data(as_text=True)
    assert 'name="day-0"' in page and 'name="day-2"' in page and 'name="day-3"' not in page  # three blank rows
    saved = client.post("/me/availability", data={
        "day-0": "0", "start-0": "09:00", "end-0": "13:00",
        "day-1": "", "start-1": "", "end-1": "",  # a blank row is skipped
        "day-2": "4", "start-2": "22:00", "end-2": "02:00"})  # past midnight
    assert saved.status_code == 302
    assert [str(w) for w in people.availability_of(world.org, world.ann.id)] == ["Mon 09:00-13:00", "Fri 22:00-02:00"]
    again = client.get("/me/availability").get_data(as_text=True)
    assert '<option value="4" selected>Friday</option>' in again and 'value="22:00"' in again
    assert 'name="day-4"' in again and 'name="day-5"' not in again  # two saved rows, three blank


def test_a_bad_row_is_shown_and_nothing_changes(world, client, auth, clock) -> None:
    auth.login("ann@example.org")
    client.post("/me/availability", data={"pattern": "Mon 09:00-13:00"})  # the typed form still works
    bad = client.post("/me/availability", data={"day-0": "1", "start-0": "10:00", "end-0": "",
                                                 "day-1": "", "start-1": "09:00", "end-1": "12:00"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Row 1: give both times as HH:MM." in page and "Row 2: choose a day." in page
    assert 'aria-invalid="true"' in page and 'value="10:00"' in page  # what was typed stays
    _db.session.expire_all()
    assert [str(w) for w in people.availability_of(world.org, world.ann.id)] == ["Mon 09:00-13:00"]
    # no rows at all: no stated limits
    assert client.post("/me/availability", data={"day-0": "", "start-0": "", "end-0": ""}).status_code == 302
    assert people.availability_of(world.org, world.ann.id) == ()


def test_a_coordinator_picks_a_members_week(world, client, auth, clock) -> None:
    auth.login("coord@example.org")
    response = client.post(f"/people/{world.bob.id}/availability",
                           data={"day-0": "6", "start-0": "00:00", "end-0": "00:00"})
    assert response.status_code == 302
    assert [str(w) for w in people.availability_of(world.org, world.bob.id)] == ["Sun 00:00-24:00"]
