"""The waiting list's one coordinator write — its settings section — is in the audit trail with before/after."""
from __future__ import annotations

from .conftest import expect
from .coverage import audits


@audits("settings.waiting_list")
def test_the_waiting_list_section_is_audited(client, desk, clock) -> None:
    org = desk.org
    assert client.post("/settings/waiting-list", data={"offer_hours": "4", "stop_hours": "1"}).status_code == 302
    entry = expect(org, "settings.update", desk.t.coordinator, "organisation", org.id, clock.now)
    assert entry.details["section"] == "waiting_list"
    assert entry.details["changes"] == {"waiting_list_offer_hours": [None, 4],
                                        "waiting_list_stop_hours_before_start": [None, 1]}
