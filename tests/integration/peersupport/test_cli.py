"""`cases import`, `contacts import` and `cases due` (DESIGN.md, "Peer support"): all rows or none,
errors naming file, line and field; contact time in the ledger; another organisation's cases invisible."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_org
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry
from volunteers.peersupport import services
from volunteers.peersupport.models import Contact, SupportedPerson

HEAD = "reference,first_name,born_on,area,phone,language,supporter,closed_on,closed_reason\n"
CASES = (HEAD
         + "SS-001,Amy,2026-11-20,Felling,0191 000 0001,English,ann@example.org,,\n"
         + "SS-002,Bea,2026-07-01,Low Fell,,Polish,bob@example.org,,\n"
         + "SS-003,Cat,2026-06-20,Felling,,English,,2026-11-01,moved_away\n")
CONTACTS_HEAD = "reference,date,supporter,mode,minutes,outcome\n"


@pytest.fixture()
def sure(db, clock):
    org = make_org("surestart")
    make_member(org, "ann@example.org")
    make_member(org, "bob@example.org")
    other = make_org("elsewhere")
    make_member(other, "eve@example.org")
    db.session.commit()
    return org


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _import(runner, what: str, path: str, org: str = "surestart"):
    return runner.invoke(args=[what, "import", path, "--org", org])


def test_cases_import_adds_then_updates_by_reference(runner, db, sure, tmp_path) -> None:
    result = _import(runner, "cases", _write(tmp_path, "c.csv", CASES))
    assert result.exit_code == 0, result.output
    assert "3 added, 0 updated, 1 closed" in result.output
    cat = db.session.scalar(select(SupportedPerson).where(SupportedPerson.reference == "SS-003"))
    assert (cat.status, cat.closed_on, cat.closed_reason, cat.supporter_membership_id) == \
        ("closed", date(2026, 11, 1), "moved_away", None)
    again = (HEAD + "SS-001,Amy,2026-11-21,Gateshead,,English,bob@example.org,,\n"
             + "SS-003,Cat,2026-06-20,Felling,,English,,,\n")
    result = _import(runner, "cases", _write(tmp_path, "c2.csv", again))
    assert "0 added, 2 updated, 0 closed" in result.output, result.output
    db.session.expire_all()
    amy = db.session.scalar(select(SupportedPerson).where(SupportedPerson.reference == "SS-001"))
    assert (amy.born_on, amy.area, amy.phone) == (date(2026, 11, 21), "Gateshead", None)
    assert amy.supporter_membership_id == services.members_by_email(sure, ["bob@example.org"])["bob@example.org"].id
    cat = db.session.scalar(select(SupportedPerson).where(SupportedPerson.reference == "SS-003"))
    assert (cat.status, cat.closed_on) == ("open", None)
    assert _count(db, SupportedPerson) == 3


@pytest.mark.parametrize(("line", "message"), [
    ("SS-009,Dee,2026-02-30,,,,,,", "c.csv:3: field 'born_on': must be a date as YYYY-MM-DD, got '2026-02-30'"),
    ("SS-009,Dee,2026-11-01,,,,nobody@example.org,,",
     "c.csv:3: field 'supporter': no member of the organisation has the e-mail 'nobody@example.org'"),
    ("SS-009,Dee,2026-11-01,,,,eve@example.org,,",  # a member of another organisation is unknown here
     "c.csv:3: field 'supporter': no member of the organisation has the e-mail 'eve@example.org'"),
    ("SS-001,Dee,2026-11-01,,,,,,", "c.csv:3: field 'reference': 'SS-001' is already on line 2"),
    ("SS-009,Dee,2026-11-01,,,,,2026-11-05,left", "c.csv:3: field 'closed_reason': must be one of moved_away, "
                                                  "declined, plan_complete, other, got 'left'"),
])
def test_a_bad_case_row_imports_nothing_and_names_line_and_field(runner, db, sure, tmp_path, line, message) -> None:
    path = _write(tmp_path, "c.csv", HEAD + "SS-001,Amy,2026-11-20,,,,ann@example.org,,\n" + line + "\n")
    result = _import(runner, "cases", path)
    assert result.exit_code == 1
    assert "nothing imported" in result.output and message in result.output, result.output
    assert _count(db, SupportedPerson) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditLogEntry)
                             .where(AuditLogEntry.action.like("peersupport.%"))) == 0


def test_contacts_import_writes_time_to_the_ledger(runner, db, sure, clock, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    contacts = (CONTACTS_HEAD + "SS-001,2026-11-20,ann@example.org,ward,45,Feeding well\n"
                + "SS-002,2026-11-25,bob@example.org,group,90,\n")
    result = _import(runner, "contacts", _write(tmp_path, "k.csv", contacts))
    assert result.exit_code == 0, result.output
    assert "Imported 2 contacts into surestart (2.25 hours)" in result.output
    entries = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    ann, bob = (services.members_by_email(sure, [e])[e].id for e in ("ann@example.org", "bob@example.org"))
    assert [(e.membership_id, e.contributor_type, e.kind, e.stage, e.hours, e.occurred_on, e.status)
            for e in entries] == [
        (ann, "volunteer", "time", "delivery", Decimal("0.75"), date(2026, 11, 20), "approved"),
        (bob, "volunteer", "time", "delivery", Decimal("1.50"), date(2026, 11, 25), "approved"),
        (None, "service_user", "time", "delivery", Decimal("1.50"), date(2026, 11, 25), "approved"),
    ]
    assert entries[2].contributor_name == "Peer-support group members"  # no mother is named in the ledger
    assert {c.contribution_id for c in db.session.scalars(select(Contact))} == {entries[0].id, entries[1].id}
    # the same file again records nothing twice
    result = _import(runner, "contacts", _write(tmp_path, "k.csv", contacts))
    assert "Imported 0 contacts" in result.output and "2 already recorded were skipped" in result.output
    assert _count(db, Contribution) == 3


@pytest.mark.parametrize(("line", "message"), [
    ("SS-001,2026-12-01,ann@example.org,home,30,", "k.csv:3: field 'date': a contact cannot be in the future"),
    ("SS-001,2026-11-29,ann@example.org,home,721,", "k.csv:3: field 'minutes': a contact of more than 12 hours"),
    ("SS-404,2026-11-29,ann@example.org,home,30,", "k.csv:3: field 'reference': no supported person has the "
                                                   "reference 'SS-404'"),
    ("SS-001,2026-11-29,nobody@example.org,home,30,", "k.csv:3: field 'supporter': no member"),
    ("SS-001,2026-11-31,ann@example.org,home,30,", "k.csv:3: field 'date': must be a date"),
])
def test_a_bad_contact_row_imports_nothing(runner, db, sure, clock, tmp_path, line, message) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    path = _write(tmp_path, "k.csv", CONTACTS_HEAD + "SS-001,2026-11-20,ann@example.org,ward,45,\n" + line + "\n")
    result = _import(runner, "contacts", path)
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert _count(db, Contact) == 0 and _count(db, Contribution) == 0


def test_another_organisations_reference_is_invisible(runner, db, sure, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    make_member(db.session.query(type(sure)).filter_by(slug="elsewhere").one(), "ann@example.org")
    db.session.commit()
    path = _write(tmp_path, "k.csv", CONTACTS_HEAD + "SS-001,2026-11-20,ann@example.org,ward,45,\n")
    result = _import(runner, "contacts", path, org="elsewhere")
    assert result.exit_code == 1 and "no supported person has the reference 'SS-001'" in result.output
    due = runner.invoke(args=["cases", "due", "--org", "elsewhere", "--on", "2026-11-30", "--format", "json"])
    assert json.loads(due.output) == []


def test_cases_due_json_and_csv_follow_design(runner, db, sure, clock, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    # SS-002 (born 1 Jul): ward visit never made, follow-up opens day 140 = 18 Nov, closes day 154 = 2 Dec
    # SS-001 (born 20 Nov): ward visit due by 22 Nov; a contact dated after --on does not count
    contacts = (CONTACTS_HEAD + "SS-002,2026-11-20,bob@example.org,phone,20,\n"
                + "SS-001,2026-11-25,ann@example.org,ward,30,\n")
    assert _import(runner, "contacts", _write(tmp_path, "k.csv", contacts)).exit_code == 0
    result = runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "2026-11-24", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"reference": "SS-002", "step": "ward_visit", "opens": "2026-07-01", "due_by": "2026-07-03",
         "status": "overdue", "days_overdue": 144, "supporter": "bob@example.org"},
        {"reference": "SS-001", "step": "ward_visit", "opens": "2026-11-20", "due_by": "2026-11-22",
         "status": "overdue", "days_overdue": 2, "supporter": "ann@example.org"},
    ]
    result = runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "2026-11-17", "--format", "csv"])
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows == [["reference", "step", "opens", "due_by", "status", "days_overdue", "supporter"],
                    ["SS-002", "ward_visit", "2026-07-01", "2026-07-03", "overdue", "137", "bob@example.org"]]
    # on 1 Nov SS-003 was still open (closed that day: nothing); the day before it was overdue
    before = runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "2026-10-31"])
    assert [i["reference"] for i in json.loads(before.output)] == ["SS-003", "SS-002"]
    assert json.loads(before.output)[0]["supporter"] is None


def test_cases_due_refuses_a_bad_day(runner, db, sure) -> None:
    result = runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "30/11/2026"])
    assert result.exit_code == 1 and "--on" in result.output


def test_a_corrected_contact_reverses_its_ledger_entries(runner, db, sure, clock, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    path = _write(tmp_path, "k.csv", CONTACTS_HEAD + "SS-002,2026-11-25,bob@example.org,group,90,\n")
    assert _import(runner, "contacts", path).exit_code == 0
    contact = db.session.scalars(select(Contact)).one()
    services.correct_contact(sure, contact.id, now=clock.now, actor_person_id=None, minutes=60, mode="home")
    db.session.commit()
    entries = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    assert [(e.contributor_type, e.hours, e.reverses_id) for e in entries] == [
        ("volunteer", Decimal("1.50"), None), ("service_user", Decimal("1.50"), None),
        ("volunteer", Decimal("-1.50"), entries[0].id), ("service_user", Decimal("-1.50"), entries[1].id),
        ("volunteer", Decimal("1.00"), None)]
    assert sum(e.hours for e in entries) == Decimal("1.00")
    assert (contact.contribution_id, contact.attendance_contribution_id) == (entries[4].id, None)


def test_the_commands_are_in_the_audit_trail(runner, db, sure, clock, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    path = _write(tmp_path, "k.csv", CONTACTS_HEAD + "SS-001,2026-11-20,ann@example.org,ward,45,\n")
    assert _import(runner, "contacts", path).exit_code == 0
    assert runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "2026-11-30"]).exit_code == 0
    trail = db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action.like("peersupport.%"))
                               .order_by(AuditLogEntry.id)).all()
    assert [(e.action, e.actor_person_id, e.target_id, e.created_at, e.details) for e in trail] == [
        ("peersupport.import_cases", None, sure.id, clock.now,
         {"source": "cli", "rows": 3, "added": 3, "updated": 0, "closed": 1}),
        ("peersupport.import_contacts", None, sure.id, clock.now,
         {"source": "cli", "rows": 1, "added": 1, "skipped": 0, "hours": "0.75"}),
        ("peersupport.cases_due", None, sure.id, clock.now,
         {"source": "cli", "on": "2026-11-30", "format": "json", "items": 2}),  # SS-002: ward visit and follow-up
    ]


def test_an_edited_plan_applies_to_open_cases_and_is_audited(runner, db, sure, clock, tmp_path) -> None:
    assert _import(runner, "cases", _write(tmp_path, "c.csv", CASES)).exit_code == 0
    with pytest.raises(ServiceError):
        services.set_contact_plan(sure, [{"step": "x", "opens": 5, "due_by": 1}], now=clock.now, actor_person_id=None)
    plan = [{"step": "call_day_3", "opens": 1, "due_by": 3, "modes": ["phone", "home"]}]
    services.set_contact_plan(sure, plan, now=clock.now, actor_person_id=None)
    db.session.commit()
    items = services.due_on(sure, date(2026, 11, 24))
    assert [(i.reference, i.step, i.days_overdue) for i in items] == [("SS-002", "call_day_3", 143),
                                                                     ("SS-001", "call_day_3", 1)]
    entry = db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.action == "peersupport.set_contact_plan")).one()
    assert entry.details["after"][0]["step"] == "call_day_3" and entry.details["before"] is None
    services.set_contact_plan(sure, None, now=clock.now, actor_person_id=None)
    assert [i.step for i in services.due_on(sure, date(2026, 11, 24))] == ["ward_visit", "ward_visit", "follow_up_20w"]


def test_cases_plan_prints_sets_and_resets_the_plan_and_due_follows(runner, sure, tmp_path: Path, db) -> None:
    shown = runner.invoke(args=["cases", "plan", "--org", "surestart"])
    assert shown.exit_code == 0
    assert [s["step"] for s in json.loads(shown.output)] == ["ward_visit", "follow_up_20w"]
    plan = [{"step": "ward_visit", "opens": 0, "due_by": 2, "modes": ["ward"], "done_from": 0},
            {"step": "call_6w", "opens": 35, "due_by": 49, "modes": ["home", "phone"], "done_from": 30}]  # MODES order
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    changed = runner.invoke(args=["cases", "plan", "--org", "surestart", "--set", str(path)])
    assert changed.exit_code == 0 and json.loads(changed.output) == plan
    db.session.expire_all()
    assert [s.name for s in services.contact_plan(sure).steps] == ["ward_visit", "call_6w"]
    assert db.session.scalar(select(func.count()).select_from(AuditLogEntry).where(
        AuditLogEntry.action == "peersupport.set_contact_plan")) == 1
    reset = runner.invoke(args=["cases", "plan", "--org", "surestart", "--default"])
    assert reset.exit_code == 0 and [s["step"] for s in json.loads(reset.output)] == ["ward_visit", "follow_up_20w"]


@pytest.mark.parametrize(("text", "named"), [
    ("not json", "not JSON"),
    ('[{"step": "ward_visit", "opens": 3, "due_by": 2, "modes": ["ward"], "done_from": 0}]', "ward_visit"),
    ('[{"step": "x", "opens": 0, "due_by": 2, "modes": ["carrier pigeon"], "done_from": 0}]', "x: modes"),
])
def test_a_bad_plan_file_is_named_and_nothing_changes(runner, sure, tmp_path: Path, db, text: str,
                                                     named: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["cases", "plan", "--org", "surestart", "--set", str(path)])
    assert result.exit_code != 0 and str(path) in result.output and named in result.output
    db.session.expire_all()
    assert services.contact_plan(sure) == services.contact_plan(make_org("fresh"))
