"""The nightly erasure of closed records past retention, and the weekly e-mails (idempotent per week)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.factories import make_member, make_org
from volunteers.contributions.models import Contribution
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.peersupport import casework, reminders
from volunteers.peersupport.jobs import nightly_retention, weekly_mail
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.scheduler import all_jobs

from .conftest import Programme, add_case


def _closed(org, reference: str, closed_on: date, supporter) -> SupportedPerson:
    case = add_case(org, reference, "Zoe", date(2025, 1, 1), supporter)
    case.status, case.closed_on, case.closed_reason = "closed", closed_on, "plan_complete"
    return case


def test_closed_records_are_erased_a_retention_period_after_closing(programme: Programme, clock) -> None:
    org = programme.org
    # today is 30 Nov 2026: 12 months after 29 Nov 2025 has passed; after 30 Nov 2025 it is exactly today
    gone = _closed(org, "OLD", date(2025, 11, 29), programme.ann)
    kept = _closed(org, "KEEP", date(2025, 11, 30), programme.ann)
    casework.log_contact(org, programme.amy, programme.ann, on=date(2026, 11, 30), mode="phone", minutes=30,
                         outcome="fine", now=clock.now)
    gone.status, gone.closed_on = "open", None  # log a contact on it while open, then close it again
    _db.session.flush()
    contact = casework.log_contact(org, gone, programme.ann, on=date(2025, 11, 1), mode="home", minutes=60,
                                   outcome="private note", now=clock.now)
    gone.status, gone.closed_on = "closed", date(2025, 11, 29)
    elsewhere = make_org("shortkeep")
    elsewhere.settings = {"case_retention_months": 6}
    short = _closed(elsewhere, "S", date(2026, 5, 29), make_member(elsewhere, "sam@example.org"))
    _db.session.commit()
    gone_id, kept_id, short_id, entry_id = gone.id, kept.id, short.id, contact.contribution_id
    done = nightly_retention(clock.now)
    assert done == {"surestart": [gone_id], "elsewhere": [], "shortkeep": [short_id]}
    _db.session.expire_all()
    remaining = set(_db.session.scalars(select(SupportedPerson.reference)))
    assert "OLD" not in remaining and "S" not in remaining and {"KEEP", "SS-001"} <= remaining
    assert _db.session.scalar(select(func.count()).select_from(Contact).where(
        Contact.supported_person_id == gone_id)) == 0
    assert _db.session.get(Contribution, entry_id) is not None  # the counsellor's time stays in the ledger
    trail = _db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "peersupport.erase_case")).all()
    assert sorted((e.target_id, e.actor_person_id, e.details["retention_months"]) for e in trail) == sorted(
        [(gone_id, None, 12), (short_id, None, 6)])
    assert nightly_retention(clock.now) == {}  # once per organisation and day
    clock.now += timedelta(days=1)
    assert nightly_retention(clock.now)["surestart"] == [kept_id]


def _outbox() -> list[OutboxMessage]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_weekly_mails_to_counsellors_and_the_overdue_digest_once_a_week(programme: Programme, clock) -> None:
    weekly_mail(clock.now)
    sent = {m.to_address: m for m in _outbox()}
    assert set(sent) == {"ann@example.org", "cora@surestart.example"}
    ann = sent["ann@example.org"].body_text
    # Cat's ward visit by Tue 1 Dec and Amy's follow-up by Fri 4 Dec; Bea (Bob's) is late, not coming due
    assert "Cat (SS-003): ward visit" in ann and "Amy (SS-001): 20-week follow-up" in ann and "Bea" not in ann
    digest = sent["cora@surestart.example"].body_text
    assert "Bea (SS-002): 20-week follow-up, 9 days late" in digest and "Amy" not in digest
    assert "0191" not in ann + digest  # no phone numbers in mail
    clock.now += timedelta(days=2)  # Wednesday: the job runs again, the week's mails are out
    weekly_mail(clock.now)
    assert len(_outbox()) == 2
    clock.now += timedelta(days=5)  # next Monday
    weekly_mail(clock.now)
    assert len(_outbox()) > 2


def test_the_jobs_are_scheduled() -> None:
    assert {"peersupport.retention", "peersupport.weekly_mail"} <= {job.id for job in all_jobs()}


def test_a_long_overdue_digest_lists_the_first_and_counts_the_rest(programme: Programme, clock, monkeypatch) -> None:
    monkeypatch.setattr(reminders, "DIGEST_LIMIT", 0)
    weekly_mail(clock.now)
    digest = next(m for m in _outbox() if m.to_address == "cora@surestart.example")
    assert "1 contact the plan asks for is overdue" in digest.body_text and "… and 1 more." in digest.body_text
    assert "Bea" not in digest.body_text
