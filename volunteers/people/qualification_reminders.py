"""Expiry reminders for checks and training: to the person and to the coordinators, 60, 30 and 7 days ahead.

Once a day per organisation (``core.jobruns.once_per_organisation_day``,
keyed by its local date), every record expiring within 60 days is at a
threshold (``people.domain.expiry``). A ``qualification_reminders`` row
keyed (record, its expiry date, threshold) says that reminder went: a
repeated run, a second scheduler or a missed day never send one twice,
and a renewed record (a new expiry) is reminded afresh. The person gets
one e-mail per record and threshold; each coordinator one digest a day
listing the records that reached a threshold. Mail goes through the
outbox, due at the job's ``now``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, tuple_

from volunteers.core import jobruns
from volunteers.core.links import absolute
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.mail import outbox
from volunteers.people.domain.expiry import THRESHOLDS, due_threshold
from volunteers.people.expiring import active_members_records
from volunteers.people.models import Membership, Person, PersonQualification, Qualification, QualificationReminder

JOB_ID = "people.qualification_reminders"


@dataclass(frozen=True)
class Reminder:
    """One record at one threshold, as the e-mails show it."""

    record_id: int
    membership_id: int
    name: str
    email: str
    qualification: str
    kind: str
    expires_on: date
    threshold: int
    #: whole days from the job's local date to the expiry
    days_left: int

    @property
    def expires_text(self) -> str:
        """The expiry as the e-mails write it: ``Fri 29 Jan 2027``."""
        return f"{self.expires_on:%a %-d %b %Y}"


def _due(org: Organisation, today: date) -> list[Reminder]:
    """Return the reminders due today that have not been sent (two queries)."""
    rows = db.session.execute(
        active_members_records(org, PersonQualification.id, PersonQualification.membership_id, Person.name,
                               Person.email, Qualification.name, Qualification.kind, PersonQualification.expires_on)
        .where(Person.erased_at.is_(None), PersonQualification.expires_on.is_not(None),
               PersonQualification.expires_on >= today,
               PersonQualification.expires_on <= today + timedelta(days=max(THRESHOLDS)))
        .order_by(PersonQualification.expires_on, Person.name)
    ).all()
    due = [Reminder(rid, mid, name, email, qual, kind, expires, threshold, (expires - today).days)
           for rid, mid, name, email, qual, kind, expires in rows
           if expires is not None and (threshold := due_threshold(expires, today)) is not None]
    if not due:
        return []
    sent = {tuple(row) for row in db.session.execute(
        select(QualificationReminder.person_qualification_id, QualificationReminder.expires_on,
               QualificationReminder.threshold_days)
        .where(QualificationReminder.organisation_id == org.id,
               tuple_(QualificationReminder.person_qualification_id, QualificationReminder.expires_on).in_(
                   [(r.record_id, r.expires_on) for r in due]))
    )}
    return [r for r in due if (r.record_id, r.expires_on, r.threshold) not in sent]


def _coordinators(org: Organisation) -> list[tuple[int, str, str]]:
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(Membership.id, Person.name, Person.email).join(Person, Person.id == Membership.person_id)
        .where(Membership.organisation_id == org.id, Membership.role.in_(("coordinator", "admin")),
               Membership.status == "active", Person.erased_at.is_(None))
        .order_by(Membership.id))]


def send_expiry_reminders(org: Organisation, now: datetime) -> int:
    """Queue today's reminders for ``org``; return how many records were reminded about."""
    today = local_date(now, org.timezone)
    due = _due(org, today)
    for r in due:
        outbox.enqueue(
            dedupe_key=f"qualification-expiry:{org.id}:{r.record_id}:{r.expires_on}:{r.threshold}", now=now,
            to=r.email, subject=f"Your {r.qualification} expires on {r.expires_on:%-d %B %Y}",
            template="qualification_expiring", organisation_id=org.id, org=org, reminder=r)
        db.session.add(QualificationReminder(organisation_id=org.id, person_qualification_id=r.record_id,
                                             expires_on=r.expires_on, threshold_days=r.threshold, sent_at=now))
    if due:
        for coordinator_id, name, email in _coordinators(org):
            outbox.enqueue(
                dedupe_key=f"qualification-expiry-digest:{org.id}:{coordinator_id}:{today}", now=now, to=email,
                subject=f"{len(due)} qualification{'s' if len(due) != 1 else ''} expiring soon",
                template="qualification_expiring_digest", organisation_id=org.id, org=org, name=name,
                reminders=due, link=absolute("/people/expiring"))
    db.session.flush()
    return len(due)


def send_all(now: datetime) -> dict[str, int]:
    """The scheduled job: every organisation's reminders, once per its local day."""
    return jobruns.once_per_organisation_day(JOB_ID, now, send_expiry_reminders)
