"""The demo loaded into an in-memory database of its own, for the tests that compare answers over all of it.

Each such module loads it once (a module fixture): it stays apart from the
per-test database the other tests empty and refill, and a module that
changes it (limits, a member who left) changes only its own copy.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from tests.clock import Clock, freeze
from volunteers.app import create_app
from volunteers.core.models import Organisation
from volunteers.demo.data import load_demo
from volunteers.extensions import db


@contextmanager
def demo_app(now: datetime, *, frozen: bool = False, scanned: bool = False,
             **config: Any) -> Iterator[tuple[Flask, Any]]:
    """Yield the app (its context pushed) with the demo loaded at ``now``, and ``load_demo``'s summary.

    ``frozen``: the clock held at ``now`` while it lasts (the re-judging at each commit judges at ``now``
    too); ``scanned``: every organisation's load scanned at ``now``, as the nightly job leaves it for the
    warnings pages; ``config``: settings of the app (``CACHE_URL``...).
    """
    from volunteers.wellbeing.scan import scan

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", **config)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        if frozen:
            freeze(patch, Clock(now))
        db.create_all()
        try:
            summary = load_demo(now)
            if scanned:
                for org in db.session.scalars(select(Organisation)):
                    scan(org, now)
            db.session.commit()
            yield app, summary
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
