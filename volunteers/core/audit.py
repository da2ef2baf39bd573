"""Recording decisions that need a trail: overrides, approvals, imports."""
from __future__ import annotations

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
    **details: Any,
) -> AuditLogEntry:
    """Add an audit entry to the session (the caller's unit of work commits it)."""
    entry = AuditLogEntry(
        organisation_id=org.id,
        actor_person_id=actor_person_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details,
    )
    db.session.add(entry)
    return entry
