"""The coordinator's side of self-service is audited: deciding requests and marking no-shows."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import put_on
from tests.integration.selfservice.conftest import shift_at
from volunteers.extensions import db
from volunteers.selfservice.services import cancel

from .conftest import expect
from .coverage import audits


@audits("requests.approve_request", "requests.decline_request", "requests.mark_no_show")
def test_deciding_late_cancellations_and_marking_a_no_show(client, desk, clock) -> None:
    t = desk.t
    soon = shift_at(t.org, desk.role, desk.site, clock.now + timedelta(hours=20))
    ann = put_on(soon, t.volunteer)
    cora_shift = shift_at(t.org, desk.role, desk.site, clock.now + timedelta(hours=30))
    admin_place = put_on(cora_shift, t.admin)
    asked = cancel(t.org, t.volunteer, ann.id, clock.now, note="Poorly").offer
    declined = cancel(t.org, t.admin, admin_place.id, clock.now).offer
    past = shift_at(t.org, desk.role, desk.site, clock.now - timedelta(days=2))
    missed = put_on(past, t.volunteer)
    db.session.commit()
    assert client.post(f"/rota/requests/{asked.id}/approve").status_code == 302
    approved = expect(t.org, "rota.approve_cancel_request", t.coordinator, "shift_offer", asked.id, clock.now)
    assert "Poorly" not in str(approved.details)
    client.post(f"/rota/requests/{declined.id}/decline", data={"reason": "We need you that day"})
    no = expect(t.org, "rota.decline_cancel_request", t.coordinator, "shift_offer", declined.id, clock.now)
    assert no.reason == "We need you that day"
    assert client.post(f"/rota/places/{missed.id}/no-show").status_code == 302
    expect(t.org, "rota.no_show", t.coordinator, "assignment", missed.id, clock.now)
