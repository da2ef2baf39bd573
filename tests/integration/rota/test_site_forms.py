"""A coordinator limited to some sites adds and edits shifts and series at her sites only (the forms, as the API).

Gail is limited to Gateshead: the new shift and series forms offer only
Gateshead, and a posted Sunderland is a field error with nothing saved;
another site's series is a 404, as another site's shift is.
"""
from __future__ import annotations

from sqlalchemy import func, select

from tests.integration.rota.test_site_scope import areas  # noqa: F401 - the fixture
from volunteers.rota.models import Shift, ShiftSeries


def _shift(areas, site_id: int) -> dict[str, object]:  # noqa: F811 - the fixture's name
    return {"day": "2030-01-14", "start_time": "09:00", "end_time": "12:00", "role_id": areas.here.role_id,
            "site_id": site_id, "needed": "2", "notes": ""}


def _series(areas, site_id: int) -> dict[str, object]:  # noqa: F811 - the fixture's name
    return {"days": ["0"], "start_time": "09:00", "end_time": "12:00", "role_id": areas.here.role_id,
            "site_id": site_id, "needed": "1", "starts_on": "2030-01-07", "until_on": "2030-02-28", "repeats": "w1"}


def _count(db, model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_new_shift_form_offers_and_takes_only_her_sites(client, auth, areas, db) -> None:  # noqa: F811
    auth.login("gail@surestart.example")
    form = client.get("/rota/shifts/new").get_data(as_text=True)
    assert "Gateshead ward" in form and "Sunderland ward" not in form
    shifts = _count(db, Shift)
    refused = client.post("/rota/shifts/new", data=_shift(areas, areas.sunderland.id))
    assert refused.status_code == 422 and 'id="site_id-error"' in refused.get_data(as_text=True)
    assert _count(db, Shift) == shifts
    assert client.post("/rota/shifts/new", data=_shift(areas, areas.gateshead.id)).status_code == 302
    assert _count(db, Shift) == shifts + 1


def test_an_unlimited_coordinator_still_adds_a_shift_at_any_site(client, auth, areas, db) -> None:  # noqa: F811
    auth.login("dora@surestart.example")
    assert "Sunderland ward" in client.get("/rota/shifts/new").get_data(as_text=True)
    assert client.post("/rota/shifts/new", data=_shift(areas, areas.sunderland.id)).status_code == 302


def test_the_series_forms_offer_and_take_only_her_sites(client, auth, areas, db) -> None:  # noqa: F811
    auth.login("gail@surestart.example")
    assert "Sunderland ward" not in client.get("/rota/series/new").get_data(as_text=True)
    refused = client.post("/rota/series/new", data=_series(areas, areas.sunderland.id))
    assert refused.status_code == 422 and 'id="site_id-error"' in refused.get_data(as_text=True)
    assert _count(db, ShiftSeries) == 0
    assert client.post("/rota/series/new", data=_series(areas, areas.gateshead.id)).status_code == 302
    mine = db.session.scalar(select(ShiftSeries))
    moved = client.post(f"/rota/series/{mine.id}", data=_series(areas, areas.sunderland.id))
    assert moved.status_code == 422 and 'id="site_id-error"' in moved.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ShiftSeries, mine.id).site_id == areas.gateshead.id


def test_another_site_s_series_is_404_for_her(client, auth, areas, db) -> None:  # noqa: F811
    auth.login("ada@surestart.example")
    assert client.post("/rota/series/new", data=_series(areas, areas.sunderland.id)).status_code == 302
    theirs = db.session.scalar(select(ShiftSeries))
    auth.logout()
    auth.login("gail@surestart.example")
    assert client.get(f"/rota/series/{theirs.id}").status_code == 404
    assert client.post(f"/rota/series/{theirs.id}", data=_series(areas, areas.gateshead.id)).status_code == 404
    db.session.expire_all()
    assert db.session.get(ShiftSeries, theirs.id).site_id == areas.sunderland.id
