"""/warnings of a coordinator limited to some sites: only warnings with a shift of their episode at those sites.

Another site's warning is a 404 to acknowledge or snooze, as another organisation's is; admins and
coordinators with no limit see every warning (the areas of tests/integration/rota/test_site_scope.py).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_member, put_on
from tests.integration.rota.test_site_scope import DAY, Areas, areas
from volunteers.extensions import db
from volunteers.wellbeing.models import LoadWarning

__all__ = ["areas"]


def _warning(areas: Areas, member, start: datetime) -> LoadWarning:
    row = LoadWarning(organisation_id=areas.org.id, membership_id=member.id, rule="weekly_load",
                      episode_key=f"weekly_load:{start.date()}", severity="warning", status="open",
                      window_start=start, window_end=start + timedelta(days=7), episode_start=start,
                      episode_end=start + timedelta(days=7), value=16, threshold=15, message="m", evidence={})
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture()
def warned(areas, clock):
    clock.now = datetime(2030, 1, 9, 12, tzinfo=UTC)
    bea = make_member(areas.org, "bea@example.org", name="Bea Gateshead")
    put_on(areas.here, bea)
    db.session.commit()  # the scan reacting to her new place runs now, before the warnings below exist
    monday = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC)
    warnings = {"bea": _warning(areas, bea, monday), "ann": _warning(areas, areas.ann, monday),
                # Bea's earlier episode: no shift of hers in it, so not Gateshead's either
                "bea_before": _warning(areas, bea, monday - timedelta(days=28))}
    db.session.commit()
    return warnings


def test_a_limited_coordinator_sees_only_their_sites_warnings(client, auth, areas, warned) -> None:
    auth.login("gail@surestart.example")
    page = client.get("/warnings").get_data(as_text=True)
    assert "Bea Gateshead" in page and "Ann Archer" not in page
    ann = warned["ann"].id
    assert client.post(f"/warnings/{ann}/acknowledge", data={f"ack{ann}-note": "seen"}).status_code == 404
    assert client.post(f"/warnings/{ann}/snooze", data={f"snooze{ann}-until": "2030-02-01"}).status_code == 404
    assert client.post(f"/warnings/{warned['bea_before'].id}/acknowledge").status_code == 404
    db.session.expire_all()
    assert db.session.get(LoadWarning, ann).status == "open"
    bea = warned["bea"].id
    assert client.post(f"/warnings/{bea}/acknowledge", data={f"ack{bea}-note": "seen"}).status_code == 302


@pytest.mark.parametrize("email", ["ada@surestart.example", "dora@surestart.example"])
def test_admins_and_unlimited_coordinators_see_every_warning(client, auth, areas, warned, email) -> None:
    auth.login(email)
    page = client.get("/warnings").get_data(as_text=True)
    assert "Bea Gateshead" in page and "Ann Archer" in page
