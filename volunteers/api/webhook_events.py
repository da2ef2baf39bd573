"""Find the shift and assignment changes each flush makes and queue them as webhook events.

The smallest visible hook, like ``rota.changes``: shifts and assignments
changed through the ORM are noticed just before the flush (``before_flush``:
their history is still there) and queued just after it (``after_flush_postexec``:
new rows have ids), so the deliveries are written in the same transaction as
the change. A place released by a bulk UPDATE (``rota.places.release_place``)
and a shift cancelled by one (``rota.services.cancel_shift``) are announced by
``core.signals.place_released`` / ``shift_cancelled`` instead.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from volunteers.api.webhook_models import WebhookEndpoint
from volunteers.api.webhooks import live_endpoints, queue_event
from volunteers.core.signals import place_released, shift_cancelled
from volunteers.core.timeutil import utcnow
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift

#: a shift change worth telling a receiver (``filled`` moves by bulk UPDATEs and is in assignment events)
SHIFT_FIELDS = ("starts_at", "ends_at", "needed", "role_id", "site_id", "notes", "status")
PENDING = "webhook_events_pending"


def shift_data(shift: Shift) -> dict[str, Any]:
    return {"id": shift.id, "starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat(),
            "role_id": shift.role_id, "site_id": shift.site_id, "needed": shift.needed, "status": shift.status}


def assignment_data(assignment: Assignment) -> dict[str, Any]:
    return {"id": assignment.id, "shift_id": assignment.shift_id, "membership_id": assignment.membership_id,
            "status": assignment.status}


def _shift_event(session: Session, shift: Shift) -> str | None:
    if shift in session.new:
        return "shift.created"
    attrs = inspect(shift).attrs
    if not any(attrs[name].history.has_changes() for name in SHIFT_FIELDS):
        return None
    return "shift.cancelled" if attrs["status"].history.has_changes() and shift.status == "cancelled" \
        else "shift.updated"


def _assignment_event(session: Session, assignment: Assignment) -> str | None:
    if assignment in session.new:
        return "assignment.created" if assignment.status in ACTIVE_ASSIGNMENT_STATUSES else None
    if assignment in session.deleted:
        return "assignment.removed"
    history = inspect(assignment).attrs["status"].history
    if history.has_changes() and assignment.status not in ACTIVE_ASSIGNMENT_STATUSES and \
            any(before in ACTIVE_ASSIGNMENT_STATUSES for before in history.deleted):
        return "assignment.removed"
    return None


def note_changes(session: Session, flush_context: object, instances: object) -> None:
    """Before the flush: remember which shifts and assignments changed, and how."""
    pending: list[tuple[str, object]] = []
    session.info[PENDING] = pending  # a failed flush's notes are dropped
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = _shift_event(session, obj) if isinstance(obj, Shift) else \
            _assignment_event(session, obj) if isinstance(obj, Assignment) else None
        if kind is not None:
            pending.append((kind, obj))


def queue_noted(session: Session, flush_context: object) -> None:
    """After the flush: queue what was noted (the rows now have ids); the commit writes it with the change."""
    pending = session.info.pop(PENDING, [])
    now = utcnow()
    endpoints: dict[int, list[WebhookEndpoint]] = {}  # one query per organisation per flush
    for kind, obj in pending:
        org_id = obj.organisation_id
        if org_id not in endpoints:
            endpoints[org_id] = live_endpoints(session, org_id)
        data = shift_data(obj) if isinstance(obj, Shift) else assignment_data(obj)
        queue_event(session, org_id, kind, data, now, endpoints[org_id])


def on_place_released(session: Session, *, assignment: Assignment, **_: Any) -> None:
    queue_event(session, assignment.organisation_id, "assignment.removed",
                {**assignment_data(assignment), "status": "cancelled"}, utcnow())


def on_shift_cancelled(session: Session, *, shift: Shift, **_: Any) -> None:
    queue_event(session, shift.organisation_id, "shift.cancelled", {**shift_data(shift), "status": "cancelled"},
                utcnow())


def watch(session_class: type[Session]) -> None:
    """Queue webhook events for every session of this class (done once by create_app)."""
    if not event.contains(session_class, "before_flush", note_changes):
        event.listen(session_class, "before_flush", note_changes)
        event.listen(session_class, "after_flush_postexec", queue_noted)
    place_released.connect(on_place_released, weak=False)
    shift_cancelled.connect(on_shift_cancelled, weak=False)
