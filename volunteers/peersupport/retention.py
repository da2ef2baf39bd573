"""Erase closed cases a retention period after they closed (the nightly job; ``domain.retention``'s rule).

Erasing a case deletes its record and its contacts (dates, modes, private
notes). The contacts' time stays in the ledger, which names the counsellor
and never the mother, so the monthly reports already issued do not change.
Each erasure is in the audit trail by id and closing date only.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.peersupport.domain.retention import RETENTION_SETTING, latest_closing_due, retention_months
from volunteers.peersupport.models import Contact, SupportedPerson


def erase_closed_cases(org: Organisation, now: datetime) -> list[int]:
    """Erase the organisation's cases closed more than its retention period ago; return their ids."""
    months = retention_months(org.setting(RETENTION_SETTING))
    cutoff = latest_closing_due(local_date(now, org.timezone), months)
    due = [(case_id, closed_on) for case_id, closed_on in db.session.execute(
        scoped(SupportedPerson, org, SupportedPerson.id, SupportedPerson.closed_on).where(
            SupportedPerson.status == "closed", SupportedPerson.closed_on <= cutoff).order_by(SupportedPerson.id))]
    ids = [case_id for case_id, _ in due]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(delete(Contact).where(Contact.organisation_id == org.id,
                                                 Contact.supported_person_id.in_(chunk)))
        db.session.execute(delete(SupportedPerson).where(SupportedPerson.organisation_id == org.id,
                                                         SupportedPerson.id.in_(chunk)))
    for case_id, closed_on in due:
        audit.record(org, None, "peersupport.erase_case", "supported_person", case_id, now=now, source="job",
                     closed_on=closed_on, retention_months=months)
    db.session.flush()
    return ids
