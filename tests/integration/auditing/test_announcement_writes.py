"""Sending and withdrawing an announcement each leave an audit entry (who, which announcement, to whom)."""
from __future__ import annotations

from datetime import timedelta

from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.selfservice.announcement_models import Announcement

from .conftest import entries, expect
from .coverage import audits


@audits("announcements.new_announcement", "announcements.withdraw_announcement")
def test_sending_and_withdrawing_an_announcement_are_audited(client, desk, clock) -> None:
    t = desk.t
    day = local_date(clock.now, t.org.timezone) + timedelta(days=3)
    answer = client.post("/announcements/new", data={
        "title": "Closed on Boxing Day", "body": "The shop is shut on the 26th.", "audience": "everyone",
        "role_id": "0", "site_id": "0", "expires_on": day.isoformat(), "expires_time": "18:00"})
    assert answer.status_code == 302
    announcement = db.session.scalar(db.select(Announcement))
    assert announcement is not None
    entry = expect(t.org, "announcements.send", t.coordinator, "announcement", announcement.id, clock.now)
    assert entry.details["audience"] == "everyone" and entry.details["by_email"] == 2  # Ada and Ann
    assert entry.details["title"] == "Closed on Boxing Day"
    client.post(f"/announcements/{announcement.id}/withdraw")
    expect(t.org, "announcements.withdraw", t.coordinator, "announcement", announcement.id, clock.now)
    client.post(f"/announcements/{announcement.id}/withdraw")  # already withdrawn: nothing more
    assert len(entries(t.org, "announcements.")) == 2
