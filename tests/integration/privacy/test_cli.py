"""``flask person export|erase|retention``: the files, the confirmations, and clear errors."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.integration.privacy.helpers import build, unzip
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person


def _erasures() -> int:
    return _db.session.scalar(select(func.count()).select_from(AuditLogEntry)
                              .where(AuditLogEntry.action == "privacy.erase"))


def test_export_writes_every_organisations_data_or_one(runner, db, clock, tmp_path) -> None:
    build(clock.now)
    db.session.commit()
    everything, one = tmp_path / "all.zip", tmp_path / "one.zip"
    result = runner.invoke(args=["person", "export", "ANN@example.org", "--out", str(everything)])
    assert result.exit_code == 0, result.output
    data, csvs = unzip(everything.read_bytes())
    assert {m["organisation_slug"] for m in data["memberships"]} == {"tackley", "surestart"}
    assert "memberships.csv" in csvs and data["scope"] == "all organisations"
    result = runner.invoke(args=["person", "export", "ann@example.org", "--org", "surestart", "--out", str(one)])
    assert result.exit_code == 0, result.output
    data, _ = unzip(one.read_bytes())
    assert [m["organisation_slug"] for m in data["memberships"]] == ["surestart"]
    sources = _db.session.scalars(select(AuditLogEntry.details).where(AuditLogEntry.action == "privacy.export")).all()
    assert len(sources) == 3 and {v["source"] for v in sources} == {"cli"}


def test_export_names_the_default_file_by_date(runner, db, clock, tmp_path, monkeypatch) -> None:
    build(clock.now)
    db.session.commit()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["person", "export", "bob@tackley.example"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "volunteers-data-2026-11-30.zip").exists()


def test_errors_are_clear_and_change_nothing(runner, db, clock, tmp_path) -> None:
    build(clock.now)
    db.session.commit()
    cases = [
        (["person", "export", "nobody@example.org"], "EMAIL: no one signs in with 'nobody@example.org'"),
        (["person", "export", "ann@example.org", "--org", "nowhere"], "--org: no organisation called 'nowhere'"),
        (["person", "export", "bob@tackley.example", "--org", "surestart"],
         "--org: 'bob@tackley.example' is not a member of 'surestart'"),
        (["person", "export", "bob@tackley.example", "--out", str(tmp_path / "missing" / "x.zip")],
         "cannot write the file"),
        (["person", "erase", "nobody@example.org", "--org", "tackley", "--yes"], "EMAIL: no one signs in"),
        (["person", "erase", "ann@example.org", "--org", "nowhere", "--yes"], "--org: no organisation called"),
        (["person", "erase", "bob@tackley.example", "--org", "surestart", "--yes"], "is not a member of 'surestart'"),
        (["person", "retention", "--org", "nowhere"], "--org: no organisation called"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output, (args, result.output)
    assert _erasures() == 0
    assert _db.session.scalar(select(func.count()).select_from(AuditLogEntry)
                              .where(AuditLogEntry.action == "privacy.export")) == 0


def test_erase_asks_first_unless_told_yes(runner, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    refused = runner.invoke(args=["person", "erase", "bob@tackley.example", "--org", "tackley"], input="n\n")
    assert refused.exit_code == 1 and "Nothing erased." in refused.output and _erasures() == 0
    asked = runner.invoke(args=["person", "erase", "bob@tackley.example", "--org", "tackley"],
                          input="y\nasked by phone\n")
    assert asked.exit_code == 0, asked.output
    assert "belongs to no other organisation" in asked.output and "(person wiped)" in asked.output
    entry = _db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "privacy.erase"))
    assert entry is not None and entry.reason == "asked by phone" and entry.details["source"] == "cli"
    _db.session.expire_all()
    assert _db.session.get(Person, world.bob.person_id).email == f"erased-{world.bob.person_id}@invalid"
    again = runner.invoke(args=["person", "erase", f"erased-{world.bob.person_id}@invalid", "--org", "tackley",
                                "--yes"])
    assert again.exit_code == 1 and "already been erased" in again.output


def test_erase_of_someone_in_two_organisations_says_they_keep_their_sign_in(runner, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    result = runner.invoke(args=["person", "erase", "ann@example.org", "--org", "tackley", "--yes",
                                 "--reason", "moved away"])
    assert result.exit_code == 0, result.output
    assert "also belongs to Sure Start" in result.output and "sign-in kept" in result.output
    _db.session.expire_all()
    assert _db.session.get(Person, world.ann.person_id).email == "ann@example.org"
    assert _db.session.get(Membership, world.ann_there.id).status == "active"


def test_retention_lists_with_dry_run_and_erases_without(runner, db, clock) -> None:
    world = build(clock.now)
    world.bob.status, world.bob.left_on = "left", date(2024, 1, 15)
    db.session.commit()
    dry = runner.invoke(args=["person", "retention", "--org", "tackley", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 membership(s) left more than 24 months ago" in dry.output
    assert f"#{world.bob.id}  Bob Baker <bob@tackley.example>  left on 2024-01-15" in dry.output
    assert _erasures() == 0
    real = runner.invoke(args=["person", "retention", "--org", "tackley", "--yes"])
    assert real.exit_code == 0 and "Erased 1 membership(s)." in real.output
    assert _erasures() == 1
    after = runner.invoke(args=["person", "retention", "--org", "tackley", "--dry-run"])
    assert "0 membership(s)" in after.output
