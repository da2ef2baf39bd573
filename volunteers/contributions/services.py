"""Ledger use cases: attendance, no-shows, self-logged hours, decisions and reversals.

Attended shifts become approved ``time`` entries at their real length (a
night across the October clock change is 7 h); self-logged hours wait as
``pending`` entries until a coordinator approves or rejects them. Nothing is
ever edited or deleted (the database refuses it, see :mod:`append_only`): a
mistake is put right with a reversing entry.

Services take the organisation first, add and flush, and never commit.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, select, true, update

from volunteers.contributions.domain.arithmetic import q2
from volunteers.contributions.ledger import (
    insert_or_nothing,
    live_attendance_entry,
    new_entry,
    reversal_of,
    validated_hours,
)
from volunteers.contributions.models import STAGES, Contribution
from volunteers.core import audit
from volunteers.core.dml import rows_matched
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.signals import schedule_changed
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import duration_hours, local_date, local_to_utc
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Role, Shift

#: statuses from which attendance may be recorded (cancelled places never count)
MARKABLE = ("assigned", "confirmed", "attended", "no_show")
#: self-logged hours: at most this far back
LOG_HOURS_LOOKBACK = timedelta(days=366)
MAX_NOTE = 500


def _set_status(org: Organisation, assignment: Assignment, status: str, now: datetime) -> str:
    """Move an assignment to ``status`` holding its row lock; return the status it had.

    A compare-and-set UPDATE: the first of two concurrent callers wins, the
    second waits for its lock, sees the new status and retries, so both
    agree on what the status was before *their* change. The UPDATE also
    holds the row until commit, so what the caller checks next (is there an
    attendance entry already?) cannot change under it.

    :raises ServiceError: for a cancelled place or a shift that has not started.
    """
    for _ in range(10):
        previous = db.session.scalar(
            select(Assignment.status).where(Assignment.organisation_id == org.id, Assignment.id == assignment.id)
        )
        if previous not in MARKABLE:
            raise ServiceError("That place was cancelled; there is nothing to record.", "assignment")
        values: dict = {"status": status, "updated_at": now, "sequence": Assignment.sequence + 1}
        if previous == status:
            values = {"status": Assignment.status}  # no change, but take the row lock
        changed = db.session.execute(
            update(Assignment)
            .where(Assignment.organisation_id == org.id, Assignment.id == assignment.id,
                   Assignment.status == previous)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if rows_matched(changed) == 1:
            db.session.expire(assignment, ["status", "updated_at", "sequence"])
            if previous != status:  # worked or missed: the load rules judge it again at commit
                schedule_changed.send(db.session, organisation_id=org.id, membership_ids=[assignment.membership_id])
            return previous
    raise ServiceError("The place keeps changing; try again.", "assignment")


def _started_shift(org: Organisation, assignment: Assignment, now: datetime) -> Shift:
    if assignment.organisation_id != org.id:
        raise ServiceError("That place does not exist.", "assignment")
    shift = get_scoped(Shift, org, assignment.shift_id)
    if shift is None or shift.status != "planned":
        raise ServiceError("That shift was cancelled.", "shift")
    if shift.starts_at > now:
        raise ServiceError("That shift has not started yet.", "shift")
    return shift


def _bump_no_shows(org: Organisation, membership_id: int, delta: int) -> None:
    stmt = update(Membership).where(Membership.organisation_id == org.id, Membership.id == membership_id)
    if delta < 0:
        stmt = stmt.where(Membership.no_show_count > 0)
    db.session.execute(stmt.values(no_show_count=Membership.no_show_count + delta)
                       .execution_options(synchronize_session=False))
    member = db.session.get(Membership, membership_id)
    if member is not None:
        db.session.expire(member, ["no_show_count"])


def record_attendance(org: Organisation, assignment: Assignment, now: datetime,
                      actor_person_id: int | None = None) -> Contribution:
    """Mark a place attended and make sure exactly one approved time entry stands for it.

    The entry lasts the shift's real length, counts when the shift starts
    and carries its role and site. Calling it again (a second click, a
    re-run import, an assignment imported already ``attended``) returns the
    entry already there. A place marked no-show before is corrected (its
    no-show is taken off the member's count).

    :raises ServiceError: for a cancelled place or shift, or a shift not yet started.
    """
    shift = _started_shift(org, assignment, now)
    previous = _set_status(org, assignment, "attended", now)
    if previous == "no_show":
        _bump_no_shows(org, assignment.membership_id, -1)
    existing = live_attendance_entry(org, assignment.id)
    if existing is not None:
        return existing
    hours = q2(duration_hours(shift.starts_at, shift.ends_at))
    entry = new_entry(
        org, now, actor_person_id, status="approved", membership_id=assignment.membership_id,
        contributor_type="volunteer", kind="time", stage="delivery", hours=hours,
        occurred_at=shift.starts_at, occurred_on=shift.local_date, role_id=shift.role_id,
        site_id=shift.site_id, assignment_id=assignment.id)
    db.session.flush()
    return entry


def mark_no_show(org: Organisation, assignment: Assignment, now: datetime,
                 actor_person_id: int | None = None) -> bool:
    """Mark a place no-show and count it on the member; return False if it already was.

    A place marked attended by mistake gets its time entry reversed.

    :raises ServiceError: for a cancelled place or shift, or a shift not yet started.
    """
    _started_shift(org, assignment, now)
    previous = _set_status(org, assignment, "no_show", now)
    if previous == "no_show":
        return False
    if previous == "attended":
        entry = live_attendance_entry(org, assignment.id)
        if entry is not None:
            reverse(org, entry.id, now, actor_person_id, "marked no-show after being marked attended")
    _bump_no_shows(org, assignment.membership_id, +1)
    return True


def mark_shift_attended(org: Organisation, shift_id: int, now: datetime,
                        actor_person_id: int | None = None) -> int:
    """Mark everyone on a shift not yet marked as attended ("all attended"); return how many.

    People already marked no-show stay so.
    """
    assignments = db.session.scalars(
        scoped(Assignment, org).where(Assignment.shift_id == shift_id,
                                      Assignment.status.in_(("assigned", "confirmed")))
        .order_by(Assignment.id)
    ).all()
    for assignment in assignments:
        record_attendance(org, assignment, now, actor_person_id)
    return len(assignments)


def log_hours(org: Organisation, membership: Membership, day: date, hours: Decimal | str | float,
              role_id: int | None, note: str | None, now: datetime, *, stage: str = "delivery",
              kind: str = "time") -> Contribution:
    """Record hours a volunteer gave outside the rota; they wait for a coordinator's approval.

    The entry is placed at noon local time on ``day`` (safely inside the day
    whatever the clock does), so it counts in that day's month.

    :raises ServiceError: naming the field, for hours outside (0, 24], a day
        in the future or over a year ago, an unknown role, stage or kind, or a long note.
    """
    if membership.organisation_id != org.id or membership.status == "left":
        raise ServiceError("You are not a member of this organisation.", "membership")
    amount = validated_hours(hours, "hours")
    if amount > 24:
        raise ServiceError("One day holds at most 24 hours.", "hours")
    today = local_date(now, org.timezone)
    if day > today:
        raise ServiceError("That day has not happened yet.", "day")
    if day < today - LOG_HOURS_LOOKBACK:
        raise ServiceError("Hours more than a year old cannot be logged here; ask your coordinator.", "day")
    if role_id is not None and get_scoped(Role, org, role_id) is None:
        raise ServiceError("Choose one of the organisation's roles.", "role_id")
    if stage not in STAGES:
        raise ServiceError(f"Stage must be one of {', '.join(STAGES)}.", "stage")
    if kind not in ("time", "expertise"):
        raise ServiceError("Only time or expertise can be logged in hours.", "kind")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ServiceError(f"Keep the note under {MAX_NOTE} characters.", "note")
    entry = new_entry(
        org, now, None, status="pending", membership_id=membership.id, contributor_type="volunteer",
        kind=kind, stage=stage, hours=amount, occurred_at=local_to_utc(day, time(12), org.timezone),
        occurred_on=day, role_id=role_id, note=note)
    db.session.flush()
    return entry


def decide(org: Organisation, ids: Iterable[int], decision: str, actor_person_id: int | None,
           now: datetime, *, allowed: ColumnElement[bool] | None = None) -> int:
    """Approve or reject pending entries in bulk; return how many were decided.

    Entries already decided (by someone else a moment ago) are left alone, and so are those outside
    ``allowed`` (a site coordinator's: ``queries.decidable_by``).
    """
    if decision not in ("approved", "rejected"):
        raise ServiceError("Choose approve or reject.", "action")
    wanted = sorted({int(i) for i in ids})
    decided = 0
    for start in range(0, len(wanted), 500):
        result = db.session.execute(
            update(Contribution)
            .where(Contribution.organisation_id == org.id, Contribution.id.in_(wanted[start:start + 500]),
                   Contribution.status == "pending", true() if allowed is None else allowed)
            .values(status=decision, approved_by_person_id=actor_person_id, decided_at=now)
            .returning(Contribution.id)
            .execution_options(synchronize_session=False)
        )
        for decided_id in sorted(result.scalars()):
            verb = "approve" if decision == "approved" else "reject"
            audit.record(org, actor_person_id, f"contributions.{verb}", "contribution", decided_id, now=now)
            decided += 1
    db.session.expire_all()
    return decided


def reverse(org: Organisation, contribution_id: int, now: datetime, actor_person_id: int | None,
            reason: str) -> Contribution:
    """Add the entry that cancels an approved one (same month, negative amounts) and audit it.

    :raises ServiceError: for a missing, pending, rejected or reversing entry,
        or one already reversed.
    """
    original = get_scoped(Contribution, org, contribution_id)
    if original is None:
        raise ServiceError("That entry does not exist.", "contribution")
    if original.status != "approved":
        raise ServiceError("Only approved entries are reversed; reject a pending one instead.", "contribution")
    if original.reverses_id is not None:
        raise ServiceError("A reversing entry cannot itself be reversed; record a new entry.", "contribution")
    reason = (reason or "").strip()[:MAX_NOTE] or "correction"
    db.session.flush()
    new_id = insert_or_nothing(Contribution, reversal_of(original, now, actor_person_id, reason),
                               ["organisation_id", "reverses_id"])
    if new_id is None:
        raise ServiceError("That entry has already been reversed.", "contribution")
    audit.record(org, actor_person_id, "contributions.reverse", "contribution", original.id, reason,
                 reversal_id=new_id, hours=str(original.hours), amount=str(original.amount), now=now)
    entry = db.session.get(Contribution, new_id)
    assert entry is not None
    return entry
