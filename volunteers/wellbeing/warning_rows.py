"""Write what a scan found into LoadWarning rows: update in place, reopen when worse, resolve the rest.

The nightly scan touches every open warning of an organisation, so rows
are read as light tuples and written in bulk: a row whose ``fingerprint``
(a digest of severity, numbers, windows and shifts) has not changed is not
written at all, and the evidence JSON is only built for rows that change.
Adding a shift can move an episode's first day, so a found warning that
matches no row by key takes an open row of the same rule and kind whose
episode overlaps it; that row keeps its key.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import insert, or_, update

from volunteers.core.dml import rows_matched
from volunteers.core.models import Organisation
from volunteers.core.signals import warnings_changed
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing import LoadWarning as Found
from volunteers.wellbeing import severity_rank
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import NOT_LIVE


@dataclass
class ScanResult:
    """What one scan did: people judged, and warnings open, new, worse, updated and resolved."""

    people: int = 0
    open: int = 0
    new: int = 0
    worse: int = 0
    updated: int = 0
    resolved: int = 0


class Row(NamedTuple):
    """The columns of a stored warning that reconciling needs."""

    id: int
    membership_id: int
    rule: str
    episode_key: str
    status: str
    severity: str
    episode_start: datetime | None
    episode_end: datetime | None
    fingerprint: str | None
    prospective: bool


def kind(key: str) -> str:
    """Return an episode key's kind (``run``/``count`` for consecutive_nights), else ``""``."""
    return key.split(":", 1)[0] if ":" in key else ""


def fingerprint(found: Found) -> str:
    """Return a stable digest of everything a found warning would write but ``prospective``.

    ``prospective`` is left out because the clock alone changes it: the
    nightly scan clears it in bulk when the last shift behind it starts
    (:func:`settle`), without judging anyone; rows compare it by itself.
    """
    shifts = tuple((s.ref, s.start.timestamp(), s.end.timestamp(), s.role) for s in found.shifts)
    facts = (found.severity, found.window_start.timestamp(), found.window_end.timestamp(),
             found.episode_start.timestamp(), found.episode_end.timestamp(), round(found.value, 2),
             round(float(found.threshold), 2), found.message, found.shift_refs, shifts,
             tuple(sorted(found.details.items())))
    return hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()


def _money(value: float) -> Decimal:
    return Decimal(str(round(float(value), 2)))


def columns(found: Found, digest: str) -> dict[str, Any]:
    """Return the columns a found warning sets on its row."""
    return {"severity": found.severity, "prospective": found.prospective, "last_shift_at": found.last_start,
            "window_start": found.window_start,
            "window_end": found.window_end, "episode_start": found.episode_start,
            "episode_end": found.episode_end, "value": _money(found.value), "threshold": _money(found.threshold),
            "message": found.message, "evidence": found.to_dict()["evidence"], "fingerprint": digest}


def existing(org: Organisation, membership_ids: list[int] | None, found: dict[int, list[Found]]) -> list[Row]:
    """Return the unresolved rows of these people, and their resolved rows whose key comes back. One query."""
    keys = {w.episode_key for warnings in found.values() for w in warnings}
    unresolved = LoadWarning.status != "resolved"
    condition = or_(unresolved, LoadWarning.episode_key.in_(keys)) if keys else unresolved
    if membership_ids is not None:  # only these people's rows: another's with the same key is not theirs
        condition = condition & LoadWarning.membership_id.in_(membership_ids)
    stmt = scoped(LoadWarning, org, *(getattr(LoadWarning, name) for name in Row._fields)).where(condition)
    return [row for row in map(Row._make, db.session.execute(stmt))
            if row.status != "resolved" or row.membership_id in found]


def _live(org: Organisation, refs: set[int]) -> set[int]:
    """Return which of these assignment ids are still live places."""
    if not refs:
        return set()
    stmt = (scoped(Assignment, org, Assignment.id)
            .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
            .where(Assignment.id.in_(refs), Assignment.status.not_in(NOT_LIVE), Shift.status != "cancelled"))
    return set(db.session.scalars(stmt))


def _refs(evidence: dict[str, Any] | None) -> set[int]:
    refs = ((evidence or {}).get("episode") or {}).get("shift_refs") or []
    return {int(ref) for ref in refs if str(ref).isdigit()}


def _overlaps(row: Row, warning: Found) -> bool:
    return (row.episode_start is not None and row.episode_end is not None
            and row.episode_start < warning.episode_end and warning.episode_start < row.episode_end)


def _change(row: Row, warning: Found, now: datetime, result: ScanResult) -> dict[str, Any] | None:
    """Return the UPDATE of a matched row (None when nothing changed); a worse severity reopens it."""
    digest = fingerprint(warning)
    values: dict[str, Any] = {}
    if row.status == "resolved":
        values = {"status": "open", "resolved_at": None, "resolved_reason": None, "notified_severity": None,
                  "raised_at": now, "acknowledged_at": None, "snoozed_until": None}
        result.new += 1
    elif severity_rank(warning.severity) > severity_rank(row.severity):
        values = {"status": "open", "snoozed_until": None}
        result.worse += 1
    elif digest == row.fingerprint and warning.prospective == row.prospective:
        return None
    else:
        result.updated += 1
    return {"id": row.id, **values, **columns(warning, digest), "updated_at": now}


