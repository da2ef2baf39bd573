"""Never two people offered one place: promotions, cancellations and accepts at once, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_site, put_on, utc
from tests.integration.selfservice.conftest import shift_at
from tests.races import at_once, places_on
from volunteers.app import create_app
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError, take_place
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice.services import SelfServiceError, cancel
from volunteers.selfservice.waiting_list_models import WaitingListEntry

NOW = utc(2030, 1, 1, 12)
THREADS = 8


def _world(app: Flask, holders: int, waiting: int) -> tuple[int, int, list[int], list[int]]:
    """A shift needing ``holders`` people, all taken, in five days, and ``waiting`` people on its list."""
    with app.app_context():
        org = make_org("race")
        shift = shift_at(org, make_role(org), make_site(org), NOW + timedelta(days=5), needed=holders)
        held = [put_on(shift, make_member(org, f"h{i}@example.org", password=None)).membership_id
                for i in range(holders)]
        queued = []
        for i in range(waiting):
            member = make_member(org, f"w{i}@example.org", password=None)
            queued.append(wl.join(org, member, shift.id, NOW + timedelta(seconds=i)).id)
        _db.session.commit()
        return org.id, shift.id, held, queued


def _offers(app: Flask, shift_id: int) -> list[tuple[int, int]]:
    """(entry id, slot) of every open offer on the shift."""
    with app.app_context():
        return [(row.id, row.offer_slot) for row in _db.session.execute(
            select(WaitingListEntry.id, WaitingListEntry.offer_slot)
            .where(WaitingListEntry.shift_id == shift_id, WaitingListEntry.status == "offered"))]


def _free_a_place_without_promoting(app: Flask, org_id: int, shift_id: int, needed: int) -> None:
    with app.app_context():
        shift = _db.session.get(Shift, shift_id)
        shift.needed = needed  # raised needed: no release signal, nothing promoted at the commit
        _db.session.commit()


def _promote_at_once(app: Flask, org_id: int, shift_id: int) -> list[int]:
    barrier = threading.Barrier(THREADS)
    made: list[int] = []

    def promote(_: int) -> None:
        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            shift = _db.session.get(Shift, shift_id)
            _db.session.commit()
            barrier.wait(timeout=60)
            try:
                made.append(wl.promote(org, shift, NOW))
                _db.session.commit()
            except Exception:  # noqa: BLE001 - a lost race may surface as a database error: nothing half-written
                _db.session.rollback()
                made.append(0)
            finally:
                _db.session.remove()

    at_once(promote, range(THREADS))
    return made


def _one_place_many_promotions(app: Flask) -> None:
    org_id, shift_id, _, _ = _world(app, holders=1, waiting=10)
    _free_a_place_without_promoting(app, org_id, shift_id, needed=2)
    made = _promote_at_once(app, org_id, shift_id)
    offers = _offers(app, shift_id)
    assert sum(made) == 1 and len(offers) == 1 and offers[0][1] == 1, (made, offers)


def _two_cancellations_at_once(app: Flask) -> None:
    """Two holders cancel in the same instant; each commit promotes: two places, two people, two slots."""
    org_id, shift_id, held, _ = _world(app, holders=2, waiting=10)
    barrier = threading.Barrier(2)

    def cancel_place(member_id: int) -> None:
        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            member = _db.session.get(Membership, member_id)
            place = _db.session.scalar(select(Assignment).where(Assignment.membership_id == member_id))
            _ = member.person.name, place.shift.starts_at
            _db.session.commit()
            barrier.wait(timeout=60)
            try:
                cancel(org, member, place.id, NOW)
                _db.session.commit()
            except SelfServiceError:
                _db.session.rollback()
            finally:
                _db.session.remove()

    at_once(cancel_place, held)
    more = _promote_at_once(app, org_id, shift_id)  # the minute job's net, many times at once
    offers = _offers(app, shift_id)
    assert len(offers) == 2 and sorted(slot for _, slot in offers) == [1, 2], (offers, more)
    with app.app_context():
        people = Counter(_db.session.scalars(select(WaitingListEntry.membership_id)
                                             .where(WaitingListEntry.status == "offered")))
        assert all(n == 1 for n in people.values())


def _accepts_against_a_hand_fill(app: Flask) -> None:
    """The person offered accepts while others sign up by hand for the same place: never overbooked."""
    org_id, shift_id, _, _ = _world(app, holders=1, waiting=3)
    _free_a_place_without_promoting(app, org_id, shift_id, needed=2)
    assert sum(_promote_at_once(app, org_id, shift_id)) == 1
    [(entry_id, _)] = _offers(app, shift_id)
    with app.app_context():
        org = _db.session.get(Organisation, org_id)
        others = [make_member(org, f"x{i}@example.org", password=None).id for i in range(THREADS - 1)]
        _db.session.commit()
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def act(who: int | None) -> None:
        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            entry = _db.session.get(WaitingListEntry, entry_id)
            member = _db.session.get(Membership, entry.membership_id if who is None else who)
            _ = member.person.name, entry.shift.starts_at
            _db.session.commit()
            barrier.wait(timeout=60)
            try:
                if who is None:
                    outcomes.append(wl.accept(org, member, entry_id, NOW).status)
                else:
                    take_place(org, shift_id, who, source="coordinator", now=NOW)
                    outcomes.append("hand")
                _db.session.commit()
            except (SelfServiceError, PlaceError) as error:
                _db.session.rollback()
                outcomes.append(error.code)
            finally:
                _db.session.remove()

    at_once(act, [None, *others])
    live, filled = places_on(app, shift_id)
    assert (live, filled) == (2, 2), outcomes
    assert outcomes.count("taken") + outcomes.count("hand") == 1, outcomes


def _different_people_one_place(app: Flask) -> None:
    """Runs that chose different people for the same place (each read the queue at its own moment): one offer."""
    org_id, shift_id, _, queued = _world(app, holders=1, waiting=THREADS)
    _free_a_place_without_promoting(app, org_id, shift_id, needed=2)
    barrier = threading.Barrier(THREADS)
    won: list[bool | None] = []

    def hold(entry_id: int) -> None:
        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            _db.session.commit()
            barrier.wait(timeout=60)
            try:
                won.append(wl.hold_place(org, entry_id, 1, NOW, NOW + timedelta(hours=2)))
                _db.session.commit()
            except Exception:  # noqa: BLE001 - SQLite may refuse a writer outright: it held nothing
                _db.session.rollback()
                won.append(None)
            finally:
                _db.session.remove()

    at_once(hold, queued)
    assert won.count(True) == 1 and len(_offers(app, shift_id)) == 1, won


RACES = [_one_place_many_promotions, _two_cancellations_at_once, _accepts_against_a_hand_fill,
         _different_people_one_place]


def _file_sqlite(tmp_path: Path) -> Flask:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'waiting-race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    app = create_app(FileSqlite)
    with app.app_context():
        _db.create_all()
    return app


@pytest.mark.parametrize("race", RACES)
def test_never_two_people_for_one_place_on_sqlite(tmp_path: Path, race, clock) -> None:
    clock.now = NOW
    app = _file_sqlite(tmp_path)
    try:
        race(app)
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("race", RACES)
def test_never_two_people_for_one_place_on_postgres(app, db, race, clock) -> None:
    assert USING_POSTGRES
    clock.now = NOW
    race(app)
