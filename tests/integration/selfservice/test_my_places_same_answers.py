"""/me/shifts reads my places as rows through the connection, with SQLite's instants as text made aware once
each; here they are ``rota.queries.my_places``' answer for every person of the demo (issue 13)."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.demo_db import demo_app
from volunteers.extensions import db as _db
from volunteers.people.models import Person
from volunteers.rota.queries import my_places
from volunteers.selfservice.me_pages import PAST_DAYS, _my_places

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    with demo_app(NOW) as (app, _):
        yield app


def test_every_persons_places_are_my_places_answer(demo) -> None:
    since = NOW - timedelta(days=PAST_DAYS)
    read = 0
    for person_id in _db.session.scalars(select(Person.id).order_by(Person.id)):
        places, others = _my_places(person_id, since, NOW)
        assert places == my_places(person_id, since=since)
        assert all(p.starts_at.tzinfo is UTC and p.ends_at.tzinfo is UTC for p in places)
        assert set(others) == {p.id for p in places}
        read += len(places)
    assert read > 500
