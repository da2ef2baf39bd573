"""Never overbook: concurrent takers for the last places leave exactly `needed` people."""
from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_shift, make_site, utc
from tests.races import at_once, places_on
from volunteers.app import create_app
from volunteers.extensions import db as _db
from volunteers.rota.models import Shift
from volunteers.rota.places import PlaceError, release_place, take_place

NOW = utc(2030, 1, 1, 12)


@pytest.fixture()
def shift_and_people(db):
    org = make_org("tackley")
    role, site = make_role(org), make_site(org)
    shift = make_shift(org, role, site, date(2030, 1, 7), needed=2)
    people = [make_member(org, f"v{i}@example.org", password=None) for i in range(3)]
    db.session.commit()
    return org, shift, people


def test_takes_places_until_full_then_refuses(shift_and_people, db) -> None:
    org, shift, people = shift_and_people
    take_place(org, shift.id, people[0].id, source="self", now=NOW)
    take_place(org, shift.id, people[1].id, source="self", now=NOW)
    with pytest.raises(PlaceError) as refused:
        take_place(org, shift.id, people[2].id, source="self", now=NOW)
    assert refused.value.code == "full"
    assert db.session.get(Shift, shift.id).filled == 2


def test_the_same_person_cannot_take_two_places(shift_and_people) -> None:
    org, shift, people = shift_and_people
    take_place(org, shift.id, people[0].id, source="self", now=NOW)
    with pytest.raises(PlaceError, match="Already"):
        take_place(org, shift.id, people[0].id, source="self", now=NOW)


def test_releasing_frees_the_place_once(shift_and_people, db) -> None:
    org, shift, people = shift_and_people
    a = take_place(org, shift.id, people[0].id, source="self", now=NOW)
    take_place(org, shift.id, people[1].id, source="self", now=NOW)
    release_place(org, a, NOW)
    release_place(org, a, NOW)
    assert db.session.get(Shift, shift.id).filled == 1
    assert a.status == "cancelled" and a.sequence == 1
    take_place(org, shift.id, people[2].id, source="self", now=NOW)


def test_past_and_cancelled_shifts_are_refused(shift_and_people, db) -> None:
    org, shift, people = shift_and_people
    with pytest.raises(PlaceError, match="over"):
        take_place(org, shift.id, people[0].id, source="self", now=shift.ends_at + timedelta(minutes=1))
    shift.status = "cancelled"
    with pytest.raises(PlaceError, match="cancelled"):
        take_place(org, shift.id, people[0].id, source="self", now=NOW)


def test_another_organisations_shift_is_not_found(shift_and_people) -> None:
    _, shift, _ = shift_and_people
    other = make_org("surestart")
    member = make_member(other, "x@example.org", password=None)
    with pytest.raises(PlaceError, match="does not exist"):
        take_place(other, shift.id, member.id, source="self", now=NOW)


def _concurrent_sign_ups(app, n: int = 50) -> tuple[int, int, int]:
    """Create a shift needing 2 and n people, then let n threads take a place at once."""
    with app.app_context():
        org = make_org("race")
        role, site = make_role(org), make_site(org)
        shift = make_shift(org, role, site, date(2030, 1, 7), needed=2)
        member_ids = [make_member(org, f"r{i}@example.org", password=None).id for i in range(n)]
        _db.session.commit()
        org_id, shift_id = org.id, shift.id
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def sign_up(member_id: int) -> None:
        with app.app_context():
            from volunteers.core.models import Organisation

            org = _db.session.get(Organisation, org_id)
            _db.session.commit()  # give the connection back to the pool while waiting
            barrier.wait(timeout=60)
            try:
                take_place(org, shift_id, member_id, source="self", now=NOW)
                _db.session.commit()
                outcomes.append("ok")
            except PlaceError:
                _db.session.rollback()
                outcomes.append("full")
            finally:
                _db.session.remove()

    at_once(sign_up, member_ids)
    live, filled = places_on(app, shift_id)
    return live, filled, outcomes.count("ok")


def test_fifty_concurrent_sign_ups_for_two_places_on_sqlite(tmp_path: Path) -> None:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    app = create_app(FileSqlite)
    with app.app_context():
        _db.create_all()
    try:
        assert _concurrent_sign_ups(app) == (2, 2, 2)
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
def test_fifty_concurrent_sign_ups_for_two_places_on_postgres(app, db) -> None:
    assert USING_POSTGRES
    assert _concurrent_sign_ups(app) == (2, 2, 2)
