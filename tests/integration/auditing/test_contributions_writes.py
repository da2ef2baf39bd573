"""Every coordinator write on the ledger, attendance, approvals and rate card pages is audited."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from tests.factories import make_shift, put_on
from volunteers.contributions.models import Contribution, RateCardEntry
from volunteers.contributions.services import log_hours
from volunteers.extensions import db

from .conftest import entries, expect
from .coverage import audits

TODAY = date(2026, 11, 30)  # the clock's day; its now is 12:00 UTC


@audits("contributions.record", "contributions.reverse_entry")
def test_recording_and_reversing_a_gift(client, desk, clock) -> None:
    t = desk.t
    reply = client.post("/contributions", data={"contributor_name": "Tackley WI", "contributor_type": "community_group",
                                                "kind": "in_kind", "stage": "delivery", "day": "2026-11-29",
                                                "amount": "180"})
    assert reply.status_code == 302
    gift = db.session.scalar(select(Contribution))
    recorded = expect(t.org, "contributions.record", t.coordinator, "contribution", gift.id, clock.now)
    assert recorded.details == {"membership_id": None, "contributor_type": "community_group", "kind": "in_kind",
                                "stage": "delivery", "hours": "0", "amount": "180.00", "occurred_on": "2026-11-29"}
    assert "Tackley WI" not in str(recorded.details)  # a name, even a group's, stays in the ledger only
    client.post(f"/contributions/{gift.id}/reverse", data={"reason": "wrong month"})
    reversed_ = expect(t.org, "contributions.reverse", t.coordinator, "contribution", gift.id, clock.now)
    assert reversed_.reason == "wrong month"


@audits("contributions.decide")
def test_approving_and_rejecting_logged_hours(client, desk, clock) -> None:
    t = desk.t
    first = log_hours(t.org, t.volunteer, TODAY, "2", None, None, clock.now)
    second = log_hours(t.org, t.volunteer, TODAY, "3", None, None, clock.now)
    third = log_hours(t.org, t.volunteer, TODAY, "1", None, None, clock.now)
    db.session.commit()
    client.post("/approvals", data={"action": "approve", "ids": [str(first.id), str(second.id)]})
    approved = entries(t.org, "contributions.approve")
    assert [(e.target_type, e.target_id, e.actor_person_id, e.created_at) for e in approved] == [
        ("contribution", first.id, t.coordinator.person_id, clock.now),
        ("contribution", second.id, t.coordinator.person_id, clock.now)]
    client.post("/approvals", data={"action": "reject", "ids": [str(third.id), str(first.id)]})
    expect(t.org, "contributions.reject", t.coordinator, "contribution", third.id, clock.now)  # first was decided


@audits("contributions.all_attended", "contributions.mark_place")
def test_marking_attendance_and_a_no_show(client, desk, clock) -> None:
    t = desk.t
    shift = make_shift(t.org, desk.role, desk.site, TODAY, time(9), time(13), needed=2)
    ann = put_on(shift, t.volunteer)
    other = make_shift(t.org, desk.role, desk.site, TODAY, time(8), time(12), needed=1)
    admin_place = put_on(other, t.admin)
    db.session.commit()
    client.post(f"/attendance/places/{ann.id}/no-show")
    no_show = expect(t.org, "rota.no_show", t.coordinator, "assignment", ann.id, clock.now)
    assert no_show.details == {"shift_id": shift.id, "membership_id": t.volunteer.id}
    client.post(f"/attendance/places/{ann.id}/attended")
    entry = db.session.scalar(select(Contribution).where(Contribution.assignment_id == ann.id))
    attended = expect(t.org, "contributions.attended", t.coordinator, "assignment", ann.id, clock.now)
    assert attended.details["contribution_id"] == entry.id
    client.post(f"/attendance/shifts/{other.id}/attended")
    everyone = expect(t.org, "contributions.all_attended", t.coordinator, "shift", other.id, clock.now)
    assert everyone.details == {"marked": 1}
    assert db.session.get(type(admin_place), admin_place.id).status == "attended"


@audits("contributions.add_rate", "contributions.delete_rate")
def test_the_rate_card(client, desk, clock) -> None:
    t = desk.t
    client.post("/rates", data={"target": f"role:{desk.role.id}", "value_per_hour": "15.00",
                                "effective_from": "2026-10-15", "note": "Shop pay"})
    rate = db.session.scalar(select(RateCardEntry))
    added = expect(t.org, "contributions.rates_add", t.coordinator, "rate", rate.id, clock.now)
    assert added.details == {"kind": None, "role_id": desk.role.id, "value_per_hour": "15.00",
                             "effective_from": "2026-10-15"}
    client.post(f"/rates/{rate.id}/delete")
    expect(t.org, "contributions.rates_remove", t.coordinator, "rate", rate.id, clock.now)
    assert client.post(f"/rates/{rate.id}/delete").status_code == 404
    assert len(entries(t.org, "contributions.rates_remove")) == 1
