"""`org create` and `import volunteers`: all rows or none, errors naming file, line and field."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tests.factories import make_member, make_org
from volunteers.people.models import AvailabilityWindow, Membership, Person, PersonQualification

GOOD = (
    "name,email,phone,qualifications,pledged_hours_per_week,joined_on,availability\n"
    "Ann Archer,ann@example.org,01869 000001,Post Office training:2027-03-31;DBS check,4,2025-02-01,"
    "Mon 09:00-13:00;Thu 14:00-18:00\n"
    "Bob Baker,BOB@example.org,,,2.5,,\n"
)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_org_create_makes_an_organisation(runner, db) -> None:
    result = runner.invoke(args=["org", "create", "tackley", "--name", "Tackley Village Shop"])
    assert result.exit_code == 0, result.output
    assert "Created organisation tackley" in result.output


def test_org_create_refuses_a_bad_time_zone(runner, db) -> None:
    result = runner.invoke(args=["org", "create", "x", "--name", "X", "--timezone", "Mars/Olympus"])
    assert result.exit_code != 0
    assert "timezone" in result.output


def test_import_adds_people_with_qualifications_and_availability(runner, db, tmp_path: Path) -> None:
    make_org("tackley")
    db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    bob = db.session.scalar(select(Person).where(Person.email == "bob@example.org"))
    assert bob is not None
    assert _count(db, PersonQualification) == 2
    assert _count(db, AvailabilityWindow) == 2


def test_reimport_updates_rather_than_duplicates(runner, db, tmp_path: Path) -> None:
    make_org("tackley")
    db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])
    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])
    assert "0 added, 2 updated" in result.output
    assert _count(db, Membership) == 2


def test_a_bad_row_imports_nobody_and_names_line_and_field(runner, db, tmp_path: Path) -> None:
    org = make_org("tackley")
    make_member(org, "existing@example.org")
    db.session.commit()
    before = (_count(db, Person), _count(db, Membership), _count(db, PersonQualification))
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,email,qualifications,pledged_hours_per_week\n"
        "Ann,ann@example.org,DBS,3\n"
        "Bad Email,not-an-email,,3\n"
        "Cat,cat@example.org,Post Office training:31/03/2027,3\n"
        "Dup,ann@example.org,,3\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])
    assert result.exit_code != 0
    assert f"{path}:3: field 'email'" in result.output
    assert f"{path}:4: field 'qualifications'" in result.output
    assert f"{path}:5: field 'email'" in result.output and "appears twice" in result.output
    assert (_count(db, Person), _count(db, Membership), _count(db, PersonQualification)) == before


def test_unknown_organisation_is_a_clear_error(runner, db, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "nowhere"])
    assert result.exit_code != 0
    assert "--org" in result.output and "nowhere" in result.output


def test_missing_file_is_a_clear_error(runner, db) -> None:
    make_org("tackley")
    db.session.commit()
    result = runner.invoke(args=["import", "volunteers", "/no/such.csv", "--org", "tackley"])
    assert result.exit_code != 0
    assert "/no/such.csv" in result.output


def test_missing_header_column_is_reported_on_line_1(runner, db, tmp_path: Path) -> None:
    make_org("tackley")
    db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text("full name,mail\nAnn,ann@example.org\n", encoding="utf-8")
    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])
    assert result.exit_code != 0
    assert f"{path}:1:" in result.output
