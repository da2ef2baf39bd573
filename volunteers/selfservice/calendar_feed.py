"""The personal calendar feed: ``/calendar/<token>.ics`` (RFC 5545, via ``icalendar``).

A person subscribes once (Google Calendar, Outlook, Apple Calendar) and
their shifts in every organisation they belong to appear and stay up to
date. The URL holds a secret (``Person.calendar_token``, 256 bits from
``secrets.token_urlsafe(32)``); replacing or clearing it revokes the old
URL, which then gives 404. Each assignment is one VEVENT with a stable UID
(``assignment-<id>@volunteers``), times in UTC, and ``SEQUENCE`` =
``Assignment.sequence`` (bumped on every change), so a moved or cancelled
shift updates in place; a cancelled one stays with ``STATUS:CANCELLED``
so calendars remove it. Window: 30 days back to about 6 months ahead.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import Response, abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteers.core import links
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Assignment, Shift

PAST = timedelta(days=30)
AHEAD = timedelta(days=183)


def new_token() -> str:
    """Return a fresh 256-bit URL-safe secret."""
    return secrets.token_urlsafe(32)


def regenerate_token(person: Person) -> str:
    """Give the person a new feed URL; the old one stops working at once."""
    person.calendar_token = new_token()
    db.session.flush()
    return person.calendar_token


def revoke_token(person: Person) -> None:
    """Switch the person's feed off (the URL gives 404 until a new one is made)."""
    person.calendar_token = None
    db.session.flush()


def person_for_token(token: str) -> Person | None:
    """Return the active person whose feed this is, else None."""
    if not token or len(token) > 64:
        return None
    person = db.session.scalar(select(Person).where(Person.calendar_token == token))
    if person is None or not person.active or not secrets.compare_digest(person.calendar_token or "", token):
        return None
    return person


def feed_assignments(person_id: int, now: datetime) -> list[Assignment]:
    """Return the person's assignments (cancelled ones too) in the feed window, every organisation."""
    return list(db.session.scalars(
        select(Assignment)
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Membership.person_id == person_id, Shift.starts_at >= now - PAST, Shift.starts_at < now + AHEAD)
        .options(selectinload(Assignment.shift).selectinload(Shift.role),
                 selectinload(Assignment.shift).selectinload(Shift.site),
                 selectinload(Assignment.membership).selectinload(Membership.organisation))
        .order_by(Shift.starts_at, Assignment.id)
    ))


def build_calendar(person: Person, assignments: list[Assignment], now: datetime, link: str) -> bytes:
    """Return the feed as RFC 5545 bytes: one VEVENT per assignment."""
    from icalendar import Calendar, Event  # only calendar apps ask: not loaded by every web worker (80 modules)

    cal = Calendar()
    cal.add("prodid", "-//volunteers//rota feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Volunteer shifts – {person.name}")
    cal.add("x-published-ttl", "PT1H")
    for assignment in assignments:
        shift, org = assignment.shift, assignment.membership.organisation
        event = Event()
        event.add("uid", f"assignment-{assignment.id}@volunteers")
        event.add("dtstamp", now)
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("summary", shift.role.name)
        event.add("location", ", ".join(p for p in (shift.site.name, shift.site.address) if p))
        event.add("description", f"{org.name}: {shift.role.name} at {shift.site.name}, "
                                 f"{format_span(shift.starts_at, shift.ends_at, org.timezone)} "
                                 f"({org.timezone}).\n{link}")
        event.add("sequence", assignment.sequence)
        cancelled = assignment.status == "cancelled" or shift.status == "cancelled"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        event.add("last-modified", max(assignment.updated_at, shift.updated_at))
        event.add("url", link)
        cal.add_component(event)
    return cal.to_ical()


def feed(token: str) -> Response:
    """Serve a person's feed; an unknown, revoked or replaced token is a 404."""
    person = person_for_token(token)
    if person is None:
        abort(404)
    now = utcnow()
    link = links.absolute("/me/shifts")
    body = build_calendar(person, feed_assignments(person.id, now), now, link)
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
