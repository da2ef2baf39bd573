"""Sessions that can be ended from the server, though they live in signed cookies.

A session carries ``"<person id>:<session version>"`` (``Person.get_id``).
Raising the person's ``session_version`` makes every cookie signed in before
it name a version that no longer matches, so the loader refuses it: signing
out, setting a new password and "sign me out everywhere" all do that.
"""
from __future__ import annotations

from volunteers.extensions import db
from volunteers.people.models import Person


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


def end_all_sessions(person: Person) -> None:
    """End every session of this person, on every device (the caller commits)."""
    person.session_version = (person.session_version or 0) + 1