def reconcile(org: Organisation, found: dict[int, list[Found]], rows: Iterable[Row], judged: set[int],
              now: datetime, report_days: timedelta, result: ScanResult) -> None:
    """Write the found warnings over ``rows`` (these people's rows) and resolve the rows not found.

    Found warnings take, in turn: the row of the same key; an unmatched open
    row of the same rule and kind whose episode overlaps; a new row (its key
    made unique if an overlapping match already holds it).
    """
    rows = list(rows)
    by_key = {(r.membership_id, r.rule, r.episode_key): r for r in rows}
    matched: set[int] = set()
    updates: list[dict[str, Any]] = []
    pending: list[tuple[int, Found]] = []
    for member_id, warnings in found.items():
        for warning in warnings:
            row = by_key.get((member_id, warning.rule, warning.episode_key))
            if row is None:
                pending.append((member_id, warning))
                continue
            matched.add(row.id)
            if (change := _change(row, warning, now, result)) is not None:
                updates.append(change)
    spare: dict[tuple[int, str, str], list[Row]] = {}
    for row in rows:
        if row.status != "resolved" and row.id not in matched:
            spare.setdefault((row.membership_id, row.rule, kind(row.episode_key)), []).append(row)
    inserts: list[dict[str, Any]] = []
    taken = set(by_key)
    for member_id, warning in pending:
        candidates = spare.get((member_id, warning.rule, kind(warning.episode_key)), [])
        row = next((r for r in candidates if r.id not in matched and _overlaps(r, warning)), None)
        if row is not None:
            matched.add(row.id)
            if (change := _change(row, warning, now, result)) is not None:
                updates.append(change)
            continue
        key, n = warning.episode_key, 1
        while (member_id, warning.rule, key) in taken:
            n += 1
            key = f"{warning.episode_key}#{n}"
        taken.add((member_id, warning.rule, key))
        inserts.append({"organisation_id": org.id, "membership_id": member_id, "rule": warning.rule,
                        "episode_key": key, "status": "open", "raised_at": now, "updated_at": now,
                        **columns(warning, fingerprint(warning))})
        result.new += 1
    updates += _resolutions(org, [r for r in rows if r.status != "resolved" and r.id not in matched], judged,
                            now, report_days)
    result.resolved += sum(1 for u in updates if u.get("status") == "resolved")
    _write(inserts, updates)
    _announce(org, inserts, updates, {r.id: r for r in rows}, now)


def _announce(org: Organisation, inserts: list[dict[str, Any]], updates: list[dict[str, Any]],
              rows: dict[int, Row], now: datetime) -> None:
    """Send ``warnings_changed`` for the rows raised (new or reopened) and made worse (for webhooks)."""
    raised = [(i["membership_id"], i["rule"], i["episode_key"]) for i in inserts]
    worsened = []
    for change in updates:
        row = rows.get(change["id"])
        if row is None or change.get("status") != "open":
            continue
        entry = (row.membership_id, row.rule, row.episode_key)
        if row.status == "resolved":
            raised.append(entry)
        elif "snoozed_until" in change:  # _change's mark of a worse severity
            worsened.append(entry)
    if raised or worsened:
        warnings_changed.send(db.session, organisation_id=org.id, raised=raised, worsened=worsened, now=now)


def _resolutions(org: Organisation, gone: list[Row], judged: set[int], now: datetime,
                 report_days: timedelta) -> list[dict[str, Any]]:
    """Return the UPDATEs resolving rows the scan no longer finds, each with its reason. One or two queries."""
    if not gone:
        return []
    evidence = dict(db.session.execute(
        scoped(LoadWarning, org, LoadWarning.id, LoadWarning.evidence)
        .where(LoadWarning.id.in_([r.id for r in gone]))).all())
    live = _live(org, set().union(*(_refs(evidence.get(r.id)) for r in gone)))
    changes = []
    for row in gone:
        if row.membership_id not in judged:
            reason = "left"
        elif row.episode_end is not None and row.episode_end < now - report_days:
            reason = "ended"
        elif _refs(evidence.get(row.id)) - live:
            reason = "shifts_removed"
        else:
            reason = "fell_back"
        changes.append({"id": row.id, "status": "resolved", "resolved_at": now, "resolved_reason": reason,
                        "updated_at": now})
    return changes


def settle(org: Organisation, now: datetime, report_days: timedelta, result: ScanResult) -> None:
    """Apply what the clock alone changes in stored warnings, in two UPDATEs and without judging anyone.

    A warning stops being prospective once the last shift behind it has
    started, and an episode that ended more than ``report_days`` ago is
    history (resolved as ``ended``) — exactly what judging the unchanged
    schedule again would write.
    """
    unresolved = (LoadWarning.organisation_id == org.id) & (LoadWarning.status != "resolved")
    worked = db.session.execute(
        update(LoadWarning).where(unresolved, LoadWarning.prospective, LoadWarning.last_shift_at < now)
        .values(prospective=False, updated_at=now).execution_options(synchronize_session=False))
    ended = db.session.execute(
        update(LoadWarning).where(unresolved, LoadWarning.episode_end < now - report_days)
        .values(status="resolved", resolved_at=now, resolved_reason="ended", updated_at=now)
        .execution_options(synchronize_session=False))
    result.updated += rows_matched(worked)
    result.resolved += rows_matched(ended)


def _write(inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    """Insert and update in bulk, then expire loaded LoadWarning objects so they show the new values."""
    session = db.session
    session.flush()
    if inserts:
        session.execute(insert(LoadWarning), inserts)
    by_columns: dict[frozenset[str], list[dict[str, Any]]] = {}
    for change in updates:
        by_columns.setdefault(frozenset(change), []).append(change)
    for batch in by_columns.values():
        session.execute(update(LoadWarning), batch)
    if inserts or updates:
        for obj in list(session.identity_map.values()):
            if isinstance(obj, LoadWarning):
                session.expire(obj)
