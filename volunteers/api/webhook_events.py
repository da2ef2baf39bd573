"""Find the changes webhooks report (shifts, places, warnings, reports) and queue them as events.

The smallest visible hook, like ``rota.changes``: shifts and assignments
changed through the ORM are noticed just before the flush (``before_flush``:
their history is still there) and queued just after it (``after_flush_postexec``:
new rows have ids), so the deliveries are written in the same transaction as
the change. A place released by a bulk UPDATE (``rota.places.release_place``)
and a shift cancelled by one (``rota.services.cancel_shift``) are announced by
``core.signals.place_released`` / ``shift_cancelled`` instead; the load scan's
warnings and issued reports, written by bulk INSERTs, by ``warnings_changed`` and
``report_issued``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from volunteers.api.webhook_models import WebhookEndpoint
from volunteers.api.webhooks import live_endpoints, queue_event
from volunteers.core.signals import place_released, report_issued, shift_cancelled, warnings_changed
from volunteers.core.timeutil import utcnow
from volunteers.reports.models import MonthlyReport
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from volunteers.wellbeing.models import LoadWarning

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


def warning_data(row: LoadWarning) -> dict[str, Any]:
    """A warning's figures and ids, never its message or evidence (which name shifts and times in words)."""
    return {"id": row.id, "membership_id": row.membership_id, "rule": row.rule, "severity": row.severity,
            "status": row.status, "value": float(row.value), "threshold": float(row.threshold),
            "window_start": row.window_start.isoformat(), "window_end": row.window_end.isoformat(),
            "prospective": row.prospective}


def on_warnings_changed(session: Session, *, organisation_id: int, raised: list[tuple[int, str, str]],
                        worsened: list[tuple[int, str, str]], now: datetime, **_: Any) -> None:
    """Queue ``warning.raised`` / ``warning.worsened``; reads the rows only when an endpoint wants them."""
    endpoints = [e for e in live_endpoints(session, organisation_id)
                 if {"warning.raised", "warning.worsened"} & set(e.events or ())]
    if not endpoints:
        return
    kinds = {**{key: "warning.worsened" for key in worsened}, **{key: "warning.raised" for key in raised}}
    with session.no_autoflush:
        rows = session.scalars(select(LoadWarning).where(
            LoadWarning.organisation_id == organisation_id,
            LoadWarning.membership_id.in_({key[0] for key in kinds})).order_by(LoadWarning.id))
        for row in rows:
            kind = kinds.get((row.membership_id, row.rule, row.episode_key))
            if kind is not None:
                queue_event(session, organisation_id, kind, warning_data(row), now, endpoints)


def on_report_issued(session: Session, *, organisation_id: int, report: MonthlyReport, now: datetime,
                     **_: Any) -> None:
    queue_event(session, organisation_id, "report.issued",
                {"id": report.id, "month": report.month, "figures_hash": report.figures_hash,
                 "issued_at": report.issued_at.isoformat()}, now)


def watch(session_class: type[Session]) -> None:
    """Queue webhook events for every session of this class (done once by create_app)."""
    if not event.contains(session_class, "before_flush", note_changes):
        event.listen(session_class, "before_flush", note_changes)
        event.listen(session_class, "after_flush_postexec", queue_noted)
    place_released.connect(on_place_released, weak=False)
    shift_cancelled.connect(on_shift_cancelled, weak=False)
    warnings_changed.connect(on_warnings_changed, weak=False)
    report_issued.connect(on_report_issued, weak=False)
