"""Two-factor sign-in (TOTP): setting it up, signing in with it, recovery codes, turning it off,
the organisation's requirement for coordinators, the limits, the sysadmin's reset, and the audit trail.

Every code is computed with pyotp at the test's clock, the same instant the app reads.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from config import TestingConfig
from tests.clock import Clock
from tests.factories import DEFAULT_PASSWORD, make_member
from tests.integration.auth_support import VOLUNTEER, WRONG, seed, send, sign_in
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db as _db
from volunteers.extensions import limiter
from volunteers.people import services, twofactor
from volunteers.people.domain.two_factor import REQUIRE_SETTING, time_step
from volunteers.people.models import Membership, Person, RecoveryCode
from volunteers.people.tokens import make_token

COORDINATOR = "coordinator@tackley.example"


def _person(email: str = VOLUNTEER) -> Person:
    _db.session.expire_all()
    person = services.person_by_email(email)
    assert person is not None
    return person


def _code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def _enable(app: Flask, at: datetime, email: str = VOLUNTEER) -> tuple[str, list[str]]:
    """Two-factor sign-in on for ``email``, set up at ``at`` (before the test's now, so now's code is unused)."""
    with app.app_context():
        person = _person(email)
        secret = twofactor.start_enrolment(person)
        codes = twofactor.confirm_enrolment(person, _code(secret, at), at)
        assert codes is not None
        _db.session.commit()
        return secret, codes


def _second_step(client: FlaskClient, code: str = "", recovery: str = "", ip: str = "192.0.2.1") -> TestResponse:
    return send(client, "POST", "/login/two-factor", data={"code": code, "recovery_code": recovery},
                environ_base={"REMOTE_ADDR": ip})


def _signed_in(client: FlaskClient) -> bool:
    response = send(client, "GET", "/me/shifts")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def _shown_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>", html)


def _actions(action: str) -> list[AuditLogEntry]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)
                                    .order_by(AuditLogEntry.id)).all())


# --- setting it up -----------------------------------------------------------------------------

def test_enrolment_needs_a_right_code_then_shows_ten_recovery_codes_once_and_keeps_only_hashes(
        app, client, db, clock: Clock) -> None:
    seed(app)
    sign_in(client)
    page = send(client, "GET", "/me/security").get_data(as_text=True)
    assert "Off" in page and 'action="/me/security/start"' in page
    assert send(client, "POST", "/me/security/start").status_code == 302

    page = send(client, "GET", "/me/security").get_data(as_text=True)
    secret = twofactor.secret_of(_person())
    assert secret and " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in page  # typed by hand, if not scanned
    assert 'src="data:image/svg+xml;base64,' in page and 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page and 'for="code"' in page
    assert "style=" not in page.split("<main", 1)[1]

    wrong = f"{(int(_code(secret, clock.now)) + 1) % 1_000_000:06d}"
    refused = send(client, "POST", "/me/security/confirm", data={"code": wrong})
    assert refused.status_code == 400 and "does not match" in refused.get_data(as_text=True)
    assert not _person().two_factor_enabled

    shown = send(client, "POST", "/me/security/confirm", data={"code": _code(secret, clock.now)})
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    codes = _shown_codes(html)
    assert len(codes) == 10 and len(set(codes)) == 10
    person = _person()
    assert person.two_factor_enabled and person.totp_enabled_at == clock.now
    stored = set(_db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.person_id == person.id)))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)  # no code kept as it is

    again = send(client, "GET", "/me/security").get_data(as_text=True)
    assert "On" in again and not any(c in again for c in codes)  # shown once only
    assert "10 of your recovery codes are unused" in again
    assert len(_actions("auth.two_factor_enabled")) == 1


def test_new_recovery_codes_replace_the_old_ones(app, client, db, clock: Clock) -> None:
    seed(app)
    _secret, old = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    assert not _signed_in(client)  # the password alone does not do it
    html = send(client, "POST", "/login/two-factor", data={"recovery_code": old[0]})
    assert html.status_code == 302
    new_page = send(client, "POST", "/me/security/recovery-codes")
    assert new_page.status_code == 200
    new = _shown_codes(new_page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    with app.app_context():
        person = _person()
        assert twofactor.verify_second_factor(person, old[1], clock.now) is None
        assert twofactor.verify_second_factor(person, new[1], clock.now) == twofactor.RECOVERY_CODE
    assert len(_actions("auth.recovery_codes_regenerated")) == 1


# --- signing in --------------------------------------------------------------------------------

def test_the_password_alone_does_not_sign_in_the_right_code_does(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login/two-factor"
    assert not _signed_in(client)
    page = send(client, "GET", "/login/two-factor").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page and '<label for="code">' in page

    assert _second_step(client, code=_code(secret, clock.now)).headers["Location"] == "/"
    assert _signed_in(client)
    entry = _actions("auth.sign_in")[-1]
    assert entry.details == {"method": "password+totp", "ip": "192.0.2.0/24"}
    assert entry.actor_person_id == entry.target_id == _person().id


def test_a_code_used_once_is_refused_again_in_its_step(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    code = _code(secret, clock.now)
    sign_in(client)
    assert _second_step(client, code=code).status_code == 302
    send(client, "POST", "/logout")

    clock.now += timedelta(seconds=5)  # the same 30-second step
    other = app.test_client()
    sign_in(other)
    refused = _second_step(other, code=code)
    assert refused.status_code == 401 and "used already" in refused.get_data(as_text=True)
    assert not _signed_in(other)
    clock.now += timedelta(seconds=30)
    assert _second_step(other, code=_code(secret, clock.now)).status_code == 302
    assert _signed_in(other)


def test_of_two_requests_racing_with_one_code_only_one_passes(app, db, clock: Clock) -> None:
    """The step is claimed in the database: a request holding an older view of the person still loses."""
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    code = _code(secret, clock.now)
    with app.app_context():
        stale = _person()
        assert stale.totp_last_step is not None
        # the other request accepts the code first (straight in the database, behind this session's back)
        _db.session.execute(update(Person).where(Person.id == stale.id).values(totp_last_step=time_step(clock.now))
                            .execution_options(synchronize_session=False))
        assert stale.totp_last_step < time_step(clock.now)
        assert twofactor.verify_second_factor(stale, code, clock.now) is None


def test_a_wrong_code_is_refused_and_audited(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    wrong = f"{(int(_code(secret, clock.now)) + 500_000) % 1_000_000:06d}"
    assert _second_step(client, code=wrong).status_code == 401
    assert _second_step(client, code="").status_code == 401
    assert not _signed_in(client)
    failed = _actions("auth.two_factor_failed")
    assert len(failed) == 2 and failed[0].target_id == _person().id and failed[0].actor_person_id is None


def test_the_code_must_follow_the_password_within_five_minutes(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    clock.now += timedelta(minutes=5, seconds=1)
    response = _second_step(client, code=_code(secret, clock.now))
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not _signed_in(client)
    assert send(client, "GET", "/login/two-factor").headers["Location"] == "/login"  # the marker is gone


def test_the_marker_dies_with_the_sessions(app, client, db, clock: Clock) -> None:
    """A pending sign-in made before 'sign me out everywhere' (or a reset) cannot be completed after it."""
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    with app.app_context():
        _person().session_version += 1
        _db.session.commit()
    assert _second_step(client, code=_code(secret, clock.now)).headers["Location"] == "/login"
    assert not _signed_in(client)


def test_the_second_step_without_a_password_first_goes_back_to_sign_in(app, client, db) -> None:
    seed(app)
    response = _second_step(client, code="123456")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_a_recovery_code_signs_in_once(app, client, db, clock: Clock) -> None:
    seed(app)
    _secret, codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    assert _second_step(client, recovery=codes[3].upper().replace("-", " ")).status_code == 302
    assert _signed_in(client)
    assert _actions("auth.sign_in")[-1].details["method"] == "password+recovery_code"
    assert len(_actions("auth.recovery_code_used")) == 1
    send(client, "POST", "/logout")

    other = app.test_client()
    sign_in(other)
    assert _second_step(other, recovery=codes[3]).status_code == 401
    assert not _signed_in(other)
    with app.app_context():
        assert twofactor.unused_recovery_codes(_person()) == 9


def test_next_survives_the_second_step_and_stays_on_the_site(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client, query={"next": "/me/hours?month=2026-11"})
    assert _second_step(client, code=_code(secret, clock.now)).headers["Location"] == "/me/hours?month=2026-11"

    send(client, "POST", "/logout")
    clock.now += timedelta(seconds=30)
    sign_in(client, query={"next": "/\t/evil.example"})
    assert _second_step(client, code=_code(secret, clock.now)).headers["Location"] == "/"


def test_a_password_reset_link_still_needs_the_code(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    with app.app_context():
        token = make_token(app.config["SECRET_KEY"], "reset", _person())
    response = send(client, "POST", f"/password/reset/{token}",
                    data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302 and response.headers["Location"] == "/login/two-factor"
    assert not _signed_in(client)
    assert _second_step(client, code=_code(secret, clock.now)).status_code == 302
    assert _signed_in(client)
    assert len(_actions("auth.password_reset")) == 1


# --- sign-ins without two-factor, and failures, in the trail -----------------------------------

def test_sign_ins_and_failures_are_recorded_once_per_organisation(app, client, db, clock: Clock) -> None:
    seed(app)
    with app.app_context():
        other = services.create_organisation("hook", "Hook Norton Shop", "Europe/London")
        make_member(other, VOLUNTEER)
        _db.session.commit()
    assert sign_in(client, password=WRONG, ip="203.0.113.9").status_code == 401
    failed = _actions("auth.sign_in_failed")
    assert len(failed) == 2 and {e.organisation_id for e in failed} == {1, 2}
    assert failed[0].details == {"ip": "203.0.113.0/24"} and failed[0].reason == "password"
    assert failed[0].created_at == clock.now

    assert sign_in(client, email="nobody@tackley.example", password=WRONG).status_code == 401
    assert len(_actions("auth.sign_in_failed")) == 2  # nobody to attribute it to

    assert sign_in(client).status_code == 302
    signed = _actions("auth.sign_in")
    assert len(signed) == 2 and signed[0].details == {"method": "password", "ip": "192.0.2.0/24"}
    send(client, "POST", "/logout/everywhere")
    assert len(_actions("auth.sign_out_everywhere")) == 2


# --- turning it off ----------------------------------------------------------------------------

def test_turning_it_off_takes_the_password_and_a_current_code(app, client, db, clock: Clock) -> None:
    seed(app)
    secret, _codes = _enable(app, clock.now - timedelta(minutes=10))
    sign_in(client)
    _second_step(client, code=_code(secret, clock.now))
    clock.now += timedelta(seconds=30)
    code = _code(secret, clock.now)

    assert send(client, "POST", "/me/security/disable", data={"password": WRONG, "code": code}).status_code == 400
    assert send(client, "POST", "/me/security/disable", data={"password": DEFAULT_PASSWORD, "code": "000000"}
                ).status_code == 400
    assert _person().two_factor_enabled

    done = send(client, "POST", "/me/security/disable", data={"password": DEFAULT_PASSWORD, "code": code})
    assert done.status_code == 302
    person = _person()
    assert not person.two_factor_enabled and person.totp_secret is None
    assert _db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert len(_actions("auth.two_factor_disabled")) == 1
    send(client, "POST", "/logout")
    assert sign_in(client).headers["Location"] == "/"  # the password alone again


# --- the organisation's requirement ------------------------------------------------------------

def _require(app: Flask) -> None:
    with app.app_context():
        org = _db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
        assert org is not None
        make_member(org, COORDINATOR, role="coordinator")
        make_member(org, "admin@tackley.example", role="admin")
        _db.session.commit()


def test_an_admin_switches_the_requirement_on_and_coordinators_without_it_are_sent_to_set_it_up(
        app, client, db, clock: Clock) -> None:
    seed(app)
    _require(app)
    admin = app.test_client()
    sign_in(admin, email="admin@tackley.example")
    page = send(admin, "GET", "/settings/security").get_data(as_text=True)
    assert 'name="require_two_factor"' in page
    assert send(admin, "POST", "/settings/security", data={"require_two_factor": "y"}).status_code == 302
    with app.app_context():
        org = _db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
        assert org is not None and org.setting(REQUIRE_SETTING) is True
    assert _actions("settings.update")[-1].details == {"changes": {REQUIRE_SETTING: [False, True]}}

    coordinator = app.test_client()
    sign_in(coordinator, email=COORDINATOR)
    volunteer_id = _db.session.scalar(select(Membership.id).join(Person).where(Person.email == VOLUNTEER))
    for page_url in ("/rota", "/people", "/reports", "/reports/monthly/2026-11",
                     f"/me/statement?member={volunteer_id}"):
        response = send(coordinator, "GET", page_url)
        assert response.status_code == 302 and response.headers["Location"] == "/me/security"
    assert "requires two-factor sign-in" in send(coordinator, "GET", "/me/security").get_data(as_text=True)
    assert send(coordinator, "GET", "/me/shifts").status_code == 200  # their own pages still open
    own_statement = send(coordinator, "GET", "/me/statement?month=2026-11")
    assert own_statement.status_code == 200 and 'name="member"' not in own_statement.get_data(as_text=True)

    volunteer = app.test_client()
    sign_in(volunteer)
    assert send(volunteer, "GET", "/me/shifts").status_code == 200  # a choice for volunteers
    assert send(volunteer, "GET", "/rota").status_code == 403

    secret, _codes = _enable(app, clock.now - timedelta(minutes=10), COORDINATOR)
    send(coordinator, "POST", "/logout")
    sign_in(coordinator, email=COORDINATOR)
    _second_step(coordinator, code=_code(secret, clock.now))
    assert send(coordinator, "GET", "/rota").status_code == 200
    assert 'name="member"' in send(coordinator, "GET", "/me/statement?month=2026-11").get_data(as_text=True)


def test_without_the_requirement_coordinators_need_no_second_factor(app, client, db) -> None:
    seed(app)
    _require(app)
    sign_in(client, email=COORDINATOR)
    assert send(client, "GET", "/rota").status_code == 200


def test_only_admins_change_the_organisation_setting(app, client, db) -> None:
    seed(app)
    _require(app)
    sign_in(client, email=COORDINATOR)
    assert send(client, "POST", "/settings/security", data={"require_two_factor": "y"}).status_code == 403


# --- limits ------------------------------------------------------------------------------------

@pytest.fixture()
def limited(app: Flask, make_app) -> Iterator:
    def build(**settings: str) -> Flask:
        config = type("Limited", (TestingConfig,), {"RATELIMIT_ENABLED": True, **settings})
        built = make_app(config)
        seed(built)
        return built

    yield build
    limiter.init_app(app)  # hand the shared limiter back to the suite's app (limits off)


def test_wrong_codes_count_towards_the_sign_in_limits(limited, clock: Clock) -> None:
    built = limited(LOGIN_RATE_LIMIT="3 per minute", LOGIN_IP_RATE_LIMIT="100 per minute")
    secret, _codes = _enable(built, clock.now - timedelta(minutes=10))
    client = built.test_client()
    assert sign_in(client, password=WRONG).status_code == 401
    assert sign_in(client).status_code == 302  # the right password costs nothing
    assert [_second_step(client, code="000000").status_code for _ in range(2)] == [401, 401]
    assert _second_step(client, code=_code(secret, clock.now)).status_code == 429  # 3 failures: locked
    assert sign_in(built.test_client(), ip="198.51.100.7").status_code == 429  # the account, from anywhere


def test_wrong_codes_count_towards_the_address_limit(limited, clock: Clock) -> None:
    built = limited(LOGIN_RATE_LIMIT="100 per minute", LOGIN_IP_RATE_LIMIT="2 per minute")
    _enable(built, clock.now - timedelta(minutes=10))
    client = built.test_client()
    sign_in(client)
    assert [_second_step(client, code="000000").status_code for _ in range(2)] == [401, 401]
    assert sign_in(client, email="someone.else@tackley.example", password=WRONG).status_code == 429


def test_guessing_the_password_to_turn_it_off_is_limited_too(limited, clock: Clock) -> None:
    """A stolen session must not be a place to guess the password without limit."""
    built = limited(LOGIN_RATE_LIMIT="3 per minute", LOGIN_IP_RATE_LIMIT="100 per minute")
    secret, _codes = _enable(built, clock.now - timedelta(minutes=10))
    client = built.test_client()
    sign_in(client)
    assert _second_step(client, code=_code(secret, clock.now)).status_code == 302
    clock.now += timedelta(seconds=30)
    guesses = [send(client, "POST", "/me/security/disable", data={"password": f"guess {n}", "code": "000000"},
                    environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code for n in range(4)]
    assert guesses == [400, 400, 400, 429]
    assert sign_in(built.test_client(), ip="198.51.100.7").status_code == 429  # and the account is locked


# --- the sysadmin's reset ----------------------------------------------------------------------

def test_the_command_line_reset_turns_it_off_and_ends_every_session(app, client, db, runner, clock: Clock) -> None:
    seed(app)
    _enable(app, clock.now - timedelta(minutes=10))
    before = _person().session_version
    result = runner.invoke(args=["person", "two-factor-reset", "  Volunteer@Tackley.example "])
    assert result.exit_code == 0, result.output
    assert "was on; it is off now" in result.output
    person = _person()
    assert not person.two_factor_enabled and person.totp_secret is None and person.session_version == before + 1
    assert _db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    entry = _actions("auth.two_factor_reset")[-1]
    assert entry.actor_person_id is None and entry.details == {"via": "command line"}
    assert entry.created_at == clock.now
    assert sign_in(client).headers["Location"] == "/"


def test_the_command_line_reset_names_an_unknown_address(runner, db) -> None:
    result = runner.invoke(args=["person", "two-factor-reset", "nobody@example.org"])
    assert result.exit_code == 1 and "EMAIL: no person with the address 'nobody@example.org'" in result.output
