"""The monthly job: on the 1st from 06:00 local time, one report and one e-mail per organisation, whatever happens."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_org, utc
from tests.integration.reports.helpers import in_threads, make_ledger_org
from volunteers.core.models import JobRun, Organisation
from volunteers.core.timeutil import Month
from volunteers.extensions import db as _db
from volunteers.mail import sender
from volunteers.mail.models import OutboxMessage
from volunteers.reports import jobs
from volunteers.reports.models import MonthlyReport

RUN_AT = utc(2026, 11, 1, 6, 5)  # 06:05 GMT on 1 Nov




def _two_organisations() -> None:
    tackley = make_ledger_org("tackley", "Tackley Village Shop")
    tackley.org.settings = {"report_recipients": ["trustees@tackley.example"]}
    surestart = make_ledger_org("surestart", "Sure Start Gateshead")
    assert surestart.org.id


def _counts() -> tuple[int, int]:
    return (_db.session.scalar(select(func.count()).select_from(MonthlyReport)),
            _db.session.scalar(select(func.count()).select_from(OutboxMessage)))


def test_it_is_due_on_the_first_from_six_in_the_morning_local_time(db) -> None:
    london, new_york = make_org("tackley"), make_org("brooklyn", timezone="America/New_York")
    assert jobs.due_month(london, utc(2026, 11, 1, 5, 59)) is None
    assert jobs.due_month(london, utc(2026, 11, 1, 6)) == Month(2026, 10)
    assert jobs.due_month(london, utc(2026, 10, 1, 5)) == Month(2026, 9)  # 06:00 BST
    assert jobs.due_month(london, utc(2026, 11, 2, 6)) is None
    assert jobs.due_month(new_york, utc(2026, 11, 1, 10, 59)) is None  # 05:59 EST, after the clocks went back
    assert jobs.due_month(new_york, utc(2026, 11, 1, 11)) == Month(2026, 10)
    assert jobs.due_month(london, utc(2027, 1, 1, 6)) == Month(2026, 12)


def test_two_runs_send_one_report_and_one_email_per_organisation(db, smtp) -> None:
    _two_organisations()
    db.session.commit()
    assert jobs.issue_due_reports(RUN_AT) == 2
    assert jobs.issue_due_reports(RUN_AT + timedelta(hours=1)) == 0
    assert sender.send_due(RUN_AT + timedelta(hours=1)) == 2
    assert sender.send_due(RUN_AT + timedelta(hours=2)) == 0
    assert _counts() == (2, 2)
    assert sorted(m["To"] for m in smtp.messages) == ["coordinator@surestart.example", "trustees@tackley.example"]
    message = next(m for m in smtp.messages if m["To"] == "trustees@tackley.example")
    assert message["Subject"] == "Tackley Village Shop: contributions in October 2026"
    parts = {p.get_content_type(): p for p in message.walk()}
    assert "<svg" in parts["text/html"].get_payload(decode=True).decode()
    attachments = {p.get_filename(): p.get_payload(decode=True) for p in message.walk() if p.get_filename()}
    assert set(attachments) == {"tackley-2026-10.csv", "tackley-2026-10.xlsx"}
    assert attachments["tackley-2026-10.csv"].startswith(b"section,item,detail,value")
    book = openpyxl.load_workbook(io.BytesIO(attachments["tackley-2026-10.xlsx"]))
    assert {"Summary", "By volunteer", "By role", "By site", "By kind", "By stage"} <= set(book.sheetnames)
    assert all(r.sent_at == RUN_AT for r in db.session.scalars(select(MonthlyReport)))


def test_nothing_is_issued_before_six_or_after_the_first(db) -> None:
    _two_organisations()
    db.session.commit()
    assert jobs.issue_due_reports(utc(2026, 11, 1, 5, 55)) == 0
    assert jobs.issue_due_reports(utc(2026, 11, 2, 6, 5)) == 0
    assert _counts() == (0, 0)


def test_two_scheduler_processes_at_once_send_one_each(shared_app) -> None:
    with shared_app.app_context():
        _two_organisations()
        _db.session.commit()
        _db.session.remove()
    outcomes = in_threads(shared_app, lambda: jobs.issue_due_reports(RUN_AT), 3)
    assert sorted(outcomes) == [0, 0, 2] or sum(outcomes) == 2, outcomes
    with shared_app.app_context():
        counts = _counts()
        runs = _db.session.execute(select(JobRun.key, JobRun.status).order_by(JobRun.key)).all()
        _db.session.remove()
    assert counts == (2, 2)
    assert [tuple(r) for r in runs] == [("surestart:2026-10", "done"), ("tackley:2026-10", "done")]


def test_a_run_that_dies_half_way_is_finished_by_a_later_run_once(db, smtp, monkeypatch) -> None:
    _two_organisations()
    db.session.commit()
    real_send = jobs.send_report

    def die(*args, **kwargs):
        raise SystemExit("killed")  # not an Exception: nothing catches it, like a killed process

    monkeypatch.setattr(jobs, "send_report", die)
    with pytest.raises(SystemExit):
        jobs.issue_due_reports(RUN_AT)
    db.session.rollback()  # the dead process's transaction never commits
    monkeypatch.setattr(jobs, "send_report", real_send)
    assert _counts() == (0, 0)
    assert db.session.scalar(select(JobRun.status)) == "running"
    # the next hourly run: the first organisation's claim is still leased, the other one is done now
    assert jobs.issue_due_reports(RUN_AT + timedelta(minutes=20)) == 1
    assert jobs.issue_due_reports(RUN_AT + timedelta(minutes=40)) == 1  # lease (30 min) expired: taken over
    assert jobs.issue_due_reports(RUN_AT + timedelta(hours=2)) == 0
    sender.send_due(RUN_AT + timedelta(hours=2))
    assert _counts() == (2, 2)
    assert len(smtp.messages) == 2


def test_a_failure_is_recorded_and_retried_next_hour(db, monkeypatch) -> None:
    org = make_org("tackley")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    db.session.commit()
    real_send = jobs.send_report

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(jobs, "send_report", broken)
    assert jobs.issue_due_reports(RUN_AT) == 0
    run = db.session.scalar(select(JobRun))
    assert run.status == "failed" and "template missing" in run.error
    monkeypatch.setattr(jobs, "send_report", real_send)
    assert jobs.issue_due_reports(RUN_AT + timedelta(hours=1)) == 1
    assert _counts() == (1, 1)
    assert db.session.get(Organisation, org.id).slug == "tackley"
