"""Signing in and out, rate limits, invitations and password resets."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from config import DEV_SECRET_KEY, ProductionConfig, TestingConfig
from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from volunteers.app import create_app
from volunteers.mail.models import OutboxMessage
from volunteers.people import services
from volunteers.people.models import Person
from volunteers.people.passwords import check_password


@pytest.fixture()
def tackley(db):
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    make_member(org, "volunteer@tackley.example")
    db.session.commit()
    return org


def test_login_form_fields_are_named_email_and_password(client, db) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page


def test_coordinator_signs_in_and_lands_on_the_board(client, auth, tackley) -> None:
    response = auth.login("Coordinator@Tackley.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert client.get("/").headers["Location"].endswith("/rota")


def test_volunteer_lands_on_my_shifts(client, auth, tackley) -> None:
    auth.login("volunteer@tackley.example")
    assert client.get("/").headers["Location"].endswith("/me/shifts")


def test_wrong_password_is_refused_without_saying_which_part(client, auth, tackley) -> None:
    response = auth.login("volunteer@tackley.example", "wrong password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/rota").status_code == 302


def test_logout_ends_the_session(client, auth, tackley) -> None:
    auth.login("coordinator@tackley.example")
    auth.logout()
    assert client.get("/rota").headers["Location"].startswith("/login")


def test_open_redirect_through_next_is_refused(client, tackley) -> None:
    response = client.post(
        "/login?next=//evil.example/x", data={"email": "volunteer@tackley.example", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_lax(client, auth, tackley) -> None:
    response = auth.login("volunteer@tackley.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_attempts_are_rate_limited(make_app) -> None:
    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        LOGIN_RATE_LIMIT = "3 per minute"

    client = make_app(Limited).test_client()
    codes = [client.post("/login", data={"email": "x@example.org", "password": "nope"}).status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


def test_csrf_is_required_when_enabled(make_app) -> None:
    class WithCsrf(TestingConfig):
        WTF_CSRF_ENABLED = True

    client = make_app(WithCsrf).test_client()
    response = client.post("/login", data={"email": "a@b.org", "password": "x"})
    assert response.status_code == 400


def test_production_refuses_the_development_secret_key(monkeypatch) -> None:
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)

    class Prod(ProductionConfig):
        SECRET_KEY = DEV_SECRET_KEY
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Prod)


def _link(db, path_prefix: str) -> str:
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    match = re.search(rf"http://[^/\s]+({path_prefix}[^\s\"<]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_invitation_link_sets_a_password_once(app, client, db, tackley) -> None:
    membership = services.add_member(tackley, email="new@tackley.example", name="New Person")
    services.invite(tackley, membership, __import__("volunteers.core.timeutil", fromlist=["utcnow"]).utcnow())
    db.session.commit()
    path = _link(db, "/invite/")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": "a fine password", "confirm": "a fine password"})
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "new@tackley.example"))
    assert check_password(person.password_hash, "a fine password")
    client.post("/logout")
    assert client.get(path).status_code == 404  # single use


def test_password_reset_link_expires(app, client, db, tackley, monkeypatch) -> None:
    client.post("/password/forgot", data={"email": "volunteer@tackley.example"})
    path = _link(db, "/password/reset/")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE_S", -1)
    assert client.get(path).status_code == 404


def test_password_reset_for_unknown_email_says_the_same(client, db, tackley) -> None:
    response = client.post("/password/forgot", data={"email": "nobody@tackley.example"}, follow_redirects=True)
    assert "If that address has an account" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_reset_rejects_a_short_password(client, db, tackley) -> None:
    client.post("/password/forgot", data={"email": "volunteer@tackley.example"})
    path = _link(db, "/password/reset/")
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
