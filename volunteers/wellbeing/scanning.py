"""The retrospective scan: judge everyone's worked and planned shifts, keep one open warning per episode.

A :class:`~volunteers.wellbeing.models.LoadWarning` row stands for one
person, rule and episode (``episode_key``). Each scan updates it in place,
raises the severity (and reopens an acknowledged or snoozed one) when it
gets worse, and resolves it when the rules no longer find it: the metric
fell back, the shifts behind it went, the episode ended longer ago than the
scan reports, or the person left. The writing is in :mod:`.upsert`.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import func

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.wellbeing import LoadWarning as Found
from volunteers.wellbeing import evaluate_volunteer
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import iter_places, memberships_of, org_policy, org_zone, policy_for, schedule_of
from volunteers.wellbeing.upsert import ScanResult, existing, reconcile

__all__ = ["REPORT_DAYS", "SCAN_HISTORY", "ScanResult", "judge", "scan"]

#: history judged: load_spike's 7-day acute window, the 28 days before it, and 28 more
#: so that the spike rule's 35 days of history are there for the last 4 weeks
SCAN_HISTORY = timedelta(days=35 + 28)
#: warnings whose episode ended longer ago than this are history: resolved as ``ended``
REPORT_DAYS = timedelta(days=28)


def judge(org: Organisation, membership_ids: Iterable[int] | None,
          now: datetime) -> tuple[dict[int, list[Found]], set[int]]:
    """Return membership id → warnings found (episodes not yet history), and the ids of the people judged.

    Shifts starting from ``SCAN_HISTORY`` before ``now`` onwards, the whole
    planned rota included; people who left are not judged. Two queries, the
    places streamed.
    """
    members = {m.id: m for m in memberships_of(org, membership_ids) if m.status != "left"}
    found: dict[int, list[Found]] = {}
    ids = None if membership_ids is None else list(members)
    if ids == []:
        return found, set()
    tz, base = org_zone(org), org_policy(org)
    cutoff = now - REPORT_DAYS
    for member_id, rows in groupby(iter_places(org, ids, now - SCAN_HISTORY, None), key=lambda r: r.membership_id):
        membership = members.get(member_id)
        if membership is None:
            continue
        schedule = schedule_of(membership, [row.span() for row in rows])
        warnings = evaluate_volunteer(schedule, now, tz, policy_for(org, membership, base=base))
        found[member_id] = [w for w in warnings if w.episode_end >= cutoff]
    return found, set(members)


def scan(org: Organisation, now: datetime, membership_ids: Iterable[int] | None = None) -> ScanResult:
    """Judge these people (everyone when ids is None) as of ``now`` and bring their warning rows up to date.

    Flushes, never commits. A fixed number of queries: the members, their
    places (streamed), their warning rows, the evidence and still-live
    places of rows to resolve, the bulk writes, and the open count.
    """
    ids = None if membership_ids is None else sorted(set(membership_ids))
    result = ScanResult()
    if ids == []:
        return result
    found, judged = judge(org, ids, now)
    result.people = len(judged)
    reconcile(org, found, existing(org, ids, found), judged, now, REPORT_DAYS, result)
    stmt = scoped(LoadWarning, org, func.count(LoadWarning.id)).where(LoadWarning.status != "resolved")
    if ids is not None:
        stmt = stmt.where(LoadWarning.membership_id.in_(ids))
    result.open = db.session.scalar(stmt) or 0
    return result
