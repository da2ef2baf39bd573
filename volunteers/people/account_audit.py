"""Audit entries about a person's own account (sign-ins, two-factor changes, password resets).

The audit trail belongs to organisations, and a person's account is theirs
alone, so an account event is recorded once in every organisation the
person is a member of (not in those they have left): each organisation's
admins see the sign-ins to the accounts that can act in it. An account with
no membership leaves no entry; the app's log still has it.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.models import Membership, Person

log = logging.getLogger(__name__)


def record_for_person(person: Person, action: str, *, actor_person_id: int | None, now: datetime,
                      reason: str | None = None, **details: Any) -> int:
    """Add ``action`` about ``person`` to the trail of each of their organisations; return how many entries."""
    orgs = db.session.scalars(
        select(Organisation)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.person_id == person.id, Membership.status != "left")
        .order_by(Organisation.id)
    ).all()
    for org in orgs:
        audit.record(org, actor_person_id, action, "person", person.id, reason, now=now, **details)
    log.info("%s person=%s %s", action, person.id, " ".join(f"{k}={v}" for k, v in sorted(details.items())))
    return len(orgs)
