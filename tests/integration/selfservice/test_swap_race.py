"""Many colleagues accept one offered place at once: exactly one gets it, and the shift is never overbooked."""
from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_site, put_on, utc
from tests.integration.selfservice.conftest import shift_at
from tests.races import at_once, places_on
from volunteers.app import create_app
from volunteers.extensions import db as _db
from volunteers.selfservice import swaps
from volunteers.selfservice.services import SelfServiceError

NOW = utc(2030, 1, 1, 12)


def _concurrent_takers(app, n: int = 12) -> tuple[int, int, list[str]]:
    with app.app_context():
        org = make_org("race")
        shift = shift_at(org, make_role(org), make_site(org), NOW + timedelta(days=3), needed=2)
        giver = make_member(org, "giver@example.org", password=None)
        place = put_on(shift, giver)
        put_on(shift, make_member(org, "other@example.org", password=None))
        offer = swaps.offer_place(org, giver, place.id, NOW)
        taker_ids = [make_member(org, f"t{i}@example.org", password=None).id for i in range(n)]
        _db.session.commit()
        org_id, shift_id, offer_id = org.id, shift.id, offer.id
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def accept(member_id: int) -> None:
        from volunteers.core.models import Organisation
        from volunteers.people.models import Membership

        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            taker = _db.session.get(Membership, member_id)
            _ = taker.person.name
            _db.session.commit()  # give the connection back while waiting
            barrier.wait(timeout=60)
            try:
                outcomes.append(swaps.accept_offer(org, taker, offer_id, NOW).status)
                _db.session.commit()
            except SelfServiceError as error:
                _db.session.rollback()
                outcomes.append(error.code)
            finally:
                _db.session.remove()

    at_once(accept, taker_ids)
    live, filled = places_on(app, shift_id)
    return live, filled, outcomes


def _check(live: int, filled: int, outcomes: list[str]) -> None:
    assert (live, filled) == (2, 2)
    assert outcomes.count("moved") == 1
    assert set(outcomes) - {"moved"} <= {"decided", "gone", "not_found"}


def test_concurrent_takers_on_sqlite(tmp_path: Path) -> None:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'swap-race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    app = create_app(FileSqlite)
    with app.app_context():
        _db.create_all()
    try:
        _check(*_concurrent_takers(app))
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
def test_concurrent_takers_on_postgres(app, db) -> None:
    assert USING_POSTGRES
    _check(*_concurrent_takers(app))
