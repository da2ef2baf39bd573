"""A read that wrote nothing ends its unit of work without expiring what it loaded, where its session ends with it
(issue 13, ``core.unit_of_work.end_uncommitted``): a close in production, a rollback inside a test's app context."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from config import TestingConfig
from tests.factories import DEFAULT_PASSWORD
from tests.integration.auth_support import VOLUNTEER, seed


@pytest.fixture()
def rollbacks() -> Iterator[list[str]]:
    seen: list[str] = []

    def counting(session: Session, transaction: object) -> None:
        seen.append("rollback")

    event.listen(Session, "after_soft_rollback", counting)
    yield seen
    event.remove(Session, "after_soft_rollback", counting)


def test_a_read_in_its_own_app_context_closes_and_one_in_a_shared_context_rolls_back(make_app, rollbacks) -> None:
    app = make_app(TestingConfig)
    seed(app)
    client = app.test_client()  # no app context around it: each request brings its own, as under gunicorn
    assert client.post("/login", data={"email": VOLUNTEER, "password": DEFAULT_PASSWORD}).status_code == 302
    rollbacks.clear()

    own = client.get("/me/shifts")
    assert own.status_code == 200 and "no-store" in own.headers["Cache-Control"]  # signed in, read after the end
    assert rollbacks == []  # closed: nothing expired

    with app.app_context():  # a context that outlives the request keeps its objects: expired by a rollback
        shared = client.get("/me/shifts")
    assert shared.status_code == 200 and rollbacks == ["rollback"]
    assert _without_stamp(shared.get_data(as_text=True)) == _without_stamp(own.get_data(as_text=True))


def _without_stamp(page: str) -> str:
    """The page without what differs between two loads of it: its 'rendered at' stamp, and its CSRF token's
    signing second and signature (two loads a second apart, on a busy machine, sign the same token apart)."""
    page = re.sub(r'<meta name="rendered-at"[^>]*>', "", page)
    return re.sub(r"([\w-]+)\.[\w-]+\.[\w-]{20,}", r"\1.…", page)  # itsdangerous: payload.stamp.signature
