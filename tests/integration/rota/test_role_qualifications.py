"""A role may require several qualifications, all of them: import, form, candidates, auto-rota all follow."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift
from volunteers.core.models import AuditLogEntry
from volunteers.core.timeutil import local_date
from volunteers.people import services as people
from volunteers.rota.models import Assignment, Role, RoleQualification


def _ward_visit(rota, db):
    course = people.qualification_named(rota.org, "Peer counsellor course")
    dbs = people.qualification_named(rota.org, "DBS check")
    ward = make_role(rota.org, "Ward visit", requires=(course.id, dbs.id))
    people.set_qualification(rota.org, rota.ann, course, None)  # the course, but no DBS check
    people.set_qualification(rota.org, rota.bob, course, None)
    people.set_qualification(rota.org, rota.bob, dbs, date(2030, 1, 1))
    db.session.commit()
    return ward, course, dbs


def test_import_roles_reads_several_requires_and_one_still_works(runner, rota, db, tmp_path) -> None:
    path = tmp_path / "roles.csv"
    path.write_text("name,intensity,requires,on_call\n"
                    "Ward visit,1.5,Peer counsellor course;DBS check,false\n"
                    "Post Office counter,1.0,Post Office training,false\n", encoding="utf-8")
    result = runner.invoke(args=["import", "roles", str(path), "--org", "tackley"])
    assert result.exit_code == 0, result.output
    ward = db.session.scalar(select(Role).where(Role.name == "Ward visit"))
    assert ward.required_names == ("DBS check", "Peer counsellor course")
    post = db.session.scalar(select(Role).where(Role.name == "Post Office counter"))
    assert post.required_names == ("Post Office training",)
    # importing again with fewer requirements drops the links that went
    path.write_text("name,requires\nWard visit,DBS check\n", encoding="utf-8")
    assert runner.invoke(args=["import", "roles", str(path), "--org", "tackley"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Role, ward.id).required_names == ("DBS check",)
    links = db.session.scalars(select(RoleQualification).where(RoleQualification.role_id == ward.id)).all()
    assert [link.organisation_id for link in links] == [rota.org.id]


def test_the_role_form_ticks_several_qualifications_and_audits_the_change(client, auth, rota, db, clock) -> None:
    course = people.qualification_named(rota.org, "Peer counsellor course")
    dbs = people.qualification_named(rota.org, "DBS check")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    form = client.get("/rota/roles").get_data(as_text=True)
    assert "<legend>Requires</legend>" in form and 'type="checkbox"' in form
    response = client.post("/rota/roles", data={"name": "Ward visit", "intensity": "1.5", "priority": "1",
                                                "required_qualification_ids": [course.id, dbs.id]})
    assert response.status_code == 302
    ward = db.session.scalar(select(Role).where(Role.name == "Ward visit"))
    assert ward.required_names == ("DBS check", "Peer counsellor course")
    assert "DBS check and Peer counsellor course" in client.get("/rota/roles").get_data(as_text=True)
    edit = client.get(f"/rota/roles/{ward.id}").get_data(as_text=True)
    boxes = re.findall(r'<input[^>]*name="required_qualification_ids"[^>]*>', edit)
    assert len(boxes) == 2 and all("checked" in box for box in boxes)
    client.post(f"/rota/roles/{ward.id}", data={"name": "Ward visit", "intensity": "1.5", "priority": "1",
                                                "required_qualification_ids": [dbs.id]})
    db.session.expire_all()
    assert db.session.get(Role, ward.id).required_names == ("DBS check",)
    entry = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "rota.role_update")).one()
    assert entry.details == {"changes": {"required_names": [["DBS check", "Peer counsellor course"],
                                                            ["DBS check"]]}}
    assert entry.created_at == clock.now


def test_another_organisations_qualification_cannot_be_required(client, auth, rota, db) -> None:
    other = make_org("elsewhere")
    theirs = people.qualification_named(other, "Their DBS")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    refused = client.post("/rota/roles", data={"name": "Ward visit", "intensity": "1", "priority": "1",
                                               "required_qualification_ids": [theirs.id]})
    assert refused.status_code == 422 and 'id="required_qualification_ids-error"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(Role).where(Role.name == "Ward visit")) is None


def test_the_shift_panel_hides_who_lacks_one_of_the_qualifications_and_says_which(
        client, auth, rota, db, clock) -> None:
    ward, _, _ = _ward_visit(rota, db)
    shift = make_shift(rota.org, ward, rota.site, local_date(clock.now, "Europe/London") + timedelta(days=9),
                       needed=1)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    panel = client.get(f"/rota/shifts/{shift.id}?all=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    eligible, hidden = panel.split("Can't take it")
    assert 'aria-label="Assign Bob Baker"' in eligible and "Ann Archer" not in eligible
    assert re.search(r"<strong>Ann Archer</strong>: has no DBS check", hidden)
    assert re.search(r"<strong>Cat Carter</strong>: has no DBS check; has no Peer counsellor course", hidden)


def test_the_auto_rota_puts_only_holders_of_every_qualification_on(runner, rota, db, clock) -> None:
    ward, _, _ = _ward_visit(rota, db)
    day = local_date(clock.now, "Europe/London") + timedelta(days=2)
    make_shift(rota.org, ward, rota.site, day, needed=2)
    make_member(rota.org, "dee@example.org", name="Dee Dunn", pledge=4)
    db.session.commit()
    result = runner.invoke(args=["rota", "fill", "--org", "tackley", "--from", day.isoformat(),
                                 "--to", day.isoformat(), "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert set(db.session.scalars(select(Assignment.membership_id))) == {rota.bob.id}
    assert "nobody qualified" in result.output
