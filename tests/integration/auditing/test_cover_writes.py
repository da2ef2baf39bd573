"""Asking someone by hand to cover a place is a coordinator's write: audited with who was asked, and when."""
from __future__ import annotations

from tests.integration.selfservice.cover_crowd import NOW, cancel_late, make_crowd
from volunteers.extensions import db as _db

from .conftest import expect
from .coverage import audits


@audits("requests.ask_to_cover")
def test_asking_by_hand_to_cover_is_audited(db, client, auth, clock) -> None:
    clock.now = NOW
    crowd = make_crowd()
    cancel_late(crowd)
    _db.session.commit()
    auth.login("coord@example.org")
    cover_id = _db.session.execute(_db.text("select id from cover_requests")).scalar_one()
    kay = crowd.members["Kay"]
    assert client.post(f"/rota/cover/{cover_id}/ask", data={"membership_id": kay.id}).status_code == 302
    entry = expect(crowd.world.org, "rota.cover_ask", crowd.world.coordinator, "cover_request", cover_id, NOW)
    assert entry.details == {"membership_id": kay.id, "shift_id": crowd.shift.id, "channel": "email"}
