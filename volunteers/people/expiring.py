"""The "expiring" list: checks and training of active members that expire soon or lapsed lately."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.domain.expiry import THRESHOLDS, days_left
from volunteers.people.models import Membership, Person, PersonQualification, Qualification

#: lapsed records stay on the list this long (someone must renew them or take them off the rota)
EXPIRED_SHOWN_DAYS = 90


@dataclass(frozen=True)
class ExpiringRecord:
    """One row of the list, as plain values."""

    membership_id: int
    name: str
    qualification: str
    kind: str
    expires_on: date
    days_left: int
    certificate_number: str | None
    update_service_checked_on: date | None

    @property
    def state(self) -> str:
        """``expired``, ``urgent`` (a week or less), or ``soon``."""
        if self.days_left < 0:
            return "expired"
        return "urgent" if self.days_left <= min(THRESHOLDS) else "soon"


def active_members_records(org: Organisation, *columns: Any) -> Select[Any]:
    """Select ``columns`` of the organisation's qualification records held by active members, with the
    person and the qualification joined: the expiring list and the reminders each add their own window."""
    return (select(*columns).select_from(PersonQualification)
            .join(Membership, (Membership.id == PersonQualification.membership_id)
                  & (Membership.organisation_id == PersonQualification.organisation_id))
            .join(Person, Person.id == Membership.person_id)
            .join(Qualification, (Qualification.id == PersonQualification.qualification_id)
                  & (Qualification.organisation_id == PersonQualification.organisation_id))
            .where(PersonQualification.organisation_id == org.id, Membership.status == "active"))


def expiring_records(org: Organisation, today: date) -> list[ExpiringRecord]:
    """Return records expiring within 60 days of ``today`` or lapsed in the last 90, soonest first (one query)."""
    rows = db.session.execute(
        active_members_records(org, Membership.id, Person.name, Qualification.name, Qualification.kind,
                               PersonQualification.expires_on, PersonQualification.certificate_number,
                               PersonQualification.update_service_checked_on)
        .where(PersonQualification.expires_on.is_not(None),
               PersonQualification.expires_on >= today - timedelta(days=EXPIRED_SHOWN_DAYS),
               PersonQualification.expires_on <= today + timedelta(days=max(THRESHOLDS)))
        .order_by(PersonQualification.expires_on, Person.name)
    ).all()
    return [ExpiringRecord(mid, name, qual, kind, expires, days_left(expires, today), cert, checked)
            for mid, name, qual, kind, expires, cert, checked in rows if expires is not None]
