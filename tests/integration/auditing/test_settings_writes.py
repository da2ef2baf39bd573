"""Every section of /settings records its change (section and before/after values) in the audit trail."""
from __future__ import annotations

from tests.integration.settings.forms import load_form

from .conftest import entries, expect
from .coverage import audits


@audits("settings.organisation", "settings.rota_rules", "settings.money", "settings.retention",
        "settings.save_load_policy", "settings.save_role_limit")
def test_each_settings_section_is_audited(client, desk, clock) -> None:
    org = desk.org
    client.post("/settings", data={"name": "Tackley Village Shop & Café", "timezone": "Europe/London",
                                   "coproduction_mode": "community_delivery_coplanned", "nation": "ENG"})
    entry = expect(org, "settings.update", desk.t.coordinator, "organisation", org.id, clock.now)
    assert entry.details["section"] == "organisation"
    assert entry.details["changes"]["name"] == ["Tackley Village Shop", "Tackley Village Shop & Café"]
    client.post("/settings/rota", data={"cancel_notice_hours": "72", "reminder_hours": "24",
                                        "swap_needs_approval": "y"})
    client.post("/settings/money", data={"standby_percent": "30"})
    client.post("/settings/retention", data={"retention_months": "36", "case_retention_months": "12"})
    page = client.get("/settings/load").get_data(as_text=True)
    assert 'name="weekly_load-warning" value="15"' in page
    client.post("/settings/load", data=load_form(weekly_load__warning=12))
    client.post("/settings/load/roles", data={"role": "Shop counter", "rule": "long_duty", "level": "warning",
                                              "value": "4"})
    sections = [e.details["section"] for e in entries(org, "settings.")]
    assert sections == ["organisation", "rota", "money", "retention", "load_policy", "load_policy"]
    money, _, load, role = entries(org, "settings.")[2:]
    assert role.details["changes"]["roles"] == [None, {"Shop counter": {"long_duty": {"warning": 4.0}}}]
    assert money.details["changes"] == {"standby_rate_percent": ["25", "30"]}
    assert load.details["changes"]["weekly_load"][1]["warning"] == 12
