"""The retrospective scan: judge everyone's worked and planned shifts, keep one open warning per episode.

A :class:`~volunteers.wellbeing.models.LoadWarning` row stands for one
person, rule and episode (``episode_key``). Each scan updates it in place,
raises the severity (and reopens an acknowledged or snoozed one) when it
gets worse, and resolves it when the rules no longer find it: the metric
fell back, the shifts behind it went, or the episode ended longer ago than
the scan reports. Adding a shift can move an episode's first day, so a
found warning also matches an open row of the same rule and kind whose
episode overlaps it; that row keeps its key.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import func, or_

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing import LoadWarning as Found
from volunteers.wellbeing import evaluate_volunteer, severity_rank
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import (
    NOT_LIVE, iter_places, memberships_of, org_policy, org_zone, policy_for, schedule_of,
)

#: history judged: load_spike's 7-day acute window, the 28 days before it, and 28 more
#: so that the spike rule's 35 days of history are there for the last 4 weeks
SCAN_HISTORY = timedelta(days=35 + 28)
#: warnings whose episode ended longer ago than this are history: resolved as ``ended``
REPORT_DAYS = timedelta(days=28)


@dataclass
class ScanResult:
    """What one scan did: people judged, and warnings open, new, worse, updated and resolved."""

    people: int = 0
    open: int = 0
    new: int = 0
    worse: int = 0
    updated: int = 0
    resolved: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _kind(key: str) -> str:
    return key.split(":", 1)[0] if ":" in key else ""


def _money(value: float) -> Decimal:
    return Decimal(str(round(float(value), 2)))


def _fields(found: Found) -> dict[str, Any]:
    """Return the columns a found warning sets on its row."""
    evidence = found.to_dict()["evidence"]
    return {"severity": found.severity, "prospective": found.prospective, "window_start": found.window_start,
            "window_end": found.window_end, "episode_start": found.episode_start,
            "episode_end": found.episode_end, "value": _money(found.value),
            "threshold": _money(found.threshold), "message": found.message, "evidence": evidence}


def _same(row: LoadWarning, fields: dict[str, Any]) -> bool:
    for name, value in fields.items():
        current = getattr(row, name)
        if isinstance(value, Decimal):
            if current is None or Decimal(current) != value:
                return False
        elif isinstance(value, datetime):
            if current is None or current.timestamp() != value.timestamp():
                return False
        elif current != value:
            return False
    return True


def judge(org: Organisation, membership_ids: Iterable[int] | None,
          now: datetime) -> tuple[dict[int, list[Found]], set[int]]:
    """Return membership id → warnings found (episodes not yet history), and the ids of the people judged.

    People who left are not judged. One streamed query for the places.
    """
    members = {m.id: m for m in memberships_of(org, membership_ids) if m.status != "left"}
    tz, base = org_zone(org), org_policy(org)
    cutoff = now - REPORT_DAYS
    found: dict[int, list[Found]] = {}
    ids = None if membership_ids is None else list(members)
    if ids == []:
        return found, set()
    for member_id, rows in groupby(iter_places(org, ids, now - SCAN_HISTORY, None), key=lambda r: r.membership_id):
        membership = members.get(member_id)
        if membership is None:
            continue
        schedule = schedule_of(membership, [row.span() for row in rows])
        warnings = evaluate_volunteer(schedule, now, tz, policy_for(org, membership, base=base))
        found[member_id] = [w for w in warnings if w.episode_end >= cutoff]
    return found, set(members)


def _existing(org: Organisation, membership_ids: list[int] | None,
              found: dict[int, list[Found]]) -> list[LoadWarning]:
    """Return the unresolved rows of these people, and resolved rows whose key may come back."""
    keys = {w.episode_key for warnings in found.values() for w in warnings}
    unresolved = LoadWarning.status != "resolved"
    if membership_ids is not None:
        unresolved = unresolved & LoadWarning.membership_id.in_(membership_ids)
    condition = or_(unresolved, LoadWarning.episode_key.in_(keys)) if keys else unresolved
    rows = db.session.scalars(scoped(LoadWarning, org).where(condition))
    return [r for r in rows if r.status != "resolved" or r.membership_id in found]


def _still_live(org: Organisation, refs: set[int]) -> set[int]:
    """Return which of these assignment ids are still live places."""
    if not refs:
        return set()
    stmt = (scoped(Assignment, org, Assignment.id)
            .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
            .where(Assignment.id.in_(refs), Assignment.status.not_in(NOT_LIVE), Shift.status != "cancelled"))
    return set(db.session.scalars(stmt))


def _refs(row: LoadWarning) -> set[int]:
    refs = ((row.evidence or {}).get("episode") or {}).get("shift_refs") or []
    return {int(ref) for ref in refs if str(ref).isdigit()}


def reconcile(org: Organisation, found: dict[int, list[Found]], rows: list[LoadWarning],
              judged: set[int], now: datetime, result: ScanResult) -> None:
    """Upsert the found warnings into ``rows`` (these people's rows) and resolve the rows not found.

    Found warnings take, in turn: the row of the same key; an unmatched
    open row of the same rule and kind whose episode overlaps; a new row
    (its key made unique if an overlapping match already holds it).
    """
    by_key = {(r.membership_id, r.rule, r.episode_key): r for r in rows}
    matched: set[int] = set()
    pending: list[tuple[int, Found]] = []
    for member_id, warnings in found.items():
        for warning in warnings:
            row = by_key.get((member_id, warning.rule, warning.episode_key))
            if row is None:
                pending.append((member_id, warning))
            else:
                _update(row, warning, now, result)
                matched.add(id(row))
    open_rows: dict[tuple[int, str, str], list[LoadWarning]] = {}
    for row in rows:
        if row.status != "resolved" and id(row) not in matched:
            open_rows.setdefault((row.membership_id, row.rule, _kind(row.episode_key)), []).append(row)
    for member_id, warning in pending:
        candidates = open_rows.get((member_id, warning.rule, _kind(warning.episode_key)), [])
        row = next((r for r in candidates if id(r) not in matched and _overlaps(r, warning)), None)
        if row is not None:
            _update(row, warning, now, result)
        else:
            key, n = warning.episode_key, 1
            while (member_id, warning.rule, key) in by_key:
                n += 1
                key = f"{warning.episode_key}#{n}"
            row = LoadWarning(organisation_id=org.id, membership_id=member_id, rule=warning.rule, episode_key=key,
                              status="open", raised_at=now, updated_at=now, **_fields(warning))
            db.session.add(row)
            by_key[(member_id, warning.rule, key)] = row
            result.new += 1
        matched.add(id(row))
    gone = [r for r in rows if r.status != "resolved" and id(r) not in matched]
    live = _still_live(org, set().union(*(_refs(r) for r in gone))) if gone else set()
    for row in gone:
        if row.membership_id not in judged:
            reason = "left"
        elif row.episode_end is not None and row.episode_end < now - REPORT_DAYS:
            reason = "ended"
        elif _refs(row) - live:
            reason = "shifts_removed"
        else:
            reason = "fell_back"
        row.status, row.resolved_at, row.resolved_reason, row.updated_at = "resolved", now, reason, now
        result.resolved += 1
    db.session.flush()


def _overlaps(row: LoadWarning, warning: Found) -> bool:
    if row.episode_start is None or row.episode_end is None:
        return False
    return row.episode_start < warning.episode_end and warning.episode_start < row.episode_end


def _update(row: LoadWarning, warning: Found, now: datetime, result: ScanResult) -> None:
    """Update a row in place; a worse severity reopens it and ends a snooze."""
    fields = _fields(warning)
    if row.status == "resolved":
        row.status, row.resolved_at, row.resolved_reason, row.notified_severity = "open", None, None, None
        row.raised_at = now
        result.new += 1
    elif severity_rank(warning.severity) > severity_rank(row.severity):
        result.worse += 1
        row.status, row.snoozed_until = "open", None
    elif _same(row, fields):
        return
    else:
        result.updated += 1
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = now


def scan(org: Organisation, now: datetime, membership_ids: Iterable[int] | None = None) -> ScanResult:
    """Judge these people (everyone when ids is None) as of ``now`` and bring their warning rows up to date.

    Queries: the members, their places (streamed), their warning rows, the
    still-live check of resolved warnings' places, and the open count.
    """
    ids = None if membership_ids is None else sorted(set(membership_ids))
    result = ScanResult()
    if ids == []:
        return result
    found, judged = judge(org, ids, now)
    result.people = len(judged)
    reconcile(org, found, _existing(org, ids, found), judged, now, result)
    stmt = scoped(LoadWarning, org, func.count(LoadWarning.id)).where(LoadWarning.status != "resolved")
    if ids is not None:
        stmt = stmt.where(LoadWarning.membership_id.in_(ids))
    result.open = db.session.scalar(stmt) or 0
    return result
