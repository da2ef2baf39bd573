"""Supervision sessions: recorded one by one; a member's ``last_supervised_on`` is the latest one's date.

The ``supervision_due`` load rule reads ``Membership.last_supervised_on``
as before; recording or removing a session keeps it equal to the latest
session's date. A member with no sessions recorded keeps the date they
came with (an import, the seed), so nothing changes until the first one.
Services flush and never commit.
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.reads import columns
from volunteers.core.sql_lists import one_of
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.extensions import db
from volunteers.people.models import Membership, Person, SupervisionSession

MAX_NOTE = 2000


class SessionRow(NamedTuple):
    """One supervision session on a member's page."""

    id: int
    held_on: date
    note: str | None
    #: None: someone outside the organisation (named in the note)
    supervisor_name: str | None


_SUPERVISOR = aliased(Membership, name="supervisor")
_SUPERVISOR_PERSON = aliased(Person, name="supervisor_person")
#: a member's sessions with their supervisors' names (run with ``org_id`` and ``member_id``; the person page
#: reads it too, compiled once: ``people.compiled_reads``)
SESSIONS = (
    select(SupervisionSession.id, SupervisionSession.held_on, SupervisionSession.note,
           _SUPERVISOR_PERSON.name.label("supervisor_name"))
    .outerjoin(_SUPERVISOR, (_SUPERVISOR.organisation_id == SupervisionSession.organisation_id)
               & (_SUPERVISOR.id == SupervisionSession.supervisor_membership_id))
    .outerjoin(_SUPERVISOR_PERSON, _SUPERVISOR_PERSON.id == _SUPERVISOR.person_id)
    .where(SupervisionSession.organisation_id == bindparam("org_id"),
           SupervisionSession.membership_id == bindparam("member_id"))
    .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
)


def sessions_of(org: Organisation, membership_id: int) -> list[SessionRow]:
    """Return a member's sessions, latest first, with their supervisors' names (one query)."""
    return [SessionRow(*row) for row in columns(SESSIONS, {"org_id": org.id, "member_id": membership_id})]


#: who may be named as a supervisor (run with ``org_id``; read by the person page too)
SUPERVISORS = (
    select(Membership.id, Person.name).join(Person, Person.id == Membership.person_id)
    # the roles written into the statement: an expanding list's text was rewritten on every person's page
    .where(Membership.organisation_id == bindparam("org_id"), one_of(Membership.role, ("coordinator", "admin")),
           Membership.status != "left")
    .order_by(Person.name)
)


def supervisors(org: Organisation) -> list[tuple[int, str]]:
    """Return ``(membership id, name)`` of the coordinators and admins who may be named as supervisors."""
    return [(mid, name) for mid, name in columns(SUPERVISORS, {"org_id": org.id})]


def derive_last_supervised(org: Organisation, membership: Membership) -> None:
    """Set ``last_supervised_on`` to the latest session's date; leave it alone when there are none."""
    latest = db.session.scalar(
        select(func.max(SupervisionSession.held_on)).where(
            SupervisionSession.organisation_id == org.id, SupervisionSession.membership_id == membership.id))
    if latest is not None:
        membership.last_supervised_on = latest


def record_session(org: Organisation, membership: Membership, held_on: date, supervisor_id: int | None,
                   note: str | None, today: date) -> SupervisionSession:
    """Record a session held on ``held_on`` (not after ``today``, the organisation's local date)."""
    if held_on > today:
        raise ServiceError("A session is recorded once it has taken place: the date is in the future.", "held_on")
    if supervisor_id is not None:
        supervisor = get_scoped(Membership, org, supervisor_id)
        if supervisor is None or not supervisor.is_coordinator:
            raise ServiceError("Choose one of this organisation's coordinators.", "supervisor_id")
        if supervisor.id == membership.id:
            raise ServiceError("Someone else supervises: choose another coordinator.", "supervisor_id")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise ServiceError(f"Keep the note under {MAX_NOTE} characters.", "note")
    session = SupervisionSession(organisation_id=org.id, membership_id=membership.id, held_on=held_on,
                                 supervisor_membership_id=supervisor_id, note=note)
    db.session.add(session)
    db.session.flush()
    derive_last_supervised(org, membership)
    db.session.flush()
    return session


def remove_session(org: Organisation, membership: Membership, session_id: int) -> SupervisionSession | None:
    """Remove one of the member's sessions (recorded by mistake); None if it is not theirs."""
    session = db.session.scalar(scoped(SupervisionSession, org).where(
        SupervisionSession.id == session_id, SupervisionSession.membership_id == membership.id))
    if session is None:
        return None
    db.session.delete(session)
    db.session.flush()
    derive_last_supervised(org, membership)
    db.session.flush()
    return session
