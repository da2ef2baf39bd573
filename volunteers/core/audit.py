"""The audit trail: who did what to which record, when, in which organisation.

Every coordinator or admin write calls :func:`record` where it is done (the
service, or the view where there is no service), with a dotted action
(``people.update``, ``rota.assign``) and what changed. Entries hold ids and
field names, never names, e-mail addresses or phone numbers, so erasing a
person never needs to edit the trail; values appear only for fields that
are not personal (role, status, hours). The database refuses to edit or
delete entries (:mod:`volunteers.core.audit_triggers`).
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db

#: what :class:`Snapshot` puts for a personal field that changed: that it changed, not from what to what
WITHHELD = None


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
    records it explains, also under a test's or a job's clock). ``details``
    must be JSON values; dates and decimals are turned into text here.
    """
    entry = AuditLogEntry(
        organisation_id=org.id,
        actor_person_id=actor_person_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details={key: plain(value) for key, value in details.items()},
        created_at=now,
    )
    db.session.add(entry)
    return entry


def plain(value: Any) -> Any:
    """Return ``value`` as JSON can hold it: dates and times as ISO text, decimals as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Snapshot:
    """Some fields of a record as they were, to say later what changed (see :func:`snapshot`)."""

    raw: dict[str, Any]
    personal: frozenset[str]

    def changes(self, obj: object) -> dict[str, list[Any] | None]:
        """Return ``{field: [old, new]}`` for the fields that changed since the snapshot.

        A personal field that changed maps to ``None`` (:data:`WITHHELD`): the
        trail says the e-mail changed, not what it was or became.
        """
        changed: dict[str, list[Any] | None] = {}
        for field, old in self.raw.items():
            new = getattr(obj, field)
            if new != old:  # compared as values: 3.00 and 3 are the same number of hours
                changed[field] = WITHHELD if field in self.personal else [plain(old), plain(new)]
        return changed

    @property
    def values(self) -> dict[str, Any]:
        """The fields as JSON holds them (for a new record's entry: what it was made with)."""
        return {field: plain(value) for field, value in self.raw.items()}


def snapshot(obj: object | None, fields: Iterable[str], personal: Iterable[str] = ()) -> Snapshot:
    """Remember ``fields`` of ``obj`` (nothing for a record about to be made).

    Works whatever flushes in between (services flush; SQLAlchemy's
    attribute history is gone after a flush, a snapshot is not).
    """
    names = list(fields)
    raw = {} if obj is None else {f: copy.deepcopy(getattr(obj, f)) for f in names}
    return Snapshot(raw, frozenset(personal))
