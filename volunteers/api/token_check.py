"""Checking the token every API call presents: one statement of plain columns, built once.

Every call's first statement reads the token by its hash with its membership,
person and organisation. Loaded by the ORM (a ``select`` with two joined
loads, built on every call) it was a fifth of a volunteer's "my shifts" call;
as Core columns (``core.rowobjects`` makes the objects the ORM would have)
it is a fraction of that. The same statement reads the organisation's change
mark (``core.change_marks``), as the sign-in read does for a page: a call kept
by the mark (``api.caching``) then needs no statement of its own for it, and
the mark is of the very snapshot the token and membership came from.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple, cast

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import SessionTransaction, joinedload
from sqlalchemy.orm.path_registry import PathRegistry

from volunteers.api.models import ApiToken
from volunteers.core import connection_check
from volunteers.core.models import ORGANISATION_CHANGES, Organisation
from volunteers.core.rowobjects import RowObjects
from volunteers.extensions import db
from volunteers.people.models import Membership, Person

PREFIX = "vol_"
#: last_used_at is written at most this often, so polling does not write on every call
LAST_USED_GRANULARITY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    """Return the stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LiveToken(NamedTuple):
    """The token a call presents, as found, with its organisation's change mark."""

    record: ApiToken
    #: the organisation's change mark by its id, read with the token (empty: read by the ORM, none read)
    marks: dict[int, int]
    #: the session's transaction the mark was read in: it stands for what the call sees only while that goes on
    transaction: SessionTransaction | None


#: the joined loads the ORM's statement makes (the options the objects made here carry, as the ORM's would)
_OPTIONS = (joinedload(ApiToken.membership).joinedload(Membership.person),
            joinedload(ApiToken.membership).joinedload(Membership.organisation))


def _by_the_orm() -> Select:
    """The token with its membership, person and organisation as ORM entities (where something listens to
    their loads: :meth:`RowObjects.loads_plainly`)."""
    return select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash")).options(*_OPTIONS)


class _Reading(NamedTuple):
    """The token's statement, the makers of its objects, and where its row holds the organisation's id."""

    statement: Select
    token: RowObjects
    membership: RowObjects
    person: RowObjects
    organisation: RowObjects
    organisation_id_at: int


@cache
def _reading() -> _Reading:
    """The token's, membership's, person's and organisation's columns (and the organisation's change mark, last)
    by the token's hash, and the makers of their objects. Built once per process."""
    tokens, memberships = ApiToken.__table__, Membership.__table__
    people, organisations, changes = Person.__table__, Organisation.__table__, ORGANISATION_CHANGES
    statement = (select(*tokens.c, *memberships.c, *people.c, *organisations.c, changes.c.mark)
                 .select_from(tokens)
                 .join(memberships, memberships.c.id == tokens.c.membership_id)
                 .join(people, people.c.id == memberships.c.person_id)
                 .join(organisations, organisations.c.id == memberships.c.organisation_id)
                 .outerjoin(changes, changes.c.organisation_id == memberships.c.organisation_id)
                 .where(tokens.c.token_hash == bindparam("token_hash")))
    token_mapper, membership_mapper = inspect(ApiToken), inspect(Membership)
    # where the ORM's joined loads put each object (a later lazy load from it replays the options from there)
    membership_path = cast(PathRegistry, token_mapper._path_registry[token_mapper.relationships["membership"]]
                           [membership_mapper])
    person_path = cast(PathRegistry, membership_path[membership_mapper.relationships["person"]][inspect(Person)])
    organisation_path = cast(PathRegistry, membership_path[membership_mapper.relationships["organisation"]]
                             [inspect(Organisation)])
    return _Reading(
        statement,
        RowObjects(ApiToken, list(tokens.c), options=_OPTIONS, joined=("membership",)),
        RowObjects(Membership, list(memberships.c), path=membership_path, options=_OPTIONS,
                   joined=("person", "organisation")),
        RowObjects(Person, list(people.c), path=person_path, options=_OPTIONS),
        RowObjects(Organisation, list(organisations.c), path=organisation_path, options=_OPTIONS),
        len(tokens.c) + list(memberships.c).index(memberships.c.organisation_id))


def _found(token_hash: str) -> LiveToken | None:
    """The token stored under ``token_hash`` with its membership, person and organisation, live or not."""
    session = db.session()
    reading = _reading()
    if not all(maker.loads_plainly(session)
               for maker in (reading.token, reading.membership, reading.person, reading.organisation)):
        record = session.scalar(_by_the_orm(), {"token_hash": token_hash})
        return None if record is None else LiveToken(record, {}, None)
    if session.autoflush:
        session.flush()  # as the ORM's statement would autoflush (nothing to flush at a call's start)
    parameters = {"token_hash": token_hash}
    # the call's first statement: it also checks the pooled connection (core.connection_check)
    row = connection_check.first_read(session, lambda conn: conn.execute(reading.statement, parameters).first())
    if row is None:
        return None
    token_end = reading.token.size
    membership_end = token_end + reading.membership.size
    person_end = membership_end + reading.person.size
    organisation_end = person_end + reading.organisation.size
    person = reading.person.make(session, row[membership_end:person_end])
    organisation = reading.organisation.make(session, row[person_end:organisation_end])
    membership = reading.membership.make(session, (*row[token_end:membership_end], person, organisation))
    record = reading.token.make(session, (*row[:token_end], membership))
    mark = row[organisation_end]
    # by the row's organisation, not the object's: an object the session held keeps the values it had
    return LiveToken(record, {} if mark is None else {row[reading.organisation_id_at]: int(mark)},
                     session.get_transaction())


def token_for_call(token: str, now: datetime) -> LiveToken | None:
    """Return the live token a bearer presents, with its membership and organisation (and its organisation's
    change mark), or None.

    None covers unknown, revoked and expired tokens, and tokens of a member
    who has left or a person who can no longer sign in (erased, deactivated).
    """
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = _found(hash_token(token))
    if found is None:
        return None
    record = found.record
    if record.revoked_at is not None or record.expires_at <= now:
        return None
    membership = record.membership
    if membership.status == "left" or not membership.person.active or membership.person.erased_at is not None:
        return None
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_GRANULARITY:
        record.last_used_at = now
    return found
