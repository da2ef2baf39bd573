"""Shift reminders by e-mail (or text, as the member chose), ``reminder_hours`` before each shift (default 24).

The due time is computed in the organisation's wall-clock time
(``rota.domain.self_service.reminder_due_at``). The reminder job runs
every 15 minutes and queues every reminder that is due and whose shift
has not started; the outbox's dedupe key — the assignment and the shift's
start — makes it queue each reminder once however often it runs (a shift
moved to another time gets a fresh reminder). The outbox sender sends it.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import zone
from volunteers.extensions import db
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership, Person
from volunteers.rota import queries
from volunteers.rota.models import Assignment, Shift
from volunteers.selfservice import channel_delivery
from volunteers.selfservice.domain.notice import (
    DEFAULT_NOTICE_HOURS,
    DEFAULT_REMINDER_HOURS,
    MAX_REMINDER_HOURS,
    hours_setting,
    reminder_due_at,
)
from volunteers.selfservice.messages import link, shift_text

#: assignment statuses that get a reminder
REMINDED = ("assigned", "confirmed")
#: a local wall-clock day can be 25 h long: look this much further ahead than the setting
_MARGIN = timedelta(hours=2)


def reminder_hours(org: Organisation) -> float:
    return hours_setting(org.setting("reminder_hours", DEFAULT_REMINDER_HOURS), DEFAULT_REMINDER_HOURS,
                         MAX_REMINDER_HOURS)


def due_reminders(org: Organisation, now: datetime) -> list[Assignment]:
    """Return the live places whose reminder is due at ``now`` and whose shift has not started."""
    hours = reminder_hours(org)
    if hours == 0:
        return []
    tz = zone(org.timezone)
    candidates = db.session.scalars(
        scoped(Assignment, org)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .join(Person, Person.id == Membership.person_id)
        .where(Assignment.status.in_(REMINDED), Shift.status == "planned", Shift.starts_at > now,
               Shift.starts_at <= now + timedelta(hours=hours) + _MARGIN,
               Membership.status == "active", Person.active.is_(True))
        .options(selectinload(Assignment.shift).selectinload(Shift.role),
                 selectinload(Assignment.shift).selectinload(Shift.site),
                 selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Shift.starts_at, Assignment.id)
    ).all()
    return [a for a in candidates if reminder_due_at(a.shift.starts_at, hours, tz) <= now]


def queue_reminders(org: Organisation, now: datetime) -> int:
    """Queue the organisation's due reminders (each once); return how many were new."""
    due = due_reminders(org, now)
    colleagues = queries.people_on(org, sorted({a.shift_id for a in due}))
    notice = hours_setting(org.setting("self_cancel_notice_hours", DEFAULT_NOTICE_HOURS), DEFAULT_NOTICE_HOURS)
    queued = 0
    for assignment in due:
        shift, person = assignment.shift, assignment.membership.person
        others = [m.person.name for m in colleagues.get(shift.id, []) if m.id != assignment.membership_id]
        text = shift_text(org, shift)
        key = f"reminder:{org.id}:{assignment.id}:{shift.starts_at:%Y%m%dT%H%M}"
        routed = channel_delivery.text_instead(
            org, assignment.membership, "reminders", now=now, key=key, shift_starts_at=shift.starts_at,
            text=f"Reminder: {text.role}, {text.when}, {shift.site.name}."
                 + (f" With {', '.join(others)}." if others else ""),
        )
        if routed.by_text:
            queued += routed.queued
            continue
        message = enqueue(
            dedupe_key=key,
            now=now,
            to=person.email,
            subject=f"Reminder: {text.role}, {text.when}",
            template="shift_reminder",
            organisation_id=org.id,
            org=org, person=person, shift=text, address=shift.site.address, others=others,
            notice_hours=f"{notice:g}", link=link("/me/shifts"),
        )
        queued += message is not None
    return queued
