"""Two-factor secrets are encrypted at rest: the migration encrypts the ones already stored, and
their owners' codes still work (tests/integration/test_auth_two_factor.py covers new enrolments).

Before, ``people.totp_secret`` held the base32 secret itself: anyone with a
copy of the database (a backup, a dump) could make everyone's codes.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestingConfig
from volunteers.app import create_app
from volunteers.extensions import db
from volunteers.people import twofactor
from volunteers.people.models import Person
from volunteers.people.totp_secrets import seal, unseal

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_the_migration_encrypts_stored_secrets_and_the_codes_still_work(tmp_path: Path) -> None:
    class FileDb(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.sqlite'}"

    app = create_app(FileDb)
    with app.app_context():
        upgrade(revision="9d2e4a6c8f10")
        upgrade(revision="a7c3e91d2b64")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO people (id, email, name, active, created_at, phone_code_tries, session_version, "
                "totp_secret, totp_enabled_at) VALUES (1, 'ann@example.org', 'Ann', 1, :at, 0, 0, :secret, :at)"),
                {"secret": SECRET, "at": NOW})
        upgrade(revision="c4a8e2f61d07")
        with db.engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT totp_secret FROM people")).scalar_one()
        assert SECRET not in stored and unseal(stored, app.config) == SECRET
        person = db.session.get(Person, 1)
        assert person is not None and person.two_factor_enabled
        assert twofactor.check_code(person, pyotp.TOTP(SECRET).at(NOW), NOW)
        db.session.remove()
        db.engine.dispose()


def test_a_new_enrolment_stores_no_secret_in_clear(app, db) -> None:
    from tests.factories import make_member, make_org

    person = make_member(make_org(), "ann@example.org").person
    secret = twofactor.start_enrolment(person)
    db.session.flush()
    assert person.totp_secret is not None and secret not in person.totp_secret
    assert twofactor.secret_of(person) == secret
    assert twofactor.confirm_enrolment(person, pyotp.TOTP(secret).at(NOW), NOW) is not None


def test_a_dedicated_key_encrypts_and_the_derived_one_still_opens_older_secrets(app) -> None:
    from cryptography.fernet import Fernet

    old = seal(SECRET, {"SECRET_KEY": "s"})
    config = {"SECRET_KEY": "s", "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    new = seal(SECRET, config)
    assert unseal(old, config) == unseal(new, config) == SECRET
    assert unseal(SECRET, config) == SECRET  # a secret from before encryption is read as it was
    with pytest.raises(ValueError, match="no configured key"):
        unseal(new, {"SECRET_KEY": "s"})  # sealed with the dedicated key: not without it
