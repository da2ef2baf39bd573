"""Retention: erase people who left an organisation more than N months ago.

N is the organisation setting ``retention_months_after_leaving`` (default
24; see ``privacy.domain.rules``). The day someone left is
``Membership.left_on``; memberships left before that date was recorded
count from their last shift or ledger entry, else from the day the
membership was created (:func:`~volunteers.privacy.domain.rules.left_since`).
Memberships already erased (the audit trail records each erasure) are not
erased again. The same functions back ``person retention`` and the nightly job.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func

from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.privacy.domain.rules import RETENTION_SETTING, left_since, retention_due, retention_months
from volunteers.privacy.services import erase_member, erased_membership_ids
from volunteers.rota.models import Assignment, Shift


@dataclass(frozen=True)
class Candidate:
    """A membership the retention rule says to erase."""

    membership_id: int
    person_id: int
    name: str
    email: str
    left_since: date
    #: whether ``left_since`` is the recorded ``left_on`` (else a fallback)
    recorded: bool


def _last_activity(org: Organisation) -> dict[int, date]:
    """Return, per membership that has any, the last local date of a shift they were on or a ledger entry."""
    shifts = (scoped(Assignment, org, Assignment.membership_id, func.max(Shift.local_date))
              .join(Shift, (Shift.organisation_id == Assignment.organisation_id) & (Shift.id == Assignment.shift_id))
              .group_by(Assignment.membership_id))
    entries = (scoped(Contribution, org, Contribution.membership_id, func.max(Contribution.occurred_on))
               .where(Contribution.membership_id.is_not(None)).group_by(Contribution.membership_id))
    last: dict[int, date] = {}
    for stmt in (shifts, entries):
        for membership_id, day in db.session.execute(stmt):
            if day is not None and (membership_id not in last or day > last[membership_id]):
                last[membership_id] = day
    return last


def candidates(org: Organisation, now: datetime) -> list[Candidate]:
    """Return the organisation's left memberships due for erasure at ``now``, longest gone first."""
    months = retention_months(org.setting(RETENTION_SETTING))
    today = local_date(now, org.timezone)
    erased = erased_membership_ids(org)
    last = _last_activity(org)
    due: list[Candidate] = []
    rows = db.session.execute(
        scoped(Membership, org, Membership.id, Membership.person_id, Membership.left_on, Membership.created_at,
               Person.name, Person.email)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.status == "left").order_by(Membership.id))
    for membership_id, person_id, left_on, created_at, name, email in rows:
        if membership_id in erased:
            continue
        since = left_since(left_on, last.get(membership_id), local_date(created_at, org.timezone))
        if retention_due(since, today, months):
            due.append(Candidate(membership_id, person_id, name, email, since, left_on is not None))
    return sorted(due, key=lambda c: (c.left_since, c.membership_id))


def erase_due(org: Organisation, now: datetime, actor_person_id: int | None = None,
              source: str = "job") -> list[Candidate]:
    """Erase every membership :func:`candidates` returns; return them (the caller commits)."""
    months = retention_months(org.setting(RETENTION_SETTING))
    due = candidates(org, now)
    for candidate in due:
        membership = db.session.get(Membership, candidate.membership_id)
        assert membership is not None
        erase_member(org, membership, actor_person_id=actor_person_id, now=now, source=source,
                     reason=f"retention: left more than {months} months ago ({candidate.left_since.isoformat()})")
    return due
