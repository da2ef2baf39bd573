"""Acceptance: a third night on call in a row, assigned from the board, asks the coordinator first.

A counsellor already on two consecutive helpline nights (23:00–07:00, on
call, intensity 1.5) would reach three night duties on consecutive dates —
a ``consecutive_nights`` warning by the load policy. The candidate list
shows it beside their name; the Assign button asks for one click to accept
it and saves nothing until then; accepting saves the place with the
acceptance recorded on the assignment and in the audit log.
"""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site
from volunteers.core.models import AuditLogEntry
from volunteers.core.timeutil import utcnow
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import take_place

WARNING_TEXT = "Night duties on 3 consecutive dates"


def _three_nights(db):
    org = make_org("surestart", "Sure Start peer counsellors")
    helpline = make_role(org, "Helpline on call", on_call=True, intensity=1.5)
    site = make_site(org, "Helpline")
    make_member(org, "coordinator@surestart.example", role="coordinator", name="Cora Ordinator")
    dana = make_member(org, "dana@example.org", name="Dana Counsellor", pledge=20)
    first = utcnow().date() + timedelta(days=14)
    nights = [make_shift(org, helpline, site, first + timedelta(days=i), time(23), time(7), needed=1) for i in range(3)]
    for night in nights[:2]:
        take_place(org, night.id, dana.id, source="coordinator", now=utcnow())
    db.session.commit()
    return dana.id, [night.id for night in nights]


def _live_on(db, shift_id: int, membership_id: int) -> Assignment | None:
    db.session.expire_all()
    return db.session.scalar(select(Assignment).where(
        Assignment.shift_id == shift_id, Assignment.membership_id == membership_id,
        Assignment.status.in_(("assigned", "confirmed"))))


def test_a_third_night_in_a_row_is_warned_then_saved_once_accepted(client, db, auth) -> None:
    dana, (_, _, third) = _three_nights(db)
    auth.login("coordinator@surestart.example")

    # the candidate list already says what putting Dana on would raise
    listing = client.get(f"/rota/shifts/{third}")
    assert listing.status_code == 200
    row = listing.get_data(as_text=True).split("Dana Counsellor", 1)[1].split("</tr>", 1)[0]
    assert "sev-warning" in row and WARNING_TEXT in row

    # Assign without accepting: asked to confirm, nothing saved
    asked = client.post(f"/rota/shifts/{third}/assign", data={"membership_id": dana})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Putting <strong>Dana Counsellor</strong> on it would raise" in page
    assert WARNING_TEXT in page and "sev-warning" in page
    assert 'name="accept" value="1"' in page and "Assign Dana Counsellor anyway" in page
    assert 'name="reason"' not in page.split("Assign Dana Counsellor anyway", 1)[0].rsplit("<form", 1)[1]
    assert _live_on(db, third, dana) is None
    assert db.session.get(Shift, third).filled == 0

    # the one click: accepted, saved, and the acceptance recorded
    done = client.post(f"/rota/shifts/{third}/assign",
                       data={"membership_id": dana, "accept": "1", "confirming": "1"}, follow_redirects=True)
    assert done.status_code == 200
    assert "Dana Counsellor is on the shift." in done.get_data(as_text=True)
    saved = _live_on(db, third, dana)
    assert saved is not None and saved.source == "coordinator"
    assert saved.override_reason == "Load warning accepted: consecutive_nights (warning)"
    assert db.session.get(Shift, third).filled == 1
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "rota.assign_override"))
    assert entry is not None and entry.target_id == saved.id
    assert [w["rule"] for w in entry.details["warnings"]] == ["consecutive_nights"]
