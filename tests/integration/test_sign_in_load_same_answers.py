"""The signed-in person and memberships made from Core rows are what the ORM's own load makes of them.

``people.sessions`` reads the person, their memberships (not those who left)
and their organisations as Core columns and makes the objects with
``core.rowobjects``; the ORM statement it replaced is kept (``_loaded_by_the_orm``)
for mappers something listens to. Both are run here for every person of
the demo (one a member of both organisations, one who left one): in a fresh
session, over objects the session already holds (expired, partly expired,
changed), for a session that is no longer current, and with a load listener.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, event, func, inspect, select
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column

from tests.demo_db import demo_app
from tests.loaded_state import loaded_state
from volunteers.core.models import Organisation
from volunteers.core.rowobjects import RowObjects
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.people.sessions import _loaded_by_the_orm, person_and_memberships_for_session

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)


@pytest.fixture(scope="module")
def demo() -> Iterator[SQLAlchemy]:
    """The demo in an in-memory database of its own, with a member of both organisations and one who left."""
    with demo_app(NOW):
        tackley, surestart = (_db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
                              for slug in ("tackley", "surestart"))
        both = _db.session.scalars(select(Person).where(Person.email == "volunteer@tackley.example")).one()
        _db.session.add(Membership(organisation=surestart, person=both, role="volunteer", status="active",
                                   limits={"max_hours_per_week": 4}, preferences={}))
        left = _db.session.scalars(select(Membership).join(Person).where(
            Membership.organisation_id == tackley.id, Membership.role == "volunteer",
            Person.id != both.id).order_by(Membership.id).limit(1)).one()
        left.status, left.left_on = "left", date(2026, 11, 1)
        _db.session.commit()
        yield _db


def _sessions(db: SQLAlchemy) -> list[str]:
    return [f"{id_}:{version}" for id_, version in db.session.execute(
        select(Person.id, Person.session_version).order_by(Person.id))]


def _describe(found: tuple[Person, list[Membership]] | None, db: SQLAlchemy) -> Any:
    """The answer and the session it leaves: states taken before any attribute is read (reading loads)."""
    held = db.session.identity_map.keys()
    identity = sorted((cls.__name__, ident) for cls, ident, _ in held)
    if found is None:
        return None, identity
    person, memberships = found
    states = [inspect(obj) for obj in (person, *memberships, *(m.__dict__.get("organisation") for m in memberships))
              if obj is not None]
    flags = [(s.key, s.expired, set(s.expired_attributes), s.unloaded, dict(s.committed_state)) for s in states]
    return flags, identity, [loaded_state(obj) for obj in (person, *memberships)], \
        [loaded_state(m.organisation) for m in memberships]


def _orm(session_id: str) -> tuple[Person, list[Membership]] | None:
    person_id, _, version = session_id.partition(":")
    return _loaded_by_the_orm(int(person_id), int(version))


def test_a_fresh_session_gets_the_same_objects(demo: SQLAlchemy) -> None:
    ids = _sessions(demo)
    assert len(ids) > 10
    for session_id in ids:
        demo.session.close()
        by_the_orm = _describe(_orm(session_id), demo)
        demo.session.close()
        from_rows = _describe(person_and_memberships_for_session(session_id), demo)
        assert from_rows == by_the_orm, session_id
    demo.session.close()
    counts = {len(person_and_memberships_for_session(session_id)[1]) for session_id in ids}  # type: ignore[index]
    assert {0, 1, 2} <= counts  # someone who left their one organisation, members of one and of both


@pytest.mark.parametrize("change", ["expire_all", "expire_some", "changed", "loaded"])
def test_objects_the_session_holds_are_filled_as_the_orm_fills_them(demo: SQLAlchemy, change: str) -> None:
    def prepare() -> None:
        demo.session.close()
        found = _orm(session_id)
        assert found is not None
        person, memberships = found
        held.extend([person, *memberships])  # the identity map holds objects only while they are referenced
        if not memberships:
            return
        if change == "expire_all":
            demo.session.expire_all()
        elif change == "expire_some":
            demo.session.expire(person, ["name", "session_version"])
            demo.session.expire(memberships[0], ["role", "organisation"])
            demo.session.expire(memberships[0].organisation, ["slug"])
        elif change == "changed":
            person.name = "Changed, not flushed"
            demo.session.expire(memberships[0], ["role"])

    for session_id in _sessions(demo):
        held: list[Any] = []
        prepare()
        if not held[1:]:
            continue
        by_the_orm = _describe(_orm(session_id), demo)
        held.clear()
        prepare()
        from_rows = _describe(person_and_memberships_for_session(session_id), demo)
        assert from_rows == by_the_orm, (change, session_id)
        demo.session.rollback()


def test_a_session_no_longer_current_is_refused_alike(demo: SQLAlchemy) -> None:
    for session_id in _sessions(demo)[:5]:
        person_id, _, version = session_id.partition(":")
        stale = f"{person_id}:{int(version) + 1}"
        demo.session.close()
        by_the_orm = _describe(_orm(stale), demo)
        demo.session.close()
        assert _describe(person_and_memberships_for_session(stale), demo) == by_the_orm
        assert by_the_orm[0] is None
    demo.session.close()
    assert person_and_memberships_for_session("999999:0") is None


def test_a_load_listener_is_served_by_the_orm(demo: SQLAlchemy) -> None:
    """Objects made from rows fire no ``load`` event, so a class something listens to is loaded by the ORM."""
    loaded: list[object] = []

    def listener(target: object, _context: object) -> None:
        loaded.append(target)

    person = demo.session.scalars(select(Person).where(Person.email == "volunteer@tackley.example")).one()
    session_id = person.get_id()
    event.listen(Organisation, "load", listener)
    try:
        demo.session.close()
        found = person_and_memberships_for_session(session_id)
    finally:
        event.remove(Organisation, "load", listener)
    assert found is not None and len(found[1]) == 2
    assert loaded == [membership.organisation for membership in found[1]]


def test_a_refresh_listener_is_served_by_the_orm(demo: SQLAlchemy) -> None:
    """The ORM fires ``refresh`` when it fills an expired object the session holds; rows made here would not."""
    refreshed: list[object] = []

    def listener(target: object, _context: object, _keys: object) -> None:
        refreshed.append(target)

    person = demo.session.scalars(select(Person).where(Person.email == "volunteer@tackley.example")).one()
    session_id = person.get_id()
    demo.session.expire(person)
    event.listen(Person, "refresh", listener)
    try:
        found = person_and_memberships_for_session(session_id)
    finally:
        event.remove(Person, "refresh", listener)
    assert found is not None and found[0] is person
    assert refreshed == [person]
    demo.session.close()


def test_a_mapper_the_rows_could_not_make_whole_is_refused() -> None:
    """A ``column_property`` is no table column (made here it would read None); a version counter needs the ORM."""
    class Base(DeclarativeBase):
        pass

    class Child(Base):
        __tablename__ = "child"
        id: Mapped[int] = mapped_column(primary_key=True)
        parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))

    class Parent(Base):
        __tablename__ = "parent"
        id: Mapped[int] = mapped_column(primary_key=True)
        children = column_property(select(func.count(Child.id)).where(Child.parent_id == id).scalar_subquery())

    class Versioned(Base):
        __tablename__ = "versioned"
        id: Mapped[int] = mapped_column(primary_key=True)
        version: Mapped[int] = mapped_column()
        __mapper_args__ = {"version_id_col": version}

    with pytest.raises(TypeError, match="children"):
        RowObjects(Parent, list(Parent.__table__.c))
    with pytest.raises(TypeError, match="versions"):
        RowObjects(Versioned, list(Versioned.__table__.c))
    assert RowObjects(Child, list(Child.__table__.c)).size == 2
