"""/settings/rota: how cover requests go out in waves — checked by field, saved whole, audited."""
from __future__ import annotations

import pytest

from tests.factories import make_member, make_org
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.selfservice.cover_waves import settings_of

RULES = {"cancel_notice_hours": "48", "reminder_hours": "24"}


@pytest.fixture()
def shop(db, clock, auth):
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    db.session.commit()
    auth.login("cora@tackley.example")
    return org


def _saved() -> list[AuditLogEntry]:
    return list(db.session.scalars(db.select(AuditLogEntry).where(AuditLogEntry.action == "settings.update")))


def test_the_page_opens_with_five_people_every_thirty_minutes(client, shop) -> None:
    page = client.get("/settings/rota").get_data(as_text=True)
    assert 'name="cover_wave_size" type="number" value="5"' in page
    assert 'name="cover_wave_minutes" type="number" value="30"' in page
    assert settings_of(shop) == (5, 30)


def test_new_wave_settings_are_saved_audited_and_read_by_the_waves(client, shop, clock) -> None:
    response = client.post("/settings/rota", data={**RULES, "cover_wave_size": "3", "cover_wave_minutes": "45"})
    assert response.status_code == 302
    db.session.expire_all()
    assert settings_of(shop) == (3, 45)
    [entry] = _saved()
    assert entry.details["section"] == "rota" and entry.created_at == clock.now
    assert entry.details["changes"]["cover_wave_size"] == [None, 3]
    assert entry.details["changes"]["cover_wave_minutes"] == [None, 45]
    assert 'value="3"' in client.get("/settings/rota").get_data(as_text=True)


@pytest.mark.parametrize(("field", "value"), [
    ("cover_wave_size", "0"), ("cover_wave_size", "51"), ("cover_wave_size", "lots"),
    ("cover_wave_minutes", "4"), ("cover_wave_minutes", "1441"), ("cover_wave_minutes", "2.5"),
    ("cover_wave_minutes", "1e999999999"),
])
def test_a_refused_wave_setting_is_named_and_nothing_of_the_section_is_saved(client, shop, field, value) -> None:
    data = {**RULES, "cancel_notice_hours": "72", "cover_wave_size": "5", "cover_wave_minutes": "30", field: value}
    response = client.post("/settings/rota", data=data)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert shop.setting("self_cancel_notice_hours") is None and shop.setting(field) is None
    assert _saved() == []


def test_leaving_the_wave_fields_out_keeps_them(client, shop) -> None:
    client.post("/settings/rota", data={**RULES, "cover_wave_size": "4", "cover_wave_minutes": "20"})
    assert client.post("/settings/rota", data={**RULES, "cancel_notice_hours": "72"}).status_code == 302
    db.session.expire_all()
    assert settings_of(shop) == (4, 20) and shop.setting("self_cancel_notice_hours") == 72


def test_a_stored_value_the_waves_cannot_use_falls_back_to_the_default(shop) -> None:
    shop.settings = {"cover_wave_size": "many", "cover_wave_minutes": 0}
    assert settings_of(shop) == (5, 30)
