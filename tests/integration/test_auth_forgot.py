"""Asking for a password reset does the same work whether or not the address has an account,
so the time it takes does not tell which addresses do (the page already says the same)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, template_rendered
from jinja2 import Template
from sqlalchemy import func, select

from tests.integration.auth_support import VOLUNTEER, seed, send
from volunteers.mail.models import OutboxMessage


@pytest.fixture()
def rendered(app: Flask) -> Iterator[list[str]]:
    names: list[str] = []

    def record(_sender: Flask, template: Template, **_extra: object) -> None:
        names.append(template.name or "")

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def test_known_and_unknown_addresses_render_the_same_reset_message(app, client, db, rendered) -> None:
    seed(app)
    send(client, "POST", "/password/forgot", data={"email": VOLUNTEER})
    known = list(rendered)
    rendered.clear()
    send(client, "POST", "/password/forgot", data={"email": "nobody@tackley.example"})
    assert rendered == known == ["email/password_reset.txt", "email/password_reset.html"]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1  # only the real one is queued
