"""E-mails about the rota, queued in the outbox as part of the caller's unit of work.

Three messages: a shift was cancelled, a shift someone was already told
about changed (its series was edited), and the published rota — one
message per volunteer listing their new, changed and removed shifts. Each
has a dedupe key naming what it is about, so queueing twice sends once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from volunteers.core import links
from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_span
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift


@dataclass(frozen=True)
class ShiftLine:
    """One shift as an e-mail shows it."""

    when: str
    role: str
    site: str
    change: str = "new"  #: new, changed or removed


def shift_line(org: Organisation, shift: Shift, change: str = "new") -> ShiftLine:
    span = format_span(shift.starts_at, shift.ends_at, org.timezone)
    return ShiftLine(span, shift.role.name, shift.site.name, change)


def _link(path: str) -> str:
    return links.absolute(path)


def shift_cancelled(
    org: Organisation, shift: Shift, assignment: Assignment, reason: str | None, now: datetime
) -> None:
    """Tell one person their shift is cancelled."""
    person = assignment.membership.person
    enqueue(
        dedupe_key=f"shift_cancelled:{org.id}:{assignment.id}",
        now=now,
        to=person.email,
        subject=f"Cancelled: {shift.role.name}, {format_span(shift.starts_at, shift.ends_at, org.timezone)}",
        template="shift_cancelled",
        organisation_id=org.id,
        org=org, person=person, shift=shift_line(org, shift), reason=reason, link=_link("/me/shifts"),
    )


def shift_changed(org: Organisation, shift: Shift, assignment: Assignment, before: ShiftLine, now: datetime) -> None:
    """Tell one person a shift they were told about has moved or changed."""
    person = assignment.membership.person
    after = shift_line(org, shift, "changed")
    enqueue(
        dedupe_key=f"shift_changed:{org.id}:{assignment.id}:{assignment.sequence}:{now:%Y%m%d%H%M%S}",
        now=now,
        to=person.email,
        subject=f"Changed: {after.role}, {after.when}",
        template="shift_changed",
        organisation_id=org.id,
        org=org, person=person, before=before, after=after, link=_link("/me/shifts"),
    )


def rota_published(
    org: Organisation, membership: Membership, lines: list[ShiftLine], period: str, now: datetime
) -> None:
    """Send one volunteer one message listing their new, changed and removed shifts."""
    person = membership.person
    enqueue(
        dedupe_key=f"rota_published:{org.id}:{membership.id}:{now:%Y%m%d%H%M%S%f}",
        now=now,
        to=person.email,
        subject=f"Your shifts at {org.name}: {period}",
        template="rota_published",
        organisation_id=org.id,
        org=org, person=person, period=period, link=_link("/me/shifts"),
        new=[line for line in lines if line.change == "new"],
        changed=[line for line in lines if line.change == "changed"],
        removed=[line for line in lines if line.change == "removed"],
    )
