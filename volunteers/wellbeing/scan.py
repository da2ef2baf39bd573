"""The retrospective scan: judge everyone's worked and planned shifts, keep one open warning per episode.

A :class:`~volunteers.wellbeing.models.LoadWarning` row stands for one
person, rule and episode (``episode_key``). Each scan updates it in place,
raises the severity (and reopens an acknowledged or snoozed one) when it
gets worse, and resolves it when the rules no longer find it: the metric
fell back, the shifts behind it went, the episode ended longer ago than the
scan reports, or the person left. The writing is in :mod:`.warning_rows`.

Every scan also records, per person judged, when the clock alone may next
change what they are found to have (:class:`~.models.LoadRecheck`), so the
nightly job judges those people only (:func:`scan_due`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import delete, func, insert

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.wellbeing import LoadWarning as Found
from volunteers.wellbeing import Policy, ShiftSpan, evaluate_volunteer
from volunteers.wellbeing.domain.next_judgement import history_start, next_judgement
from volunteers.wellbeing.load_sources import extra_load
from volunteers.wellbeing.models import LoadRecheck, LoadWarning
from volunteers.wellbeing.schedules import (
    first_on_record,
    iter_places,
    memberships_of,
    org_policy,
    org_zone,
    policy_for,
    schedule_of,
)
from volunteers.wellbeing.warning_rows import ScanResult, existing, reconcile, settle

__all__ = ["REPORT_DAYS", "SCAN_HISTORY", "Judgement", "ScanResult", "judge", "scan", "scan_due"]

#: history judged (before the latest Sunday midnight): load_spike's 7-day acute window, the 28 days
#: before it, and 28 more so that the spike rule's 35 days of history are there for the last 4 weeks
SCAN_HISTORY = timedelta(days=35 + 28)
#: warnings whose episode ended longer ago than this are history: resolved as ``ended``
REPORT_DAYS = timedelta(days=28)


@dataclass
class Judgement:
    """What judging some people found: their warnings, who was judged, and when each is due again."""

    #: membership id → warnings found (episodes not yet history)
    found: dict[int, list[Found]] = field(default_factory=dict)
    #: the ids of the people judged (whether or not they have places)
    judged: set[int] = field(default_factory=set)
    #: membership id → when to judge them again with no change to their schedule (absent: never)
    due: dict[int, datetime] = field(default_factory=dict)


def judge(org: Organisation, membership_ids: Iterable[int] | None, now: datetime,
          policy: Policy | None = None) -> Judgement:
    """Judge these people (everyone judged when ``None``) as of ``now``.

    ``policy`` stands in for the organisation's own (the settings page's
    preview judges everyone under a proposed policy before it is saved).

    Shifts starting from ``SCAN_HISTORY`` before the latest Sunday
    midnight onwards (:func:`~.domain.recheck.history_start`), the whole
    planned rota included, with the dates of each person's first shifts on
    record before that, and each person's load from outside the rota
    (:mod:`.load_sources`: logged time and open cases), so people with no
    place but such load are judged too; people who left are not judged.
    Three queries, the places streamed, and the load sources' own.
    """
    members = {m.id: m for m in memberships_of(org, membership_ids) if m.status != "left"}
    judgement = Judgement(judged=set(members))
    ids = None if membership_ids is None else list(members)
    if ids == []:
        return judgement
    tz, base = org_zone(org), policy if policy is not None else org_policy(org)
    cutoff, since = now - REPORT_DAYS, history_start(now, tz, SCAN_HISTORY)
    complete_since = since.astimezone(tz).date()  # a local midnight: that whole day is read
    records = first_on_record(org, ids, since, tz)
    extra = extra_load(org, ids, since, None)  # logged time and open cases (load_sources)

    def judge_one(membership: Membership, spans: list[ShiftSpan]) -> None:
        schedule = schedule_of(membership, spans, complete_since=complete_since,
                               record=records.get(membership.id), extra=extra.get(membership.id))
        person_policy = policy_for(org, membership, base=base)
        reported = [w for w in evaluate_volunteer(schedule, now, tz, person_policy) if w.episode_end >= cutoff]
        judgement.found[membership.id] = reported
        due = next_judgement(schedule, reported, now, tz, person_policy, history=SCAN_HISTORY)
        if due is not None:
            judgement.due[membership.id] = due

    for member_id, rows in groupby(iter_places(org, ids, since, None), key=lambda r: r.membership_id):
        if member_id in members:
            judge_one(members[member_id], [row.span() for row in rows])
    for member_id in sorted(extra.keys() - judgement.found.keys()):  # load from outside the rota only
        if member_id in members:
            judge_one(members[member_id], [])
    return judgement


def scan(org: Organisation, now: datetime, membership_ids: Iterable[int] | None = None,
         policy: Policy | None = None) -> ScanResult:
    """Judge these people (everyone when ids is None) as of ``now`` and bring their warning rows up to date.

    ``policy`` replaces the organisation's own, as in :func:`judge`.

    Also records when each is due to be judged again (:func:`scan_due`).
    Flushes, never commits. A fixed number of queries: the members, their
    first places on record, their places (streamed), their warning rows,
    the evidence and still-live places of rows to resolve, the bulk writes,
    and the open count.
    """
    ids = None if membership_ids is None else sorted(set(membership_ids))
    result = ScanResult()
    if ids == []:
        return result
    judgement = judge(org, ids, now, policy)
    result.people = len(judgement.judged)
    reconcile(org, judgement.found, existing(org, ids, judgement.found), judgement.judged, now, REPORT_DAYS,
              result)
    record_due(org, ids, judgement)
    stmt = scoped(LoadWarning, org, func.count(LoadWarning.id)).where(LoadWarning.status != "resolved")
    if ids is not None:
        stmt = stmt.where(LoadWarning.membership_id.in_(ids))
    result.open = db.session.scalar(stmt) or 0
    return result


def scan_due(org: Organisation, now: datetime) -> ScanResult:
    """Bring warnings up to date with the clock, judging only the people the rules must look at again.

    First what needs no judging (:func:`~.warning_rows.settle`: warnings whose
    planned shifts have all started, episodes now history); then the people
    whose recheck is due, and the people with unresolved warnings never
    judged with a recheck (rows from before rechecks were recorded).
    Everyone else was judged when their schedule last changed
    (:mod:`.reactions`), and nothing else about them depends on the clock
    until their recheck. The nightly job runs this; a full :func:`scan`
    stays the weekly safety net and ``flask load scan``. ``open`` counts the
    whole organisation's open warnings.
    """
    db.session.flush()
    settled = ScanResult()
    settle(org, now, REPORT_DAYS, settled)
    due = scoped(LoadRecheck, org, LoadRecheck.membership_id).where(LoadRecheck.due_at <= now)
    unchecked = (scoped(LoadWarning, org, LoadWarning.membership_id)
                 .where(LoadWarning.status != "resolved",
                        ~scoped(LoadRecheck, org, LoadRecheck.membership_id)
                        .where(LoadRecheck.membership_id == LoadWarning.membership_id).exists()))
    ids = set(db.session.scalars(due)) | set(db.session.scalars(unchecked))
    result = scan(org, now, membership_ids=ids)
    result.updated += settled.updated
    result.resolved += settled.resolved
    result.open = db.session.scalar(scoped(LoadWarning, org, func.count(LoadWarning.id))
                                    .where(LoadWarning.status != "resolved")) or 0
    return result


def record_due(org: Organisation, membership_ids: list[int] | None, judgement: Judgement) -> None:
    """Replace the rechecks of the people judged (everyone's when ids is None) by the new ones."""
    stmt = delete(LoadRecheck).where(LoadRecheck.organisation_id == org.id)
    if membership_ids is not None:
        stmt = stmt.where(LoadRecheck.membership_id.in_(membership_ids))
    db.session.execute(stmt, execution_options={"synchronize_session": False})
    rows = [{"organisation_id": org.id, "membership_id": member_id, "due_at": due}
            for member_id, due in judgement.due.items()]
    if rows:
        db.session.execute(insert(LoadRecheck), rows)
