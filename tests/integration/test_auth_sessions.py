"""Sessions end when they should: signing out (a copied cookie too), a new password,
and "sign me out everywhere"."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from config import TestingConfig
from tests.integration.auth_support import VOLUNTEER, seed, send, sign_in
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.people import services
from volunteers.people.models import Person
from volunteers.people.sessions import person_for_session


def _copy_of_session(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (say, a stolen one)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value)
    return other


def _signed_out(client: FlaskClient) -> bool:
    response = send(client, "GET", "/me/shifts")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, client, db) -> None:
    seed(app)
    sign_in(client)
    copy = _copy_of_session(app, client)
    assert send(copy, "GET", "/me/shifts").status_code == 200
    send(client, "POST", "/logout")
    assert _signed_out(copy)


def test_signing_out_everywhere_ends_every_session(app, client, db) -> None:
    seed(app)
    laptop, phone = client, app.test_client()
    sign_in(laptop)
    sign_in(phone)
    page = send(phone, "GET", "/me/shifts").get_data(as_text=True)
    assert 'action="/logout/everywhere"' in page and "Sign me out everywhere" in page
    response = send(phone, "POST", "/logout/everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert _signed_out(laptop) and _signed_out(phone)
    assert sign_in(laptop).status_code == 302  # the password still works
    assert send(laptop, "GET", "/me/shifts").status_code == 200


def test_signing_out_everywhere_needs_a_csrf_token(make_app) -> None:
    class WithCsrf(TestingConfig):
        WTF_CSRF_ENABLED = True

    other = make_app(WithCsrf)
    assert send(other.test_client(), "POST", "/logout/everywhere").status_code == 400


def test_signing_out_everywhere_needs_a_session(client, db) -> None:
    response = send(client, "POST", "/logout/everywhere")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_password_reset_ends_the_old_sessions_but_not_the_new_one(app, client, db) -> None:
    seed(app)
    old_device = app.test_client()
    sign_in(old_device)
    assert send(old_device, "GET", "/me/shifts").status_code == 200

    send(client, "POST", "/password/forgot", data={"email": VOLUNTEER})
    person = services.person_by_email(VOLUNTEER)
    assert person is not None
    from_mail = _db.session.scalars(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())).first()
    assert from_mail is not None
    path = from_mail[from_mail.index("/password/reset/"):].split()[0]
    response = send(client, "POST", path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302

    assert _signed_out(old_device)
    assert send(client, "GET", "/me/shifts").status_code == 200  # the browser that set the password stays signed in


def test_session_ids_without_the_current_version_are_refused(app, db) -> None:
    seed(app)
    person = services.person_by_email(VOLUNTEER)
    assert isinstance(person, Person)
    assert person_for_session(f"{person.id}:{person.session_version}") is person
    for stale in (str(person.id), f"{person.id}:{person.session_version + 1}", f"{person.id}:", ":0",
                  "x:0", f"{person.id}:-1", f"{person.id}:١", "9" * 40 + ":0", ""):
        assert person_for_session(stale) is None, stale
