"""Every coordinator write on the rota pages (set-up, shifts, series, the board, the shift panel) is audited."""
from __future__ import annotations

import io
from datetime import date, time
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from tests.factories import make_shift, put_on
from volunteers.extensions import db
from volunteers.people.models import Qualification
from volunteers.rota.models import Assignment, Role, Shift, ShiftSeries, Site

from .conftest import entries, expect
from .coverage import audits

MONDAY = date(2026, 12, 7)  # the week after the clock's Monday, 30 Nov 2026


@audits("rota.setup_list", "rota.setup_edit", "rota.setup_archive")
def test_roles_sites_and_qualifications(client, desk, clock) -> None:
    t = desk.t
    client.post("/rota/qualifications", data={"name": "DBS check", "validity_months": "36"})
    dbs = db.session.scalar(select(Qualification).where(Qualification.name == "DBS check"))
    made = expect(t.org, "rota.qualification_create", t.coordinator, "qualification", dbs.id, clock.now)
    assert made.details == {"values": {"name": "DBS check", "kind": "training", "validity_months": 36}}
    client.post(f"/rota/qualifications/{dbs.id}", data={"name": "DBS check", "validity_months": "24"})
    changed = expect(t.org, "rota.qualification_update", t.coordinator, "qualification", dbs.id, clock.now)
    assert changed.details == {"changes": {"validity_months": [36, 24]}}
    client.post("/rota/roles", data={"name": "Helpline", "intensity": "1.5",
                                     "priority": "1"})
    helpline = db.session.scalar(select(Role).where(Role.name == "Helpline"))
    expect(t.org, "rota.role_create", t.coordinator, "role", helpline.id, clock.now)
    client.post(f"/rota/roles/{helpline.id}", data={"name": "Helpline on call", "intensity": "1.5", "on_call": "y",
                                                    "required_qualification_ids": dbs.id, "priority": "1"})
    role = expect(t.org, "rota.role_update", t.coordinator, "role", helpline.id, clock.now)
    assert role.details == {"changes": {"name": ["Helpline", "Helpline on call"], "on_call": [False, True],
                                        "required_names": [[], ["DBS check"]]}}
    client.post(f"/rota/roles/{helpline.id}/archive")
    expect(t.org, "rota.role_archive", t.coordinator, "role", helpline.id, clock.now)
    client.post(f"/rota/roles/{helpline.id}/archive", data={"restore": "1"})
    expect(t.org, "rota.role_restore", t.coordinator, "role", helpline.id, clock.now)
    client.post(f"/rota/sites/{desk.site.id}", data={"name": "Village hall", "address": "Main Street"})
    site = expect(t.org, "rota.site_update", t.coordinator, "site", desk.site.id, clock.now)
    assert site.details == {"changes": {"name": ["Village hall shop", "Village hall"],
                                        "address": [None, "Main Street"]}}
    client.post("/rota/sites", data={"name": "Café", "address": ""})
    cafe = db.session.scalar(select(Site).where(Site.name == "Café"))
    expect(t.org, "rota.site_create", t.coordinator, "site", cafe.id, clock.now)
    client.post(f"/rota/sites/{cafe.id}/archive")
    expect(t.org, "rota.site_archive", t.coordinator, "site", cafe.id, clock.now)
    # a refused form records nothing
    client.post("/rota/roles", data={"name": "", "intensity": "1", "priority": "1"})
    assert len(entries(t.org, "rota.role_create")) == 1


@audits("rota.new_shift", "shifts.set_needed", "shifts.assign", "shifts.remove_assignment", "shifts.cancel_shift")
def test_a_shift_from_the_form_to_its_cancellation(client, desk, clock) -> None:
    t = desk.t
    client.post("/rota/shifts/new", data={"day": MONDAY.isoformat(), "start_time": "09:00", "end_time": "12:00",
                                          "role_id": desk.role.id, "site_id": desk.site.id, "needed": "1"})
    shift = db.session.scalar(select(Shift))
    made = expect(t.org, "shifts.create", t.coordinator, "shift", shift.id, clock.now)
    assert made.details == {"starts_at": "2026-12-07T09:00:00+00:00", "ends_at": "2026-12-07T12:00:00+00:00",
                            "role_id": desk.role.id, "site_id": desk.site.id, "needed": 1}
    client.post(f"/rota/shifts/{shift.id}/needed", data={"needed": "2"})
    needed = expect(t.org, "shifts.update", t.coordinator, "shift", shift.id, clock.now)
    assert needed.details == {"changes": {"needed": [1, 2]}}
    client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": t.volunteer.id})
    place = db.session.scalar(select(Assignment))
    assigned = expect(t.org, "rota.assign", t.coordinator, "assignment", place.id, clock.now)
    assert assigned.details == {"shift_id": shift.id, "membership_id": t.volunteer.id}
    client.post(f"/rota/assignments/{place.id}/remove")
    expect(t.org, "rota.remove", t.coordinator, "assignment", place.id, clock.now)
    client.post(f"/rota/shifts/{shift.id}/cancel", data={"reason": "Hall closed"})
    cancelled = expect(t.org, "shifts.cancel_shift", t.coordinator, "shift", shift.id, clock.now)
    assert cancelled.reason == "Hall closed"


