"""What the sign-in tests share: Tackley's volunteer, and requests made as browsers make them."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from volunteers.extensions import db
from volunteers.people import services

VOLUNTEER = "volunteer@tackley.example"
WRONG = "not the password"


def seed(app: Flask) -> None:
    """Tackley and its volunteer in ``app``'s database (once, whichever app asks first)."""
    with app.app_context():
        if services.person_by_email(VOLUNTEER) is None:
            org = make_org("tackley", "Tackley Village Shop")
            make_member(org, VOLUNTEER)
            db.session.commit()


def send(client: FlaskClient, method: str, url: str, **kwargs: object) -> TestResponse:
    """One request in an app context of its own, as in production.

    A request made inside the test's app context shares its ``g``, where
    Flask-Login keeps the signed-in user: another browser's request would
    then see the user of the one before it.
    """
    with client.application.app_context():
        return client.open(url, method=method, **kwargs)


def sign_in(client: FlaskClient, email: str = VOLUNTEER, password: str = DEFAULT_PASSWORD,
            ip: str = "192.0.2.1", query: dict[str, str] | None = None) -> TestResponse:
    return send(client, "POST", "/login", data={"email": email, "password": password},
                query_string=query or {}, environ_base={"REMOTE_ADDR": ip})
