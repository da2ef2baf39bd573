"""Recording decisions that need a trail: overrides, approvals, imports."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db


def record(
    org: Organisation,
    actor_person_id: int | None,
    action: str,
    target_type: str,
    target_id: int | None,
    reason: str | None = None,
    *,
    now: datetime,
    **details: Any,
) -> AuditLogEntry:
    """Add an audit entry to the session (the caller's unit of work commits it).

    ``now`` is the instant the caller acts at (the trail must agree with the
    records it explains, also under a test's or a job's clock).
    """
    entry = AuditLogEntry(
        organisation_id=org.id,
        actor_person_id=actor_person_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details,
        created_at=now,
    )
    db.session.add(entry)
    return entry
