"""Coordinator pages: attendance with one click for everyone, approvals in bulk, the ledger, the rate card."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.clock import DEFAULT_NOW
from tests.factories import make_shift, put_on
from tests.integration.reports.helpers import make_ledger_org
from volunteers.contributions import services
from volunteers.contributions.models import Contribution, RateCardEntry
from volunteers.rota.models import Assignment


def _yesterday() -> date:
    """The day before the tests' clock (``clock`` fixture, tests/clock.py)."""
    return (DEFAULT_NOW - timedelta(days=1)).date()


@pytest.fixture()
def worked(db, ledger, clock):
    """Yesterday's 09:00-13:00 shift with Ann and Bob on it."""
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, _yesterday())
    places = [put_on(shift, ledger.ann), put_on(shift, ledger.bob)]
    db.session.commit()
    return shift, places


def test_the_attendance_page_lists_the_weeks_shifts_with_their_people(client, auth, ledger, worked) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/attendance")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ann Archer" in text and "Bob Baker" in text and "All attended (2)" in text


def test_all_attended_in_one_click(client, auth, db, ledger, worked) -> None:
    shift, places = worked
    auth.login("coordinator@tackley.example")
    reply = client.post(f"/attendance/shifts/{shift.id}/attended", headers={"HX-Request": "true"})
    assert reply.status_code == 200 and f'id="shift-{shift.id}"' in reply.get_data(as_text=True)
    hours = db.session.scalars(select(Contribution.hours).order_by(Contribution.id)).all()
    assert hours == [Decimal(4), Decimal(4)]
    assert {db.session.get(Assignment, p.id).status for p in places} == {"attended"}


def test_one_person_marked_no_show_without_javascript(client, auth, db, ledger, worked) -> None:
    _, places = worked
    auth.login("coordinator@tackley.example")
    reply = client.post(f"/attendance/places/{places[1].id}/no-show")
    assert reply.status_code == 302
    assert db.session.get(Assignment, places[1].id).status == "no_show"


def test_volunteers_cannot_mark_and_other_organisations_are_not_found(client, auth, db, ledger, worked) -> None:
    shift, places = worked
    other = make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    auth.login("ann@tackley.example")
    assert client.get("/attendance").status_code == 403
    assert client.post(f"/attendance/shifts/{shift.id}/attended").status_code == 403
    auth.logout()
    auth.login("coordinator@surestart.example")
    assert client.post(f"/attendance/shifts/{shift.id}/attended").status_code == 404
    assert client.post(f"/attendance/places/{places[0].id}/attended").status_code == 404
    assert db.session.scalars(select(Contribution)).all() == []
    assert other.org.id != ledger.org.id


def test_the_approval_queue_approves_the_ticked_entries(client, auth, db, ledger, clock) -> None:
    now = clock.now
    ids = [services.log_hours(ledger.org, m, _yesterday(), "2", None, "helped", now).id
           for m in (ledger.ann, ledger.bob)]
    db.session.commit()
    auth.login("coordinator@tackley.example")
    assert "helped" in client.get("/approvals").get_data(as_text=True)
    assert client.post("/approvals", data={"action": "approve", "ids": [str(ids[0])]}).status_code == 302
    assert client.post("/approvals", data={"action": "reject"}).status_code == 400
    statuses = db.session.scalars(select(Contribution.status).order_by(Contribution.id)).all()
    assert statuses == ["approved", "pending"]


def test_recording_a_gift_and_reversing_it(client, auth, db, ledger, clock) -> None:
    auth.login("coordinator@tackley.example")
    day = _yesterday().isoformat()
    reply = client.post("/contributions", data={"contributor_name": "Tackley WI", "contributor_type": "community_group",
                                                "kind": "in_kind", "stage": "delivery", "day": day, "amount": "180"})
    assert reply.status_code == 302
    gift = db.session.scalar(select(Contribution))
    assert gift.amount == Decimal("180.00") and gift.status == "approved"
    assert "Tackley WI" in client.get(f"/contributions?month={day[:7]}").get_data(as_text=True)
    assert client.post(f"/contributions/{gift.id}/reverse", data={"reason": "wrong month"}).status_code == 302
    assert client.post(f"/contributions/{gift.id}/reverse", data={"reason": "again"}).status_code == 409
    assert sum(db.session.scalars(select(Contribution.amount))) == 0


def test_a_bad_contribution_shows_the_error_on_its_field(client, auth, db, ledger, clock) -> None:
    auth.login("coordinator@tackley.example")
    reply = client.post("/contributions", data={"contributor_name": "Someone", "contributor_type": "volunteer",
                                                "kind": "money", "stage": "delivery",
                                                "day": _yesterday().isoformat(), "amount": ""})
    assert reply.status_code == 400
    assert 'id="amount-error"' in reply.get_data(as_text=True)
    assert db.session.scalars(select(Contribution)).all() == []


def test_the_rate_card_page_adds_and_refuses_rates(client, auth, db, ledger) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/rates").get_data(as_text=True)
    assert "National Living Wage" in page and "12.71" in page
    ok = client.post("/rates", data={"target": f"role:{ledger.post_office.id}", "value_per_hour": "15.00",
                                     "effective_from": "2026-10-15", "note": "PO counter pay"})
    assert ok.status_code == 302
    again = client.post("/rates", data={"target": f"role:{ledger.post_office.id}", "value_per_hour": "16",
                                        "effective_from": "2026-10-15"})
    assert again.status_code == 400 and 'id="effective_from-error"' in again.get_data(as_text=True)
    assert client.post("/rates", data={"target": "role:999999", "value_per_hour": "1",
                                       "effective_from": "2026-10-15"}).status_code == 400
    assert [r.value_per_hour for r in db.session.scalars(select(RateCardEntry))] == [Decimal("15.00")]
