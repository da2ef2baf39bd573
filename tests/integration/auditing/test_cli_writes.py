"""Commands that write or export an organisation's records leave entries with no actor and ``source: cli``."""
from __future__ import annotations

from pathlib import Path

from volunteers.core.models import Organisation
from volunteers.extensions import db

from .conftest import entries, expect


def _org(slug: str) -> Organisation:
    found = db.session.query(Organisation).filter_by(slug=slug).one()
    return found


def test_commands_are_in_the_trail(runner, db, clock, tmp_path: Path) -> None:
    assert runner.invoke(args=["org", "create", "tackley", "--name", "Tackley"]).exit_code == 0
    org = _org("tackley")
    created = expect(org, "organisation.create", None, "organisation", org.id, clock.now)
    assert created.details == {"source": "cli", "timezone": "Europe/London"}
    people = tmp_path / "people.csv"
    people.write_text("name,email\nAnn Archer,ann@example.org\n", encoding="utf-8")
    assert runner.invoke(args=["import", "volunteers", str(people), "--org", "tackley"]).exit_code == 0
    imported = expect(org, "people.import", None, "organisation", org.id, clock.now)
    assert imported.details == {"source": "cli", "added": 1, "updated": 0}
    roles = tmp_path / "roles.csv"
    roles.write_text("name,intensity,requires,on_call\nShop counter,1.0,,no\n", encoding="utf-8")
    assert runner.invoke(args=["import", "roles", str(roles), "--org", "tackley"]).exit_code == 0
    assert expect(org, "rota.import_roles", None, "organisation", org.id, clock.now).details["added"] == 1
    shifts = tmp_path / "shifts.csv"
    shifts.write_text("date,start,end,role,site,needed,volunteers,status\n"
                      "2030-03-31,09:00,12:00,Shop counter,Hall,2,ann@example.org,planned\n", encoding="utf-8")
    result = runner.invoke(args=["import", "shifts", str(shifts), "--org", "tackley", "--create-missing"])
    assert result.exit_code == 0, result.output
    shifts_entry = expect(org, "rota.import_shifts", None, "organisation", org.id, clock.now)
    assert shifts_entry.details["created"] == 1 and shifts_entry.details["source"] == "cli"
    exported = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2030-03-31", "--to", "2030-03-31"])
    assert exported.exit_code == 0 and "ann@example.org" in exported.output
    export = expect(org, "rota.export", None, "organisation", org.id, clock.now)
    assert export.details == {"source": "cli", "first": "2030-03-31", "last": "2030-03-31", "format": "csv",
                              "shifts": 1}
    issued = runner.invoke(args=["report", "issue", "--org", "tackley", "--month", "2026-10", "--send"])
    assert issued.exit_code == 0, issued.output
    assert [e.action for e in entries(org, "reports.")] == ["reports.issue", "reports.send"]
    assert all(e.actor_person_id is None for e in entries(org))


def test_a_refused_import_leaves_no_entry(runner, db, clock, tmp_path: Path) -> None:
    runner.invoke(args=["org", "create", "tackley", "--name", "Tackley"])
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nEve,not-an-email\n", encoding="utf-8")
    assert runner.invoke(args=["import", "volunteers", str(bad), "--org", "tackley"]).exit_code == 1
    assert entries(_org("tackley"), "people.") == []
