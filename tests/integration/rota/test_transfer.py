"""`import shifts`, `import roles` and `rota export`: all-or-nothing, errors by line and field, exact round trips."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from volunteers.contributions.models import Contribution
from volunteers.rota.models import Assignment, Role, Shift, Site

ROWS = """date,start,end,role,site,needed,volunteers,status
2026-03-29,00:00,06:00,Helpline on call,Helpline (remote),1,ann@example.org,attended
2026-10-24,22:00,06:00,Helpline on call,Helpline (remote),1,bob@example.org,attended
2026-10-25,00:00,06:00,Helpline on call,Helpline (remote),1,ann@example.org,attended
2030-06-04,09:00,13:00,Shop counter,Village hall shop,2,ann@example.org;bob@example.org,planned
2030-06-05,23:30,00:30,Shop counter,Village hall shop,3,,planned
"""


def write(tmp_path, text: str, name: str = "shifts.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_then_export_round_trips_clock_changes_and_midnight(runner, rota, db, tmp_path) -> None:
    result = runner.invoke(args=["import", "shifts", write(tmp_path, ROWS), "--org", "tackley", "--create-missing"])
    assert result.exit_code == 0, result.output
    assert "5 shifts added" in result.output and "1 new roles, 1 new sites" in result.output
    exported = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2026-01-01", "--to", "2030-12-31",
                                   "--format", "csv"])
    assert exported.exit_code == 0, exported.output
    lines = exported.output.splitlines()
    assert lines[0] == "date,start,end,role,site,needed,volunteers,status,hours"
    assert [line.rsplit(",", 1)[0] for line in lines[1:]] == ROWS.splitlines()[1:]
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["5.00", "9.00", "7.00", "4.00", "1.00"]
    attended = db.session.scalars(select(Assignment).join(Shift, Shift.id == Assignment.shift_id)
                                  .where(Shift.local_date < date(2027, 1, 1))).all()
    assert {a.status for a in attended} == {"attended"}
    entries = db.session.scalars(select(Contribution).order_by(Contribution.occurred_at)).all()
    assert [(e.status, e.kind, float(e.hours)) for e in entries] == [
        ("approved", "time", 5.0), ("approved", "time", 9.0), ("approved", "time", 7.0)]


def test_export_as_json_to_a_file(runner, rota, tmp_path) -> None:
    runner.invoke(args=["import", "shifts", write(tmp_path, ROWS), "--org", "tackley", "--create-missing"])
    out = tmp_path / "rota.json"
    result = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2026-10-25", "--to", "2026-10-25",
                                 "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == [{
        "date": "2026-10-25", "start": "00:00", "end": "06:00", "role": "Helpline on call",
        "site": "Helpline (remote)", "needed": 1, "volunteers": ["ann@example.org"], "status": "attended",
        "hours": 7.0}]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(runner, rota, db, tmp_path) -> None:
    path = write(tmp_path, ROWS)
    runner.invoke(args=["import", "shifts", path, "--org", "tackley", "--create-missing"])
    again = runner.invoke(args=["import", "shifts", path, "--org", "tackley"])
    assert again.exit_code == 0, again.output
    assert "0 shifts added, 5 updated, 0 people placed, 0 attendances" in again.output
    assert count(db, Shift) == 5 and count(db, Assignment) == 5 and count(db, Contribution) == 3


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_line(runner, rota, db, tmp_path) -> None:
    bad = ROWS + "2030-06-06,09:00,13:00,Shop counter,Village hall shop,1,nobody@example.org,planned\n"
    path = write(tmp_path, bad)
    result = runner.invoke(args=["import", "shifts", path, "--org", "tackley", "--create-missing"])
    assert result.exit_code == 1
    assert f"{path}:7: field 'volunteers': nobody@example.org is not a member of Tackley Village Shop" in result.output
    assert count(db, Shift) == 0 and count(db, Role) == 1 and count(db, Site) == 1


def test_unknown_roles_and_sites_need_create_missing(runner, rota, db, tmp_path) -> None:
    path = write(tmp_path, ROWS)
    result = runner.invoke(args=["import", "shifts", path, "--org", "tackley"])
    assert result.exit_code == 1
    assert f"{path}:2: field 'role': unknown role 'Helpline on call'" in result.output
    assert f"{path}:2: field 'site': unknown site 'Helpline (remote)'" in result.output
    assert f"{path}:5:" not in result.output  # the shop's role and site exist
    assert count(db, Shift) == 0


def test_syntax_errors_and_impossible_rows_are_all_reported(runner, rota, db, tmp_path) -> None:
    path = write(tmp_path, "date,start,end,role,site,needed,volunteers,status\n"
                           "2026-13-01,09:00,13:00,Shop counter,Village hall shop,1,,planned\n"
                           "2030-01-01,09:00,13:00,Shop counter,Village hall shop,1,"
                           "ann@example.org;bob@example.org,planned\n"
                           "2030-01-02,09:00,13:00,Shop counter,Village hall shop,1,ann@example.org,attended\n")
    result = runner.invoke(args=["import", "shifts", path, "--org", "tackley"])
    assert result.exit_code == 1 and f"{path}:2: field 'date'" in result.output
    assert count(db, Shift) == 0
    assert f"{path}:3: field 'volunteers': 2 volunteers listed but only 1 needed" in result.output
    assert count(db, Shift) == 0
    # rows that parse but cannot be: checked against the organisation, all reported at once
    path = write(tmp_path, "date,start,end,role,site,needed,volunteers,status\n"
                           "2030-01-02,09:00,13:00,Shop counter,Village hall shop,1,ann@example.org,attended\n"
                           "2030-01-03,09:00,13:00,Shop counter,Village hall shop,1,,attended\n"
                           "2030-01-02,09:00,13:00,Shop counter,Village hall shop,1,,planned\n", "b.csv")
    result = runner.invoke(args=["import", "shifts", path, "--org", "tackley"])
    assert f"{path}:2: field 'status': attended, but the shift has not ended yet" in result.output
    assert f"{path}:3: field 'volunteers': an attended shift needs the volunteers" in result.output
    assert f"{path}:4: field 'date': the same shift as line 2" in result.output
    assert count(db, Shift) == 0


def test_export_refuses_bad_dates_and_unknown_organisations(runner, rota) -> None:
    backwards = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2026-02-01", "--to", "2026-01-01"])
    assert backwards.exit_code == 1 and "--to" in backwards.output
    nonsense = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "soon", "--to", "2026-01-01"])
    assert nonsense.exit_code == 1 and "--from: expected a date" in nonsense.output
    unknown = runner.invoke(args=["rota", "export", "--org", "nowhere", "--from", "2026-01-01", "--to", "2026-01-02"])
    assert unknown.exit_code == 1 and "nowhere" in unknown.output


def test_import_roles_adds_and_updates_all_or_nothing(runner, rota, db, tmp_path) -> None:
    path = write(tmp_path, "name,intensity,requires,on_call\n"
                           "Shop counter,1.0,,false\n"
                           "Post Office counter,1.0,Post Office training,false\n"
                           "Helpline on call,1.5,Peer counsellor course,true\n", "roles.csv")
    result = runner.invoke(args=["import", "roles", path, "--org", "tackley"])
    assert result.exit_code == 0, result.output
    assert "3 roles into tackley: 2 added, 1 updated" in result.output
    helpline = db.session.scalar(select(Role).where(Role.name == "Helpline on call"))
    assert helpline.on_call and float(helpline.intensity) == 1.5
    assert helpline.required_names == ("Peer counsellor course",)
    bad = write(tmp_path, "name,intensity,requires,on_call\nCafe,1.0,,false\nWard visit,heavy,,maybe\n,1,,\n",
                "bad.csv")
    refused = runner.invoke(args=["import", "roles", bad, "--org", "tackley"])
    assert refused.exit_code == 1
    assert f"{bad}:3: field 'intensity'" in refused.output and f"{bad}:3: field 'on_call'" in refused.output
    assert f"{bad}:4: field 'name'" in refused.output
    assert db.session.scalar(select(Role).where(Role.name == "Cafe")) is None