@audits("shifts.undo")
def test_undoing_an_assignment_and_a_removal(client, desk, clock) -> None:
    t = desk.t
    shift = make_shift(t.org, desk.role, desk.site, MONDAY, needed=1)
    db.session.commit()
    assigned = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": t.volunteer.id})
    place = db.session.scalar(select(Assignment))
    token = parse_qs(urlsplit(assigned.location).query)["undo"][0]
    assert client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}).status_code == 302
    undone = expect(t.org, "rota.undo", t.coordinator, "assignment", place.id, clock.now)
    assert undone.details == {"undone": "assign", "shift_id": shift.id, "membership_id": t.volunteer.id,
                              "new_assignment_id": None}
    assert [e.action for e in entries(t.org, "rota.")][-3:] == ["rota.assign", "rota.remove", "rota.undo"]
    client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": t.volunteer.id})
    second = db.session.scalar(select(Assignment).where(Assignment.status != "cancelled"))
    removed = client.post(f"/rota/assignments/{second.id}/remove")
    token = parse_qs(urlsplit(removed.location).query)["undo"][0]
    assert client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}).status_code == 302
    back = db.session.scalar(select(Assignment).where(Assignment.status != "cancelled"))
    put_back = entries(t.org, "rota.undo")[-1]
    assert (put_back.actor_person_id, put_back.target_id) == (t.coordinator.person_id, second.id)
    assert put_back.details["undone"] == "remove" and put_back.details["new_assignment_id"] == back.id


@audits("rota.new_series", "rota.edit_series")
def test_a_weekly_series(client, desk, clock) -> None:
    t = desk.t
    form = {"days": ["0"], "start_time": "09:00", "end_time": "12:00", "role_id": desk.role.id,
            "site_id": desk.site.id, "needed": "1", "starts_on": MONDAY.isoformat(), "repeats": "w1"}
    assert client.post("/rota/series/new", data=form).status_code == 302
    series = db.session.scalar(select(ShiftSeries))
    made = expect(t.org, "rota.series_create", t.coordinator, "series", series.id, clock.now)
    assert made.details["values"]["rrule"] == "FREQ=WEEKLY;BYDAY=MO" and made.details["values"]["needed"] == 1
    assert client.post(f"/rota/series/{series.id}", data={**form, "start_time": "10:00", "needed": "2"}
                       ).status_code == 302
    changed = expect(t.org, "rota.series_update", t.coordinator, "series", series.id, clock.now)
    assert changed.details["changes"] == {"start_time": ["09:00:00", "10:00:00"], "needed": [1, 2]}
    assert changed.details["shifts_remade"] > 0


@audits("rota.copy_forward", "rota.publish", "rota.import_shifts")
def test_copy_forward_publish_import_and_export(client, desk, clock) -> None:
    t = desk.t
    source = make_shift(t.org, desk.role, desk.site, MONDAY, needed=1)
    put_on(source, t.volunteer)
    make_shift(t.org, desk.role, desk.site, date(2026, 12, 14), needed=1)
    db.session.commit()
    assert client.post("/rota/copy", data={"kind": "week", "day": MONDAY.isoformat()}).status_code == 200
    copied = expect(t.org, "rota.copy_forward", t.coordinator, "organisation", t.org.id, clock.now)
    assert copied.details == {"kind": "week", "source_first": "2026-12-07", "target_first": "2026-12-14",
                              "copied": 1, "skipped": 0}
    client.post("/rota/publish", data={"kind": "week", "day": "2026-12-14", "confirm": "1"})
    published = expect(t.org, "rota.publish", t.coordinator, "organisation", t.org.id, clock.now)
    assert published.details["shifts"] == 1 and published.details["first"] == "2026-12-14"
    csv = ("date,start,end,role,site,needed,volunteers,status\n"
           "2030-03-31,09:00,12:00,Shop counter,Village hall shop,2,ann@example.org,planned\n")
    client.post("/rota/import", data={"file": (io.BytesIO(csv.encode()), "march.csv")},
                content_type="multipart/form-data")
    imported = expect(t.org, "rota.import_shifts", t.coordinator, "organisation", t.org.id, clock.now)
    assert imported.details == {"source": "web", "rows": 1, "created": 1, "updated": 0, "placed": 1, "attended": 0}
    exported = client.get("/rota/export?from=2030-03-31&to=2030-03-31&format=csv")
    assert exported.status_code == 200 and "ann@example.org" in exported.get_data(as_text=True)
    export = expect(t.org, "rota.export", t.coordinator, "organisation", t.org.id, clock.now)
    assert export.details == {"source": "web", "first": "2030-03-31", "last": "2030-03-31", "format": "csv",
                              "shifts": 1}


@audits("autofill.accept", "autofill.accept_replacement")
def test_the_auto_rota_and_a_replacement(client, desk, clock) -> None:
    t = desk.t
    shift = make_shift(t.org, desk.role, desk.site, MONDAY, time(13), time(17), needed=1)
    db.session.commit()
    saved = client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat(),
                                            "place": [f"{shift.id}:{t.volunteer.id}"]})
    assert saved.status_code == 200
    place = db.session.scalar(select(Assignment))
    filled = expect(t.org, "rota.auto_fill", t.coordinator, "shift", None, clock.now)
    assert filled.details["assignments"] == [place.id]
    assert client.post(f"/rota/fill/replace/{place.id}").status_code == 302
    replaced = expect(t.org, "rota.replace", t.coordinator, "assignment", place.id, clock.now)
    assert replaced.details["shift_id"] == shift.id and replaced.details["membership_id"] == t.volunteer.id
    assert len(entries(t.org, "rota.auto_fill")) == 2  # the replacement's own place
