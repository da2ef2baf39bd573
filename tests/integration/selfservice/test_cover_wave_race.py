"""Several schedulers send the due waves at the same moment: the next wave goes once and no one is asked twice."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from config import TestingConfig
from tests.clock import Clock, freeze
from tests.conftest import USING_POSTGRES
from tests.integration.selfservice.cover_crowd import NOW, cancel_late, make_crowd, minutes
from tests.races import at_once
from volunteers.app import create_app
from volunteers.extensions import db as _db
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.selfservice import cover_waves

RUNS = 6


def _race(app: Flask, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int, list[int]]:
    freeze(monkeypatch, Clock(NOW))
    with app.app_context():
        cancel_late(make_crowd())
        _db.session.commit()
    barrier = threading.Barrier(RUNS)
    asked: list[int] = []

    def run(_: int) -> None:
        with app.app_context():
            barrier.wait(timeout=60)
            try:
                asked.append(cover_waves.send_due_waves(NOW + minutes(30)))
                _db.session.commit()
            except Exception:  # a run the database turned away (SQLite's lock) asks nobody
                _db.session.rollback()
                asked.append(0)
            finally:
                _db.session.remove()

    at_once(run, range(RUNS))
    with app.app_context():
        total = _db.session.scalar(select(func.count(CoverAsk.id))) or 0
        people = _db.session.scalar(select(func.count(func.distinct(CoverAsk.membership_id)))) or 0
        request = _db.session.scalars(select(CoverRequest)).one()
        return total, people, request.waves_sent, asked


def _check(total: int, people: int, waves: int, asked: list[int]) -> None:
    assert (total, people, waves) == (10, 10, 2)
    assert sorted(asked) == [0] * (RUNS - 1) + [5]


def test_schedulers_at_once_on_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'cover-race.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    app = create_app(FileSqlite)
    with app.app_context():
        _db.create_all()
    try:
        _check(*_race(app, monkeypatch))
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.postgres
def test_schedulers_at_once_on_postgres(app, db, monkeypatch: pytest.MonkeyPatch) -> None:
    assert USING_POSTGRES
    _check(*_race(app, monkeypatch))
