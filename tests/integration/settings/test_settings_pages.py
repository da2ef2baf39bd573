"""/settings: each section saves whole or not at all, names the refused field, and only coordinators see it."""
from __future__ import annotations

from datetime import date, time

import pytest

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from tests.integration.settings.forms import load_form
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.privacy.domain import rules as privacy_rules
from volunteers.settings import services, views
from volunteers.wellbeing.models import LoadWarning


@pytest.fixture()
def shop(db, clock, auth):
    """Tackley with a coordinator signed in, and Ann: three 4.5-hour shifts worked last week (13.5 h)."""
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer", pledge=None)
    role, site = make_role(org, "Shop counter"), make_site(org)
    for day in (23, 24, 25):
        put_on(make_shift(org, role, site, date(2026, 11, day), time(9), time(13, 30)), ann, "attended")
    db.session.commit()
    auth.login("cora@tackley.example")
    return org


def _open(org) -> list[str]:
    db.session.expire_all()
    return [w.rule for w in db.session.scalars(
        db.select(LoadWarning).where(LoadWarning.organisation_id == org.id, LoadWarning.status != "resolved"))]


def test_a_refused_time_zone_is_named_and_nothing_of_the_section_is_saved(client, shop) -> None:
    response = client.post("/settings", data={"name": "Renamed", "timezone": "Mars/Olympus", "nation": "ENG",
                                                   "coproduction_mode": ""})
    assert response.status_code == 400
    assert "Enter a time zone such as Europe/London." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (shop.name, shop.timezone) == ("Tackley Village Shop", "Europe/London")
    saved = db.select(db.func.count(AuditLogEntry.id)).where(AuditLogEntry.action.startswith("settings."))
    assert db.session.scalar(saved) == 0


def test_rota_rules_refuse_hours_out_of_range_by_field(client, shop) -> None:
    response = client.post("/settings/rota", data={"cancel_notice_hours": "48", "reminder_hours": "9999"})
    assert response.status_code == 400
    assert 'id="reminder_hours-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert shop.setting("reminder_hours") is None and shop.setting("self_cancel_notice_hours") is None


def test_the_preview_counts_what_saving_does_and_keeps_nothing(client, shop) -> None:
    assert _open(shop) == []
    page = client.post("/settings/load", data=load_form("preview", weekly_load__warning=12)).get_data(as_text=True)
    assert '<strong data-preview="raised">1</strong>' in page
    assert '<strong data-preview="open-after">1</strong> open instead of 0' in page
    assert 'name="weekly_load-warning" value="12"' in page  # the proposal stays in the boxes
    assert _open(shop) == [] and shop.setting("load_policy") is None
    response = client.post("/settings/load", data=load_form(weekly_load__warning=12))
    assert response.status_code == 302
    assert _open(shop) == ["weekly_load"]
    assert "Heavy week" in client.get("/warnings").get_data(as_text=True)
    assert shop.setting("load_policy") == {"weekly_load": {"warning": 12.0}}


def test_switching_a_rule_off_previews_its_warnings_resolving(client, shop) -> None:
    client.post("/settings/load", data=load_form(weekly_load__warning=12))
    page = client.post("/settings/load", data=load_form("preview", weekly_load__enabled=False, weekly_load__warning=12))
    assert '<strong data-preview="resolved">1</strong>' in page.get_data(as_text=True)


@pytest.mark.parametrize(("change", "field"), [
    ({"weekly_load__warning": "lots"}, "weekly_load-warning"),
    ({"weekly_load__warning": "30"}, "weekly_load-critical"),  # a warning level above the critical one
    ({"consecutive_days__warning": "5.5"}, "consecutive_days-warning"),
    ({"consecutive_days__warning": "1e999999999"}, "consecutive_days-warning"),  # int() of it never ends
    ({"weekly_load__warning": "sNaN"}, "weekly_load-warning"),
])
def test_a_refused_threshold_is_named_and_nothing_is_saved(client, shop, change, field) -> None:
    response = client.post("/settings/load", data=load_form(**change))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True) or f'href="#{field}"' in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert shop.setting("load_policy") is None


def test_stand_by_share_is_a_percentage(client, shop) -> None:
    assert client.post("/settings/money", data={"standby_percent": "120"}).status_code == 400
    assert client.post("/settings/money", data={"standby_percent": "30"}).status_code == 302
    db.session.expire_all()
    assert shop.setting("standby_rate_percent") == "30"


def test_volunteers_may_not_open_settings(client, shop, auth) -> None:
    auth.logout()
    auth.login("ann@example.org")
    for url in ("/settings", "/settings/rota", "/settings/load", "/settings/money", "/settings/retention"):
        assert client.get(url).status_code == 403, url


def test_every_section_page_opens_with_the_values_in_force(client, shop) -> None:
    assert 'value="Europe/London"' in client.get("/settings").get_data(as_text=True)
    assert 'value="48"' in client.get("/settings/rota").get_data(as_text=True)
    assert 'value="25' in client.get("/settings/money").get_data(as_text=True)
    page = client.get("/settings/retention").get_data(as_text=True)
    assert 'value="24"' in page and 'value="12"' in page


def test_privacy_retention_constants_are_mirrored() -> None:
    assert services.RETENTION_SETTING == privacy_rules.RETENTION_SETTING
    assert services.RETENTION_BOUNDS == privacy_rules.RETENTION_BOUNDS
    assert views.DEFAULT_RETENTION_MONTHS == privacy_rules.DEFAULT_RETENTION_MONTHS


def test_a_role_s_stricter_level_raises_a_warning_for_its_shifts_and_can_be_removed(client, shop) -> None:
    response = client.post("/settings/load/roles", data={"role": "Shop counter", "rule": "weekly_load",
                                                         "level": "warning", "value": "12"})
    assert response.status_code == 302
    assert _open(shop) == ["weekly_load"]
    assert shop.setting("load_policy") == {"roles": {"Shop counter": {"weekly_load": {"warning": 12.0}}}}
    page = client.get("/settings/load").get_data(as_text=True)
    assert "Remove Shop counter's warning level for heavy week" in page
    client.post("/settings/load/roles", data={"action": "remove", "role": "Shop counter", "rule": "weekly_load",
                                              "level": "warning"})
    assert _open(shop) == [] and shop.setting("load_policy") == {}


def test_a_level_the_rule_does_not_have_is_named(client, shop) -> None:
    response = client.post("/settings/load/roles", data={"role": "Shop counter", "rule": "early_starts",
                                                         "level": "critical", "value": "2"})
    assert response.status_code == 400
    assert 'id="level-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert shop.setting("load_policy") is None


@pytest.mark.parametrize("value", ["sNaN", "1e999999999", "Infinity", "four"])
def test_a_role_level_that_is_no_usable_number_is_named(client, shop, value: str) -> None:
    response = client.post("/settings/load/roles", data={"role": "Shop counter", "rule": "weekly_load",
                                                         "level": "warning", "value": value})
    assert response.status_code == 400
    assert 'id="value-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert shop.setting("load_policy") is None
