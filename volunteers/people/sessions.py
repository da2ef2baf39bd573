"""Sessions that can be ended from the server, though they live in signed cookies.

A session carries ``"<person id>:<session version>"`` (``Person.get_id``).
Raising the person's ``session_version`` makes every cookie signed in before
it name a version that no longer matches, so the loader refuses it: signing
out, setting a new password and "sign me out everywhere" all do that.
"""
from __future__ import annotations

from functools import cache
from typing import NamedTuple, cast

from sqlalchemy import Select, and_, bindparam, inspect, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.path_registry import PathRegistry

from volunteers.core import connection_check
from volunteers.core.models import ORGANISATION_CHANGES, Organisation
from volunteers.core.rowobjects import RowObjects
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


#: the joined load of a membership's organisation (the options the loaded objects carry, as the ORM's would)
_ORGANISATION_WITH_MEMBERSHIP = joinedload(Membership.organisation)


@cache
def _person_with_memberships() -> Select:
    """The person and their memberships (not those who left), each with its organisation, as ORM entities.

    Built once per process. Used only where something listens to these classes' loads
    (:meth:`RowObjects.loads_plainly`); :func:`_reading` reads the same rows as columns.
    """
    return (select(Person, Membership)
            .outerjoin(Membership, and_(Membership.person_id == Person.id, Membership.status != "left"))
            .options(_ORGANISATION_WITH_MEMBERSHIP)
            .where(Person.id == bindparam("person_id"))
            .order_by(Membership.id))


class _Reading(NamedTuple):
    statement: Select
    person: RowObjects
    membership: RowObjects
    organisation: RowObjects


@cache
def _reading() -> _Reading:
    """The rows of :func:`_person_with_memberships` as Core columns (and each organisation's change mark, last),
    and the makers of their objects.

    Built once per process: a signed-in request runs it first thing. As Core
    columns the statement skips the ORM's per-execution loader setup for three
    mappers (~0.2 ms of a request that costs ~2 ms), and ``core.rowobjects``
    makes of the row the objects the ORM would have made.
    """
    people, memberships, organisations = Person.__table__, Membership.__table__, Organisation.__table__
    changes = ORGANISATION_CHANGES
    statement = (select(*people.c, *memberships.c, *organisations.c, changes.c.mark)
                 .select_from(people)
                 .outerjoin(memberships, and_(memberships.c.person_id == people.c.id, memberships.c.status != "left"))
                 .outerjoin(organisations, organisations.c.id == memberships.c.organisation_id)
                 .outerjoin(changes, changes.c.organisation_id == memberships.c.organisation_id)
                 .where(people.c.id == bindparam("person_id"))
                 .order_by(memberships.c.id))
    options = (_ORGANISATION_WITH_MEMBERSHIP,)
    membership = inspect(Membership)
    organisation_path = cast(PathRegistry, membership._path_registry[membership.relationships["organisation"]]
                             [inspect(Organisation)])  # where a joined load of Membership.organisation loads it
    return _Reading(statement,
                    RowObjects(Person, list(people.c), options=options),
                    RowObjects(Membership, list(memberships.c), options=options, joined=("organisation",)),
                    RowObjects(Organisation, list(organisations.c), path=organisation_path, options=options))


class SignedIn(NamedTuple):
    """What a signed-in request reads first: the person, their memberships, and their organisations' change marks."""

    person: Person
    memberships: list[Membership]
    #: each membership's organisation's change mark (``core.change_marks``) by its id, read in the same statement:
    #: the same snapshot as the values loaded, before any of a page's rows (empty: read by the ORM, none read)
    marks: dict[int, int]
    #: the session's transaction the marks were read in: once it ends (a commit of the request's own writes), they
    #: no longer stand for what the request sees
    transaction: object | None


def person_and_memberships_for_session(session_id: str) -> tuple[Person, list[Membership]] | None:
    """Return the person a session id names and their current memberships, if that session is still current.

    The same check as :func:`person_for_session`, with the memberships every
    signed-in page needs (``volunteers.app``'s ``load_membership``) read in the
    same statement, ordered by id.
    """
    found = signed_in(session_id)
    return None if found is None else (found.person, found.memberships)


def signed_in(session_id: str) -> SignedIn | None:
    """:func:`person_and_memberships_for_session`, with the marks of the memberships' organisations read with them.

    A page kept by its organisation's mark (``core.kept_text.mark_to_keep_by``) takes it from here rather than
    reading it in a statement of its own: one statement a view fewer, and the mark is of the very snapshot the
    organisation and membership values came from.
    """
    person_part, sep, version_part = session_id.partition(":")
    if not sep or not _number(person_part) or not _number(version_part):
        return None
    session = db.session()
    reading = _reading()
    if not reading.person.loads_plainly(session) or not reading.membership.loads_plainly(session) \
            or not reading.organisation.loads_plainly(session):
        found = _loaded_by_the_orm(int(person_part), int(version_part))
        return None if found is None else SignedIn(*found, {}, None)
    if session.autoflush:
        session.flush()  # as the ORM's statement would autoflush (nothing to flush at a request's start)
    # columns only, on the session's connection: ``session.execute`` adds the ORM's execution (~0.1 ms);
    # the request's first statement, so it also checks the pooled connection (core.connection_check)
    parameters = {"person_id": int(person_part)}
    rows = connection_check.first_read(session, lambda conn: conn.execute(reading.statement, parameters).all())
    if not rows:
        return None
    person_end = reading.person.size
    membership_end = person_end + reading.membership.size
    organisation_end = membership_end + reading.organisation.size
    person = reading.person.make(session, rows[0][:person_end])
    memberships = []
    marks = {}
    for row in rows:
        organisation = reading.organisation.make(session, row[membership_end:organisation_end])
        membership = reading.membership.make(session, (*row[person_end:membership_end], organisation))
        if membership is not None:
            memberships.append(membership)
            if row[organisation_end] is not None:
                marks[membership.organisation_id] = int(row[organisation_end])
    if person.session_version != int(version_part):
        return None
    return SignedIn(person, memberships, marks, session.get_transaction())


def _loaded_by_the_orm(person_id: int, version: int) -> tuple[Person, list[Membership]] | None:
    rows = db.session.execute(_person_with_memberships(), {"person_id": person_id}).all()
    if not rows:
        return None
    person = rows[0][0]
    if person.session_version != version:
        return None
    return person, [membership for _, membership in rows if membership is not None]


def end_all_sessions(person: Person) -> None:
    """End every session of this person, on every device (the caller commits)."""
    person.session_version = (person.session_version or 0) + 1
