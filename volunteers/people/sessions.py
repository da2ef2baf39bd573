"""Sessions that can be ended from the server, though they live in signed cookies.

A session carries ``"<person id>:<session version>"`` (``Person.get_id``).
Raising the person's ``session_version`` makes every cookie signed in before
it name a version that no longer matches, so the loader refuses it: signing
out, setting a new password and "sign me out everywhere" all do that.
"""
from __future__ import annotations

from functools import cache

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import joinedload

from volunteers.extensions import db
from volunteers.people.models import Membership, Person


def _number(text: str) -> bool:
    return text.isascii() and text.isdecimal() and len(text) <= 18


def person_for_session(session_id: str) -> Person | None:
    """Return the person a session id names, if that session is still current."""
    person_part, sep, version_part = session_id.partition(":")
    if not sep or not _number(person_part) or not _number(version_part):
        return None  # malformed, or an id from before sessions carried a version
    person = db.session.get(Person, int(person_part))
    if person is None or person.session_version != int(version_part):
        return None
    return person


@cache
def _person_with_memberships() -> Select:
    """The person and their memberships (not those who left), each with its organisation: one statement.

    Built once per process: a signed-in request runs it first thing, so building
    it again each time (coercing every clause) was a measurable share of a page.
    """
    return (select(Person, Membership)
            .outerjoin(Membership, and_(Membership.person_id == Person.id, Membership.status != "left"))
            .options(joinedload(Membership.organisation))
            .where(Person.id == bindparam("person_id"))
            .order_by(Membership.id))


def person_and_memberships_for_session(session_id: str) -> tuple[Person, list[Membership]] | None:
    """Return the person a session id names and their current memberships, if that session is still current.

    The same check as :func:`person_for_session`, with the memberships every
    signed-in page needs (``volunteers.app``'s ``load_membership``) read in the
    same statement, ordered by id.
    """
    person_part, sep, version_part = session_id.partition(":")
    if not sep or not _number(person_part) or not _number(version_part):
        return None
    rows = db.session.execute(_person_with_memberships(), {"person_id": int(person_part)}).all()
    if not rows:
        return None
    person = rows[0][0]
    if person.session_version != int(version_part):
        return None
    return person, [membership for _, membership in rows if membership is not None]


def end_all_sessions(person: Person) -> None:
    """End every session of this person, on every device (the caller commits)."""
    person.session_version = (person.session_version or 0) + 1
