"""The token a call presents, read as Core columns (``api.token_check``), is what the ORM's joined load made of it.

Every token of the API fixture is read both ways: in a fresh session, over
objects the session already holds (expired, partly expired, changed), and with a
load listener (served by the ORM). The organisation's change mark comes with it.
"""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, inspect, select, text

from tests.loaded_state import loaded_state
from volunteers.api import token_check
from volunteers.api.models import ApiToken
from volunteers.api.token_check import LiveToken, hash_token, token_for_call
from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.models import Membership

from .conftest import World


def _tokens(world: World) -> list[str]:
    return [world.coordinator_token, world.volunteer_token, world.volunteer_read_token, world.colleague_token,
            world.other_token]


def _by_the_orm(token: str) -> ApiToken | None:
    return db.session.scalar(token_check._by_the_orm(), {"token_hash": hash_token(token)})


def _describe(record: ApiToken | None) -> Any:
    """The token and the objects loaded with it, and the session's identity map, before any attribute is read."""
    held = sorted((cls.__name__, ident) for cls, ident, _ in db.session.identity_map)
    if record is None:
        return None, held
    membership = record.__dict__["membership"]
    objects = (record, membership, membership.__dict__["person"], membership.__dict__["organisation"])
    flags = [(s.key, s.expired, set(s.expired_attributes), s.unloaded, dict(s.committed_state))
             for s in map(inspect, objects)]
    return flags, held, [loaded_state(obj) for obj in objects]


def test_a_fresh_session_gets_the_same_objects(world: World) -> None:
    for token in _tokens(world):
        db.session.close()
        by_the_orm = _describe(_by_the_orm(token))
        db.session.close()
        found = token_check._found(hash_token(token))
        assert found is not None
        assert _describe(found.record) == by_the_orm
    db.session.close()
    assert token_check._found(hash_token("vol_unknown")) is None


@pytest.mark.parametrize("change", ["expire_all", "expire_some", "changed", "loaded"])
def test_objects_the_session_holds_are_filled_as_the_orm_fills_them(world: World, change: str) -> None:
    def prepare() -> None:
        db.session.close()
        record = _by_the_orm(token)
        assert record is not None
        held.append(record)  # the identity map holds objects only while they are referenced
        membership = record.membership
        if change == "expire_all":
            db.session.expire_all()
        elif change == "expire_some":
            db.session.expire(record, ["scope", "last_used_at"])
            db.session.expire(membership, ["role", "organisation"])
            db.session.expire(membership.person, ["name"])
        elif change == "changed":
            membership.person.name = "Changed, not flushed"
            db.session.expire(membership, ["status"])

    for token in _tokens(world):
        held: list[Any] = []
        prepare()
        with db.session.no_autoflush:
            by_the_orm = _describe(_by_the_orm(token))
        held.clear()
        prepare()
        with db.session.no_autoflush:
            found = token_check._found(hash_token(token))
        assert found is not None
        assert _describe(found.record) == by_the_orm, (change, token)
        db.session.rollback()


def test_the_organisations_mark_comes_with_the_token(world: World, clock) -> None:
    org_id, other_id = world.org.id, world.other.id
    db.session.close()
    found = token_for_call(world.volunteer_token, clock.now)
    assert isinstance(found, LiveToken)
    (mark,) = db.session.execute(text("SELECT mark FROM organisation_changes WHERE organisation_id = :o"),
                                 {"o": org_id}).one()
    assert found.marks == {org_id: mark}
    assert found.transaction is db.session().get_transaction()
    other = token_for_call(world.other_token, clock.now)
    assert other is not None and set(other.marks) == {other_id}


def test_a_load_listener_is_served_by_the_orm(world: World, clock) -> None:
    """Objects made from rows fire no ``load`` event, so a class something listens to is loaded by the ORM (and
    the mark is then read by the page that keeps by it, in a statement of its own)."""
    loaded: list[object] = []

    def listener(target: object, _context: object) -> None:
        loaded.append(target)

    db.session.close()
    event.listen(Organisation, "load", listener)
    try:
        found = token_for_call(world.volunteer_token, clock.now)
    finally:
        event.remove(Organisation, "load", listener)
    assert found is not None and found.marks == {} and found.transaction is None
    assert loaded == [found.record.membership.organisation]


def test_refused_tokens_are_refused_alike(world: World, clock) -> None:
    """Unknown, revoked, expired, and of someone who left, was deactivated or erased: None, as before."""
    assert token_for_call("vol_" + "x" * 43, clock.now) is None
    assert token_for_call("not-ours", clock.now) is None
    live = token_for_call(world.colleague_token, clock.now)
    assert live is not None and live.record.membership.id == world.colleague.id
    assert token_for_call(world.colleague_token, live.record.expires_at) is None
    db.session.execute(text("UPDATE memberships SET status = 'left' WHERE id = :m"), {"m": world.colleague.id})
    db.session.expire_all()
    assert token_for_call(world.colleague_token, clock.now) is None
    db.session.execute(text("UPDATE people SET active = :f WHERE id = :p"),
                       {"f": False, "p": world.volunteer.person_id})
    db.session.expire_all()
    assert token_for_call(world.volunteer_token, clock.now) is None
    db.session.execute(text("UPDATE people SET erased_at = :t WHERE id = :p"),
                       {"t": clock.now, "p": world.other_coordinator.person_id})
    db.session.expire_all()
    assert token_for_call(world.other_token, clock.now) is None
    coordinator = db.session.scalars(select(Membership).where(Membership.id == world.coordinator.id)).one()
    record = db.session.scalars(select(ApiToken).where(ApiToken.membership_id == coordinator.id)).first()
    assert record is not None
    record.revoked_at = clock.now
    db.session.flush()
    assert token_for_call(world.coordinator_token, clock.now) is None
