"""Acknowledging and snoozing a load warning are audited (the note is the entry's reason)."""
from __future__ import annotations

from datetime import timedelta

from volunteers.extensions import db
from volunteers.wellbeing.models import LoadWarning

from .conftest import expect
from .coverage import audits


@audits("wellbeing.acknowledge", "wellbeing.snooze")
def test_acknowledge_and_snooze(client, desk, clock) -> None:
    t = desk.t
    rows = []
    for rule in ("weekly_load", "long_duty"):
        rows.append(LoadWarning(
            organisation_id=t.org.id, membership_id=t.volunteer.id, rule=rule, episode_key=f"{rule}:1",
            severity="warning", status="open", window_start=clock.now - timedelta(days=7), window_end=clock.now,
            value=16, threshold=15, message="16 h of load in 7 days", evidence={}))
    db.session.add_all(rows)
    db.session.commit()
    first, second = rows
    client.post(f"/warnings/{first.id}/acknowledge", data={f"ack{first.id}-note": "Talked; swapping Sunday"})
    ack = expect(t.org, "wellbeing.acknowledge", t.coordinator, "load_warning", first.id, clock.now)
    assert ack.reason == "Talked; swapping Sunday" and ack.details["rule"] == "weekly_load"
    client.post(f"/warnings/{second.id}/snooze", data={f"snooze{second.id}-until": "2026-12-10"})
    snoozed = expect(t.org, "wellbeing.snooze", t.coordinator, "load_warning", second.id, clock.now)
    assert snoozed.details["until"] == "2026-12-10T00:00:00+00:00"
