"""Twenty sign-ups at once while one of two free places is held for the first person waiting: they share the other.

The held place is counted as taken inside ``take_place``'s guarded UPDATE
(``services.held_for_others``), so no interleaving lets a sign-up take it;
the person it is held for then takes it. On SQLite (a file, real threads)
and PostgreSQL.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import USING_POSTGRES
from tests.factories import make_member
from tests.integration.selfservice.test_waiting_list_race import (
    NOW,
    _file_sqlite,
    _free_a_place_without_promoting,
    _offers,
    _promote_at_once,
    _world,
)
from tests.races import at_once, places_on
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment
from volunteers.selfservice import services
from volunteers.selfservice import waiting_list as wl
from volunteers.selfservice.services import SelfServiceError
from volunteers.selfservice.waiting_list_models import WaitingListEntry

SIGN_UPS = 20


def _sign_ups_beside_a_held_place(app: Flask) -> None:
    org_id, shift_id, _, _ = _world(app, holders=1, waiting=1)
    _free_a_place_without_promoting(app, org_id, shift_id, needed=3)  # two places free
    _promote_at_once(app, org_id, shift_id)
    [(entry_id, _)] = _offers(app, shift_id)  # one waiting: one place held, one open to anyone
    with app.app_context():
        org = _db.session.get(Organisation, org_id)
        newcomers = [make_member(org, f"n{i}@example.org", password=None).id for i in range(SIGN_UPS)]
        _db.session.commit()
    barrier = threading.Barrier(SIGN_UPS)
    outcomes: list[str] = []

    def sign_up(member_id: int) -> None:
        with app.app_context():
            org = _db.session.get(Organisation, org_id)
            member = _db.session.get(Membership, member_id)
            _ = member.person.name
            _db.session.commit()
            barrier.wait(timeout=60)
            try:
                outcomes.append(services.sign_up(org, member, shift_id, NOW).status)
                _db.session.commit()
            except SelfServiceError as error:
                _db.session.rollback()
                outcomes.append(error.code)
            except Exception:  # noqa: BLE001 - SQLite may refuse a writer outright: it took nothing
                _db.session.rollback()
                outcomes.append("refused")
            finally:
                _db.session.remove()

    at_once(sign_up, newcomers)
    assert outcomes.count("signed_up") == 1, outcomes
    assert places_on(app, shift_id) == (2, 2), outcomes
    with app.app_context():
        org = _db.session.get(Organisation, org_id)
        entry = _db.session.get(WaitingListEntry, entry_id)
        holder = _db.session.get(Membership, entry.membership_id)
        assert wl.accept(org, holder, entry_id, NOW).status == "taken"
        _db.session.commit()
        on = set(_db.session.scalars(select(Assignment.membership_id).where(
            Assignment.shift_id == shift_id, Assignment.status != "cancelled")))
        assert holder.id in on
    assert places_on(app, shift_id) == (3, 3)


def test_a_held_place_survives_twenty_sign_ups_on_sqlite(tmp_path: Path, clock) -> None:
    clock.now = NOW
    app = _file_sqlite(tmp_path)
    try:
        _sign_ups_beside_a_held_place(app)
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
def test_a_held_place_survives_twenty_sign_ups_on_postgres(app, db, clock) -> None:
    assert USING_POSTGRES
    clock.now = NOW
    _sign_ups_beside_a_held_place(app)
