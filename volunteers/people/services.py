"""People use cases: organisations, members, qualifications, availability, invitations.

Services take the organisation first, add and flush, and never commit: the
request, the CLI command or the job around them commits once.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, render_template
from sqlalchemy import bindparam, delete, select

from volunteers.core import audit, links
from volunteers.core.errors import ServiceError
from volunteers.core.maintenance import analyze_if_grown
from volunteers.core.models import Organisation
from volunteers.core.reads import columns
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue
from volunteers.people.domain.availability import WeeklyWindow, format_availability
from volunteers.people.domain.volunteer_csv import QualificationEntry, VolunteerRow
from volunteers.people.models import (
    AvailabilityWindow,
    Membership,
    Person,
    PersonQualification,
    Qualification,
)
from volunteers.people.tokens import make_token

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def create_organisation(slug: str, name: str, timezone: str = "Europe/London", **extra: object) -> Organisation:
    """Create an organisation after checking the slug, name and zone."""
    if not SLUG.match(slug):
        raise ServiceError("slug must be lower-case letters, digits and dashes (e.g. tackley)", "slug")
    if not name.strip():
        raise ServiceError("name is empty", "name")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(f"{timezone!r} is not a time zone such as Europe/London", "timezone") from None
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        raise ServiceError(f"an organisation called {slug!r} already exists", "slug")
    org = Organisation(slug=slug, name=name.strip(), timezone=timezone, settings={}, **extra)
    db.session.add(org)
    db.session.flush()
    return org


def person_by_email(email: str) -> Person | None:
    """Return the person who signs in with this e-mail (compared lower-cased), if any."""
    return db.session.scalar(select(Person).where(Person.email == email.strip().lower()))


def find_or_create_person(email: str, name: str, phone: str | None = None) -> Person:
    """Return the person with this e-mail (one login per person), creating them if new."""
    email = email.strip().lower()
    person = person_by_email(email)
    if person is None:
        person = Person(email=email, name=name.strip(), phone=phone)
        db.session.add(person)
        db.session.flush()
    return person


def membership_for_email(org: Organisation, email: str) -> Membership | None:
    return db.session.scalar(
        scoped(Membership, org).join(Person, Person.id == Membership.person_id).where(Person.email == email.lower())
    )


def add_member(
    org: Organisation,
    *,
    email: str,
    name: str,
    phone: str | None = None,
    role: str = "volunteer",
    pledged_hours_per_week: Decimal | None = None,
    joined_on: date | None = None,
    status: str = "active",
) -> Membership:
    """Add a person to the organisation; refuse if they are already a member."""
    if membership_for_email(org, email) is not None:
        raise ServiceError(f"{email} is already a member of {org.name}", "email")
    person = find_or_create_person(email, name, phone)
    membership = Membership(
        organisation_id=org.id,
        person_id=person.id,
        role=role,
        status=status,
        pledged_hours_per_week=pledged_hours_per_week,
        joined_on=joined_on,
        limits={},
        preferences={},
    )
    db.session.add(membership)
    db.session.flush()
    return membership


#: what the trail says about an edit: values for these membership fields ...
AUDITED_FIELDS = ("role", "status", "pledged_hours_per_week", "joined_on", "left_on", "last_supervised_on", "notes")
#: ... and only that these changed (personal data stays out of the trail)
PERSONAL_FIELDS = ("name", "email", "phone")

EditSnapshot = tuple[audit.Snapshot, audit.Snapshot, str]


def edit_snapshot(org: Organisation, membership: Membership) -> EditSnapshot:
    """Remember a member as they are before an edit (the page's and the API's, for the trail)."""
    return (audit.snapshot(membership, AUDITED_FIELDS, personal=("notes",)),
            audit.snapshot(membership.person, PERSONAL_FIELDS, personal=PERSONAL_FIELDS),
            format_availability(availability_of(org, membership.id)))


def edit_changes(org: Organisation, membership: Membership, before: EditSnapshot) -> dict[str, object]:
    """What an edit changed since :func:`edit_snapshot`: ``people.update``'s ``changes``."""
    changes: dict[str, object] = {**before[0].changes(membership), **before[1].changes(membership.person)}
    availability = format_availability(availability_of(org, membership.id))
    if availability != before[2]:
        changes["availability"] = [before[2], availability]
    return changes


