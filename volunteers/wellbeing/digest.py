"""The daily digest: one e-mail per coordinator listing new or worsened load warnings.

A warning goes into a digest when it is open, not snoozed, at least
:data:`DIGEST_MIN_SEVERITY`, and worse than the severity last e-mailed
(``notified_severity``); once queued, ``notified_severity`` records it, so
the same warning is e-mailed again only when it gets worse.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from volunteers.core import links
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership
from volunteers.wellbeing import RULES, severity_rank
from volunteers.wellbeing.models import LoadWarning

#: notices stay on /warnings; the e-mail carries what needs a decision
DIGEST_MIN_SEVERITY = "warning"
#: plain names of the rules, for people who do not read rule codes
RULE_NAMES = {
    "over_pledge": "Well over their pledge",
    "weekly_load": "Heavy week",
    "long_duty": "Long duty",
    "short_rest": "Short rest",
    "consecutive_days": "Many days in a row",
    "consecutive_nights": "Nights in a row",
    "early_starts": "Early starts in a row",
    "intense_hours": "Many intense hours",
    "load_spike": "Sudden rise in load",
    "supervision_due": "Supervision overdue",
    "caseload": "More open cases than their limit",
}


@dataclass(frozen=True)
class DigestResult:
    """How many e-mails were queued and how many warnings they carried."""

    messages: int
    warnings: int


def due_for_digest(org: Organisation, now: datetime) -> list[LoadWarning]:
    """Return the open, unsnoozed warnings worse than last e-mailed, worst first. One query."""
    rows = db.session.scalars(
        scoped(LoadWarning, org)
        .options(selectinload(LoadWarning.membership).selectinload(Membership.person))
        .where(LoadWarning.status == "open",
               or_(LoadWarning.snoozed_until.is_(None), LoadWarning.snoozed_until <= now)))
    order = {rule: k for k, rule in enumerate(RULES)}
    due = [r for r in rows if severity_rank(r.severity) >= severity_rank(DIGEST_MIN_SEVERITY)
           and (r.notified_severity is None or severity_rank(r.severity) > severity_rank(r.notified_severity))]
    return sorted(due, key=lambda r: (-severity_rank(r.severity), r.membership.person.name, order.get(r.rule, 99)))


def _item(row: LoadWarning) -> dict[str, Any]:
    return {"person": row.membership.person.name, "rule": RULE_NAMES.get(row.rule, row.rule), "code": row.rule,
            "severity": row.severity, "message": row.message,
            "worse": row.notified_severity is not None, "prospective": row.prospective}


def digest(org: Organisation, now: datetime) -> DigestResult:
    """Queue one digest e-mail per active coordinator of ``org`` with the new or worsened warnings.

    Idempotent per organisation, coordinator and local day (the outbox's
    dedupe key): a second run the same day queues nothing more, and the
    warnings it would have carried wait for the next day's digest.
    """
    due = due_for_digest(org, now)
    if not due:
        return DigestResult(0, 0)
    coordinators = db.session.scalars(
        scoped(Membership, org).options(selectinload(Membership.person))
        .where(Membership.role.in_(("coordinator", "admin")), Membership.status == "active")
        .order_by(Membership.id)).all()
    day = local_date(now, org.timezone).isoformat()
    link = links.absolute("/warnings")
    items = [_item(row) for row in due]
    critical = sum(row.severity == "critical" for row in due)
    subject = (f"{org.name}: {len(due)} load warning{'s' if len(due) != 1 else ''} to look at"
               + (f" ({critical} critical)" if critical else ""))
    queued = 0
    for coordinator in coordinators:
        if not coordinator.person.active:
            continue
        message = enqueue(dedupe_key=f"load_digest:{org.id}:{coordinator.id}:{day}", now=now,
                          to=coordinator.person.email, subject=subject, template="load_digest",
                          organisation_id=org.id, org=org, coordinator=coordinator.person, items=items, link=link,
                          day=day)
        queued += message is not None
    if queued:
        for row in due:
            row.notified_severity = row.severity
        db.session.flush()
    return DigestResult(queued, len(due) if queued else 0)
