"""Shared set-up for the ledger and report tests: an organisation with people, and a second process."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from config import TestingConfig
from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, make_role, make_site
from volunteers.app import create_app
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Site


@dataclass
class Ledger:
    org: Organisation
    shop: Role
    post_office: Role
    hall: Site
    coordinator: Membership
    ann: Membership
    bob: Membership
    cat: Membership


def make_ledger_org(slug: str = "tackley", name: str = "Tackley Village Shop") -> Ledger:
    org = make_org(slug, name)
    shop, post_office = make_role(org, "Shop counter"), make_role(org, "Post Office counter")
    hall = make_site(org, "Village hall shop")
    coordinator = make_member(org, f"coordinator@{slug}.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, f"ann@{slug}.example", name="Ann Archer")
    bob = make_member(org, f"bob@{slug}.example", name="Bob Baker")
    cat = make_member(org, f"cat@{slug}.example", name="Cat Carter")
    return Ledger(org, shop, post_office, hall, coordinator, ann, bob, cat)


@pytest.fixture()
def ledger(db) -> Ledger:
    built = make_ledger_org()
    db.session.commit()
    return built


@pytest.fixture()
def shared_app(app: Flask, db, tmp_path: Path) -> Iterator[Flask]:
    """An app whose database several threads (each with its own session) really share.

    PostgreSQL when TEST_DATABASE_URL is set (the test database), else a file
    SQLite database: in-memory SQLite is one connection, so no real concurrency.
    """
    if USING_POSTGRES:
        yield app
        return

    class FileSqlite(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'shared.sqlite'}"
        SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"timeout": 30}}

    other = create_app(FileSqlite)
    with other.app_context():
        _db.create_all()
    try:
        yield other
    finally:
        with other.app_context():
            _db.engine.dispose()


def in_threads(app: Flask, work: Callable[[], Any], count: int = 2) -> list[Any]:
    """Run ``work`` in ``count`` threads at once, each in its own app context (own session); commit each.

    Returns what each returned, or the exception it raised.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            try:
                barrier.wait()
                outcome = work()
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the test
                _db.session.rollback()
                outcome = error
            finally:
                _db.session.remove()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