def update_member(membership: Membership, *, actor_person_id: int, today: date, name: str, email: str,
                  phone: str | None, role: str, status: str) -> None:
    """Apply a coordinator's edit of a member's name, e-mail, phone, role and status (checks first, then writes).

    :raises ServiceError: naming ``email`` (someone else signs in with it) or ``role`` (a coordinator
        changing their own role).
    """
    email = email.strip().lower()
    if email != membership.person.email and person_by_email(email) is not None:
        raise ServiceError("Someone else already signs in with that e-mail.", "email")
    if membership.person_id == actor_person_id and role != membership.role and membership.role == "coordinator":
        raise ServiceError("You cannot change your own role.", "role")
    membership.person.email = email
    membership.person.name = name.strip()
    membership.person.phone = phone or None
    membership.role = role
    set_status(membership, status, today)


def set_status(membership: Membership, status: str, today: date) -> None:
    """Change a member's status, recording the local date they left (the retention job counts from it).

    Leaving stamps ``left_on`` only when the status really changes to ``left``;
    coming back clears it.
    """
    if status == "left" and membership.status != "left":
        membership.left_on = today
    elif status != "left":
        membership.left_on = None
    membership.status = status


def qualification_named(org: Organisation, name: str, create: bool = True) -> Qualification | None:
    """Return the organisation's qualification by name (case-insensitive), creating it if asked."""
    found = db.session.scalar(
        scoped(Qualification, org).where(db.func.lower(Qualification.name) == name.strip().lower())
    )
    if found is None and create:
        found = Qualification(organisation_id=org.id, name=name.strip())
        db.session.add(found)
        db.session.flush()
    return found


def check_qualification_dates(expires_on: date | None, obtained_on: date | None) -> None:
    """Refuse an expiry before the date obtained (callers may check before they write anything).

    :raises ServiceError: naming ``expires_on``.
    """
    if expires_on is not None and obtained_on is not None and expires_on < obtained_on:
        raise ServiceError("The expiry date is before the date it was obtained.", "expires_on")


def set_qualification(
    org: Organisation, membership: Membership, qualification: Qualification,
    expires_on: date | None, obtained_on: date | None = None,
    certificate_number: str | None = None, update_service_checked_on: date | None = None,
) -> PersonQualification:
    """Record (or update) one qualification for a member.

    A check's certificate number and Update Service date are kept unless new ones are given.

    :raises ServiceError: naming ``expires_on`` when it is before ``obtained_on``.
    """
    check_qualification_dates(expires_on, obtained_on)
    record = db.session.scalar(
        scoped(PersonQualification, org).where(
            PersonQualification.membership_id == membership.id,
            PersonQualification.qualification_id == qualification.id,
        )
    )
    if record is None:
        record = PersonQualification(
            organisation_id=org.id, membership_id=membership.id, qualification_id=qualification.id
        )
        db.session.add(record)
    record.expires_on = expires_on
    if obtained_on is not None:
        record.obtained_on = obtained_on
    if certificate_number is not None:
        record.certificate_number = certificate_number.strip()[:60] or None
    if update_service_checked_on is not None:
        record.update_service_checked_on = update_service_checked_on
    db.session.flush()
    return record


def remove_qualification(org: Organisation, membership: Membership, qualification_id: int) -> None:
    db.session.execute(
        delete(PersonQualification).where(
            PersonQualification.organisation_id == org.id,
            PersonQualification.membership_id == membership.id,
            PersonQualification.qualification_id == qualification_id,
        )
    )


def set_availability(org: Organisation, membership: Membership, windows: Iterable[WeeklyWindow]) -> None:
    """Replace a member's weekly pattern (an empty pattern means no stated limits)."""
    db.session.execute(
        delete(AvailabilityWindow).where(
            AvailabilityWindow.organisation_id == org.id, AvailabilityWindow.membership_id == membership.id
        )
    )
    for window in windows:
        db.session.add(
            AvailabilityWindow(
                organisation_id=org.id,
                membership_id=membership.id,
                weekday=window.weekday,
                start_time=window.start,
                end_time=window.end,
            )
        )
    db.session.flush()


