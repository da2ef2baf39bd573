"""Set-up, series, copy, publish, import and export pages."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on
from volunteers.core.timeutil import local_date, to_local, utcnow
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Qualification
from volunteers.rota.models import Assignment, Role, Shift, ShiftSeries, Site


def today() -> date:
    return local_date(utcnow(), "Europe/London")


@pytest.fixture()
def coordinator(rota, auth):
    auth.login("coordinator@tackley.example")
    return rota


def test_roles_create_edit_archive(client, coordinator, db) -> None:
    client.post("/rota/qualifications", data={"name": "DBS check", "validity_months": "36"})
    dbs = db.session.scalar(select(Qualification).where(Qualification.name == "DBS check"))
    assert dbs.validity_months == 36
    response = client.post("/rota/roles", data={"name": "Helpline", "intensity": "1.5", "on_call": "y",
                                                "required_qualification_ids": dbs.id, "priority": "2"})
    assert response.status_code == 302
    role = db.session.scalar(select(Role).where(Role.name == "Helpline"))
    assert role.on_call and float(role.intensity) == 1.5 and role.required_names == ("DBS check",)
    page = client.get("/rota/roles").get_data(as_text=True)
    assert "Helpline" in page and "DBS check" in page and "1.5×" in page and "1.50" not in page
    client.post(f"/rota/roles/{role.id}", data={"name": "Helpline on call", "intensity": "1.5",
                                                 "priority": "1"})
    db.session.expire_all()
    role = db.session.get(Role, role.id)
    assert role.name == "Helpline on call" and role.required_names == () and not role.on_call
    client.post(f"/rota/roles/{role.id}/archive")
    db.session.expire_all()
    assert db.session.get(Role, role.id).archived_at is not None
    board = client.get("/rota").get_data(as_text=True)
    assert "Helpline on call" not in board.split('name="role"')[1].split("</select>")[0]


def test_duplicate_names_and_bad_intensity_are_refused_on_the_field(client, coordinator, db) -> None:
    dup = client.post("/rota/roles", data={"name": "shop COUNTER", "intensity": "1", 
                                           "priority": "1"})
    assert dup.status_code == 422 and 'id="name-error"' in dup.get_data(as_text=True)
    bad = client.post("/rota/roles", data={"name": "Café", "intensity": "0", 
                                           "priority": "1"})
    assert bad.status_code == 422 and 'id="intensity-error"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Role)) == 1


def test_sites_add_and_rename(client, coordinator, db) -> None:
    added = client.post("/rota/sites", data={"name": "Post Office counter", "address": "Village hall"})
    assert added.status_code == 302
    site = db.session.scalar(select(Site).where(Site.name == "Post Office counter"))
    client.post(f"/rota/sites/{site.id}", data={"name": "PO counter", "address": ""})
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "PO counter"
    assert client.get("/rota/sites/99999").status_code == 404


def test_build_a_weekly_series_in_the_form_and_see_it_on_the_board(client, coordinator, db) -> None:
    rota = coordinator
    start = today() + timedelta(days=1)
    skip = start + timedelta(days=7 - start.weekday() + 1)  # a Tuesday in the next weeks
    response = client.post("/rota/series/new", data={
        "days": ["1", "3"], "start_time": "09:00", "end_time": "12:30", "role_id": rota.role.id,
        "site_id": rota.site.id, "needed": "2", "starts_on": start.isoformat(), "repeats": "w1",
        "exdates": skip.isoformat(),
    })
    assert response.status_code == 302
    series = db.session.scalar(select(ShiftSeries))
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TU,TH" and series.exdates == [skip.isoformat()]
    made = db.session.scalars(select(Shift).where(Shift.series_id == series.id)).all()
    assert 14 <= len(made) <= 17 and skip not in {s.local_date for s in made}
    week = client.get(f"/rota?week={(skip + timedelta(days=7)).isoformat()}").get_data(as_text=True)
    assert "09:00–12:30" in week and "0/2" in week
    listing = client.get("/rota/series").get_data(as_text=True)
    assert "Every Tuesday and Thursday" in listing


def test_series_form_errors_stay_on_their_fields(client, coordinator, db) -> None:
    rota = coordinator
    response = client.post("/rota/series/new", data={
        "start_time": "09:00", "end_time": "12:00", "role_id": rota.role.id, "site_id": rota.site.id,
        "needed": "1", "starts_on": today().isoformat(), "repeats": "w1", "exdates": "Christmas",
    })
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="days-error"' in text and 'id="exdates-error"' in text
    assert db.session.scalar(select(func.count()).select_from(ShiftSeries)) == 0


def test_edit_a_series_from_its_page(client, coordinator, db) -> None:
    rota = coordinator
    client.post("/rota/series/new", data={
        "days": ["0"], "start_time": "09:00", "end_time": "12:00", "role_id": rota.role.id, "site_id": rota.site.id,
        "needed": "1", "starts_on": today().isoformat(), "repeats": "w1"})
    series = db.session.scalar(select(ShiftSeries))
    form = client.get(f"/rota/series/{series.id}").get_data(as_text=True)
    assert 'value="09:00"' in form
    response = client.post(f"/rota/series/{series.id}", data={
        "days": ["0"], "start_time": "10:00", "end_time": "12:00", "role_id": rota.role.id, "site_id": rota.site.id,
        "needed": "1", "starts_on": today().isoformat(), "repeats": "w1"})
    assert response.status_code == 302
    shifts = db.session.scalars(select(Shift).where(Shift.series_id == series.id)).all()
    assert shifts and {to_local(s.starts_at, "Europe/London").hour for s in shifts} == {10}


def test_copy_forward_and_publish_from_the_board(client, coordinator, db) -> None:
    rota = coordinator
    monday = today() - timedelta(days=today().weekday()) + timedelta(days=7)
    source = make_shift(rota.org, rota.role, rota.site, monday, needed=1)
    put_on(source, rota.ann)
    target = make_shift(rota.org, rota.role, rota.site, monday + timedelta(days=7), needed=1)
    db.session.commit()
    copied = client.post("/rota/copy", data={"kind": "week", "day": monday.isoformat()})
    assert copied.status_code == 200 and "1 place filled" in copied.get_data(as_text=True)
    assert db.session.scalar(select(Assignment.membership_id).where(Assignment.shift_id == target.id)) == rota.ann.id
    published = client.post("/rota/publish", data={"kind": "week", "day": (monday + timedelta(days=7)).isoformat(),
                                                      "confirm": "1"})
    assert published.status_code == 302
    mail = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in mail] == ["ann@example.org"]
    assert client.post("/rota/publish", data={"kind": "fortnight", "day": "x"}).status_code == 400


def test_import_and_export_from_the_board(client, coordinator, db) -> None:
    csv = ("date,start,end,role,site,needed,volunteers,status\n"
           "2030-03-31,09:00,12:00,Shop counter,Village hall shop,2,ann@example.org,planned\n")
    ok = client.post("/rota/import", data={"file": (io.BytesIO(csv.encode()), "march.csv")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    unknown = (csv + "2030-04-01,09:00,12:00,Bar,Pub,1,,planned\n").encode()
    bad = client.post("/rota/import", data={"file": (io.BytesIO(unknown), "april.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "april.csv:3: field &#39;role&#39;: unknown role &#39;Bar&#39;" in text
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 1
    exported = client.get("/rota/export?from=2030-03-31&to=2030-03-31&format=csv")
    assert exported.mimetype == "text/csv" and "attachment" in exported.headers["Content-Disposition"]
    assert exported.get_data(as_text=True).splitlines()[1] == csv.splitlines()[1] + ",3.00"
    assert client.get("/rota/export?from=2030-04-01&to=2030-03-01").status_code == 400
