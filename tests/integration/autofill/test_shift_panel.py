"""Filling a gap from the board: open the shift, pick a candidate, assign — with overrides when needed."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on
from volunteers.core.models import AuditLogEntry
from volunteers.core.timeutil import local_date, utcnow
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Leave
from volunteers.rota.models import Assignment, Shift

HX = {"HX-Request": "true"}


def soon() -> date:
    return local_date(utcnow(), "Europe/London") + timedelta(days=9)


@pytest.fixture()
def gap(rota, auth, db):
    shift = make_shift(rota.org, rota.role, rota.site, soon(), needed=2)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return rota, shift


def live(db, shift_id: int) -> set[int]:
    return set(db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift_id, Assignment.status != "cancelled")))


def test_a_gap_is_filled_from_the_board_in_three_clicks(client, gap, db) -> None:
    rota, shift = gap
    board = client.get(f"/rota?week={shift.local_date.isoformat()}").get_data(as_text=True)
    # click 1: the shift's card opens its panel
    opened = re.search(rf'hx-get="(/rota/shifts/{shift.id})"', board).group(1)
    panel = client.get(opened, headers=HX).get_data(as_text=True)
    assert "<html" not in panel and "Who could take it" in panel
    assert "Bob Baker" in panel and "0 h" in panel and "of 4 h" in panel  # the candidate's load against the pledge
    # click 2: the candidate's Assign button
    assert re.search(r'aria-label="Assign Bob Baker"', panel)
    response = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id}, headers=HX)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "rota-changed"
    assert "Bob Baker is on the shift." in response.get_data(as_text=True)
    assert live(db, shift.id) == {rota.ann.id, rota.bob.id}
    # the board shows it full
    again = client.get(f"/rota?week={shift.local_date.isoformat()}", headers=HX).get_data(as_text=True)
    assert "2/2" in again and "to fill" not in again


def test_without_javascript_assigning_redirects_back_to_the_shift_page(client, gap, db) -> None:
    rota, shift = gap
    page = client.get(f"/rota/shifts/{shift.id}").get_data(as_text=True)
    assert "<html" in page and "Back to the board" in page
    response = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id})
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith(f"/rota/shifts/{shift.id}")


def test_ineligible_people_are_shown_with_reasons_and_need_a_reason_to_assign(client, gap, db) -> None:
    rota, shift = gap
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.bob.id, starts_on=shift.local_date,
                         ends_on=shift.local_date))
    db.session.commit()
    panel = client.get(f"/rota/shifts/{shift.id}", headers=HX).get_data(as_text=True)
    assert 'aria-label="Assign Bob Baker"' not in panel
    shown = client.get(f"/rota/shifts/{shift.id}?all=1", headers=HX).get_data(as_text=True)
    assert "Bob Baker</strong>: on leave" in shown
    asked = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id}, headers=HX)
    assert asked.status_code == 200 and "can't normally take this shift" in asked.get_data(as_text=True)
    assert live(db, shift.id) == {rota.ann.id}
    empty = client.post(f"/rota/shifts/{shift.id}/assign",
                        data={"membership_id": rota.bob.id, "confirming": "1", "reason": "  "}, headers=HX)
    assert empty.status_code == 422 and "Give a reason to go ahead." in empty.get_data(as_text=True)
    done = client.post(f"/rota/shifts/{shift.id}/assign",
                       data={"membership_id": rota.bob.id, "confirming": "1", "reason": "Swapped his leave day"},
                       headers=HX)
    assert done.status_code == 200 and live(db, shift.id) == {rota.ann.id, rota.bob.id}
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "rota.assign_override"))
    assert entry.reason == "Swapped his leave day" and entry.actor_person_id == rota.coordinator.person_id


def test_a_full_shift_says_so(client, gap, db) -> None:
    rota, shift = gap
    put_on(db.session.get(Shift, shift.id), rota.cat)
    db.session.commit()
    response = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id}, headers=HX)
    assert response.status_code == 409 and "just been filled" in response.get_data(as_text=True)


def test_remove_someone_from_a_shift(client, gap, db) -> None:
    rota, shift = gap
    assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.shift_id == shift.id))
    response = client.post(f"/rota/assignments/{assignment_id}/remove", headers=HX)
    assert response.status_code == 200 and "the place is open again" in response.get_data(as_text=True)
    assert live(db, shift.id) == set()
    assert db.session.get(Shift, shift.id).filled == 0


def test_change_needed_and_refuse_below_the_people_on_it(client, gap, db) -> None:
    rota, shift = gap
    assert client.post(f"/rota/shifts/{shift.id}/needed", data={"needed": "3"}, headers=HX).status_code == 200
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).needed == 3
    put_on(db.session.get(Shift, shift.id), rota.bob)
    db.session.commit()
    refused = client.post(f"/rota/shifts/{shift.id}/needed", data={"needed": "1"}, headers=HX)
    assert refused.status_code == 422 and "remove someone first" in refused.get_data(as_text=True)


def test_cancel_a_shift_from_its_page_tells_the_people_on_it(client, gap, db) -> None:
    rota, shift = gap
    response = client.post(f"/rota/shifts/{shift.id}/cancel", data={"reason": "Hall closed"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).status == "cancelled"
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == "ann@example.org" and "Hall closed" in message.body_text


def test_add_a_one_off_shift_and_refuse_a_bad_one(client, gap, db) -> None:
    rota, _ = gap
    day = soon() + timedelta(days=1)
    assert f'value="{day.isoformat()}"' in client.get(f"/rota/shifts/new?day={day.isoformat()}").get_data(as_text=True)
    ok = client.post("/rota/shifts/new", data={"day": day.isoformat(), "start_time": "22:00", "end_time": "06:00",
                                                "role_id": rota.role.id, "site_id": rota.site.id, "needed": "1"})
    assert ok.status_code == 302
    made = db.session.scalar(select(Shift).where(Shift.local_date == day))
    assert made.series_id is None and made.hours in (8, 9, 7)
    bad = client.post("/rota/shifts/new", data={"day": day.isoformat(), "start_time": "09:00", "end_time": "12:00",
                                                 "role_id": rota.role.id, "site_id": rota.site.id, "needed": "0"})
    assert bad.status_code == 422 and 'id="needed-error"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 2