_AVAILABILITY = (
    select(AvailabilityWindow.weekday, AvailabilityWindow.start_time, AvailabilityWindow.end_time)
    .where(AvailabilityWindow.organisation_id == bindparam("org_id"),
           AvailabilityWindow.membership_id == bindparam("member_id"))
    .order_by(AvailabilityWindow.weekday, AvailabilityWindow.start_time)
)


def availability_of(org: Organisation, membership_id: int) -> tuple[WeeklyWindow, ...]:
    """A member's weekly windows, by weekday and start (one statement, built once)."""
    rows = columns(_AVAILABILITY, {"org_id": org.id, "member_id": membership_id})
    return tuple(WeeklyWindow(weekday, start, end) for weekday, start, end in rows)


def import_volunteers(org: Organisation, rows: list[VolunteerRow]) -> tuple[int, int]:
    """Apply parsed rows: add new members, update existing ones. Return (added, updated).

    The caller commits once, so a failure anywhere leaves the database as it was.
    """
    added = updated = 0
    for row in rows:
        membership = membership_for_email(org, row.email)
        if membership is None:
            membership = add_member(
                org, email=row.email, name=row.name, phone=row.phone,
                pledged_hours_per_week=row.pledged_hours_per_week, joined_on=row.joined_on,
            )
            added += 1
        else:
            membership.pledged_hours_per_week = row.pledged_hours_per_week
            if row.joined_on:
                membership.joined_on = row.joined_on
            if row.phone:
                membership.person.phone = row.phone
            updated += 1
        _apply_qualifications(org, membership, row.qualifications)
        if row.availability is not None:
            set_availability(org, membership, row.availability)
    analyze_if_grown(db.session, {Person: added, Membership: added})  # a bulk load (the web's import too)
    return added, updated


def _apply_qualifications(org: Organisation, membership: Membership, entries: tuple[QualificationEntry, ...]) -> None:
    for entry in entries:
        qualification = qualification_named(org, entry.name)
        assert qualification is not None
        set_qualification(org, membership, qualification, entry.expires_on)


def invite(org: Organisation, membership: Membership, now: datetime) -> None:
    """Queue an invitation e-mail with a signed, expiring, single-use link."""
    person = membership.person
    token = make_token(current_app.config["SECRET_KEY"], "invite", person)
    link = links.absolute(f"/invite/{token}")
    enqueue(
        dedupe_key=f"invite:{membership.id}:{now:%Y%m%d%H%M%S}",
        now=now,
        to=person.email,
        subject=f"You're invited to {org.name}'s rota",
        template="invitation",
        organisation_id=org.id,
        org=org,
        person=person,
        link=link,
        days=current_app.config["INVITATION_MAX_AGE_S"] // 86400,
    )


def request_password_reset(email: str, now: datetime) -> None:
    """Queue a reset link if the e-mail belongs to someone; say nothing either way.

    An unknown address costs the same work as a known one — a token made, the
    outbox checked, the message rendered — and is then dropped, so the time
    taken does not tell which addresses have accounts.
    """
    person = person_by_email(email)
    known = person is not None and person.active
    addressee = person if known and person is not None else Person(id=0, email=email.strip().lower(), name="")
    token = make_token(current_app.config["SECRET_KEY"], "reset", addressee)
    message = {
        "dedupe_key": f"reset:{addressee.id}:{now:%Y%m%d%H%M%S}",
        "now": now,
        "to": addressee.email,
        "subject": "Reset your password",
        "template": "password_reset",
        "person": addressee,
        "link": links.absolute(f"/password/reset/{token}"),
        "hours": current_app.config["PASSWORD_RESET_MAX_AGE_S"] // 3600,
    }
    if known:
        enqueue(**message)
    else:
        _render_and_drop(**message)


def _render_and_drop(*, dedupe_key: str, template: str, **context: object) -> None:
    """Do what ``enqueue`` does before it writes — look for the key, render both parts — and keep nothing."""
    db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    render_template(f"email/{template}.txt", **context)
    render_template(f"email/{template}.html", **context)
