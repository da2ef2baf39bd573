"""Supervision sessions are coordinator writes: each leaves an entry (the note, about wellbeing, stays out)."""
from __future__ import annotations

from sqlalchemy import select

from volunteers.extensions import db
from volunteers.people.models import SupervisionSession

from .conftest import entries, expect
from .coverage import audits


@audits("people.add_supervision", "people.remove_supervision")
def test_recording_and_removing_a_supervision_session(client, desk, clock) -> None:
    t = desk.t
    ann = t.volunteer
    client.post(f"/people/{ann.id}/supervision", data={"held_on": "2026-11-27", "supervisor_id": t.coordinator.id,
                                                       "note": "Talked about a hard ward round"})
    added = expect(t.org, "people.supervision_add", t.coordinator, "membership", ann.id, clock.now)
    session = db.session.scalar(select(SupervisionSession))
    assert added.details == {"session_id": session.id, "held_on": "2026-11-27", "supervisor_id": t.coordinator.id,
                             "last_supervised_on": [None, "2026-11-27"]}
    client.post(f"/people/{ann.id}/supervision/{session.id}/remove")
    removed = expect(t.org, "people.supervision_remove", t.coordinator, "membership", ann.id, clock.now)
    assert removed.details == {"session_id": session.id, "held_on": "2026-11-27"}
    assert "ward round" not in str([e.details for e in entries(t.org)])
