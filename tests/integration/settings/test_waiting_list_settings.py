"""/settings/waiting-list: how long a freed place is held for the next person — checked by field, saved, audited."""
from __future__ import annotations

import pytest

from tests.factories import make_member, make_org
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db
from volunteers.selfservice.waiting_list import hold_hours, stop_hours


@pytest.fixture()
def shop(db, clock, auth):
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    make_member(org, "vic@tackley.example", name="Vic Volunteer")
    db.session.commit()
    auth.login("cora@tackley.example")
    return org


def _saved() -> list[AuditLogEntry]:
    return list(db.session.scalars(db.select(AuditLogEntry).where(AuditLogEntry.action == "settings.update")))


def test_the_page_opens_with_two_hours_and_two_hours_before_the_start(client, shop) -> None:
    page = client.get("/settings/waiting-list").get_data(as_text=True)
    assert 'name="offer_hours" required type="number" value="2"' in page
    assert 'name="stop_hours" required type="number" value="2"' in page
    assert (hold_hours(shop), stop_hours(shop)) == (2, 2)


def test_new_values_are_saved_audited_and_read_by_the_waiting_list(client, shop, clock) -> None:
    response = client.post("/settings/waiting-list", data={"offer_hours": "6", "stop_hours": "3"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (hold_hours(shop), stop_hours(shop)) == (6, 3)
    [entry] = _saved()
    assert entry.details["section"] == "waiting_list" and entry.created_at == clock.now
    assert entry.details["changes"]["waiting_list_offer_hours"] == [None, 6]
    assert client.post("/settings/waiting-list", data={"offer_hours": "6", "stop_hours": "3"}).status_code == 302
    assert len(_saved()) == 1  # nothing changed: no second entry


@pytest.mark.parametrize(("field", "value"), [
    ("offer_hours", "0"), ("offer_hours", "73"), ("offer_hours", "soon"), ("offer_hours", "1.5"),
    ("stop_hours", "-1"), ("stop_hours", "1e999999999"), ("stop_hours", ""),
])
def test_a_refused_value_is_named_and_nothing_is_saved(client, shop, field, value) -> None:
    response = client.post("/settings/waiting-list", data={"offer_hours": "4", "stop_hours": "4", field: value})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert shop.setting("waiting_list_offer_hours") is None and _saved() == []


def test_a_volunteer_cannot_open_or_change_it(client, shop, auth) -> None:
    auth.logout()
    auth.login("vic@tackley.example")
    assert client.get("/settings/waiting-list").status_code in (403, 404)
    assert client.post("/settings/waiting-list", data={"offer_hours": "9", "stop_hours": "1"}).status_code in (403, 404)
    db.session.expire_all()
    assert shop.setting("waiting_list_offer_hours") is None
