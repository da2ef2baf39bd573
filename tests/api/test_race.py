"""The full-shift race through the API: 50 volunteers sign up at once for 2 places; exactly 2 get one, the rest 409."""
from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from config import TestingConfig
from tests.clock import DEFAULT_NOW, Clock, freeze
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_shift, make_site
from tests.races import at_once, places_on
from volunteers.api import tokens
from volunteers.app import create_app
from volunteers.extensions import db as _db

N = 50


def _race(app) -> tuple[int, int, list[int]]:
    with app.app_context():
        org = make_org("race")
        shift = make_shift(org, make_role(org), make_site(org), DEFAULT_NOW.date() + timedelta(days=3), needed=2)
        shift.published_at = DEFAULT_NOW - timedelta(days=1)
        members = [make_member(org, f"v{i}@example.org", password=None, pledge=None) for i in range(N)]
        secrets = [tokens.create_token(org, m, "race", "write", 5, DEFAULT_NOW).token for m in members]
        _db.session.commit()
        shift_id = shift.id
    barrier = threading.Barrier(N)
    statuses: list[int] = []

    def sign_up(token: str) -> None:
        client = app.test_client()
        barrier.wait(timeout=60)
        response = client.post(f"/api/v1/me/shifts/{shift_id}/sign-up", json={},
                               headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)

    at_once(sign_up, secrets)
    live, filled = places_on(app, shift_id)
    return live, filled, statuses


def _check(live: int, filled: int, statuses: list[int]) -> None:
    assert (live, filled) == (2, 2)
    assert sorted(statuses) == [200, 200] + [409] * (N - 2)


def test_fifty_sign_ups_for_two_places_through_the_api_on_sqlite(tmp_path: Path, monkeypatch) -> None:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'api-race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    freeze(monkeypatch, Clock(DEFAULT_NOW))
    app = create_app(FileSqlite)
    with app.app_context():
        _db.create_all()
    try:
        _check(*_race(app))
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
def test_fifty_sign_ups_for_two_places_through_the_api_on_postgres(app, db, monkeypatch) -> None:
    assert USING_POSTGRES
    freeze(monkeypatch, Clock(DEFAULT_NOW))
    _check(*_race(app))
