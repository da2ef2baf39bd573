"""Signing in and out, the second step of a two-factor sign-in, invitations, password resets.

With two-factor sign-in on, the right password does not sign a person in:
the session holds a *pending* marker (person id, session version, e-mail,
where to go next, and until when it holds: :data:`PENDING_MAX_AGE_S`),
signed like the rest of Flask's session, and ``/login/two-factor`` asks for
a code. Only a right code (or an unused recovery code) signs them in. Wrong
codes count towards the same per-account and per-address limits as wrong
passwords.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from volunteers.core.timeutil import utcnow
from volunteers.extensions import db, limiter
from volunteers.people import services, twofactor
from volunteers.people.account_audit import record_for_person
from volunteers.people.domain.addresses import network_of
from volunteers.people.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from volunteers.people.models import Person
from volunteers.people.passwords import check_password, hash_password, password_problem
from volunteers.people.redirects import safe_next
from volunteers.people.sessions import end_all_sessions
from volunteers.people.tokens import read_token, token_matches
from volunteers.people.twofactor_forms import SecondStepForm

log = logging.getLogger(__name__)

#: the session key of a sign-in waiting for its second step
PENDING = "two_factor_pending"
#: how long the second step may take after the password
PENDING_MAX_AGE_S = 300


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def _account_typed() -> str:
    """The account a sign-in attempt names: the e-mail typed, as it is looked up
    (in the second step, the one whose password was given)."""
    if request.endpoint == "auth.two_factor":
        pending = session.get(PENDING)
        email = pending.get("email", "") if isinstance(pending, dict) else ""
        return "account:" + str(email)
    return "account:" + request.form.get("email", "").strip().lower()


def _ip_address() -> str:
    return "ip:" + get_remote_address()


def _network() -> str:
    """Where a request came from, as the audit trail keeps it: the network, not the address."""
    return network_of(get_remote_address())


def _failed(response: Response) -> bool:
    """Only refused sign-ins count towards the limits; signing in successfully costs nothing."""
    return response.status_code == 401


#: the limits are shared by the password step and the code step (a scope each), so they count wrong codes too
_by_account = limiter.shared_limit(_login_limit, "sign-in-account", key_func=_account_typed, methods=["POST"],
                                   deduct_when=_failed)
_by_address = limiter.shared_limit(_login_ip_limit, "sign-in-address", key_func=_ip_address, methods=["POST"],
                                   deduct_when=_failed)


def _signed_in_account() -> str:
    return "account:" + (current_user.email if current_user.is_authenticated else "")


def _form_refused(response: Response) -> bool:
    return response.status_code == 400


#: the same two limits guard a password and code a signed-in person types (turning two-factor sign-in
#: off): a stolen session must not become a place to guess the password without limit
guessing_limited_by_account = limiter.shared_limit(
    _login_limit, "sign-in-account", key_func=_signed_in_account, methods=["POST"], deduct_when=_form_refused)
guessing_limited_by_address = limiter.shared_limit(
    _login_ip_limit, "sign-in-address", key_func=_ip_address, methods=["POST"], deduct_when=_form_refused)


@_by_account
@_by_address
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        now = utcnow()
        person = services.person_by_email(form.email.data)
        if person is not None and person.active and check_password(person.password_hash, form.password.data):
            wanted = safe_next(request.args.get("next"))
            if person.two_factor_enabled:
                return _ask_for_code(person, now, wanted)
            return _signed_in(person, now, "password", wanted)
        if person is None:
            check_password(None, form.password.data)  # as slow as a known address
            log.info("sign-in failed for an unknown address from %s", _network())
        else:
            _refused(person, "auth.sign_in_failed", now, reason="inactive" if not person.active else "password")
        form.password.errors = ["That e-mail and password do not match an account."]
    return render_template("auth/login.html", form=form), 401 if form.errors else 200


def _signed_in(person: Person, now: datetime, method: str, wanted: str | None,
               message: str | None = None) -> ResponseReturnValue:
    """Sign ``person`` in (a new session), record it, and send them on."""
    session.clear()
    if message:
        flash(message, "info")
    login_user(person)
    person.last_login_at = now
    record_for_person(person, "auth.sign_in", actor_person_id=person.id, now=now, method=method,
                      ip=_network())
    return redirect(wanted or url_for("core.home"))


def _refused(person: Person, action: str, now: datetime, **details: str) -> None:
    """Record a refused attempt and commit it now: the 401 that follows rolls the request back."""
    record_for_person(person, action, actor_person_id=None, now=now, ip=_network(), **details)
    db.session.commit()


def _ask_for_code(person: Person, now: datetime, wanted: str | None,
                  message: str | None = None) -> ResponseReturnValue:
    """The password was right; hold the sign-in until a code comes (a new session, not yet signed in)."""
    session.clear()
    if message:
        flash(message, "success")
    session[PENDING] = {
        "person": person.id,
        "version": person.session_version,
        "email": person.email,
        "until": int(now.timestamp()) + PENDING_MAX_AGE_S,
        "next": wanted,
    }
    return redirect(url_for("auth.two_factor"))


def _pending_person(now: datetime) -> tuple[Person, str | None] | None:
    """The person whose sign-in waits for a code, and where they wanted to go; None if none waits (any more)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    person_id, version, until = pending.get("person"), pending.get("version"), pending.get("until")
    if not isinstance(person_id, int) or not isinstance(version, int) or not isinstance(until, int):
        return None
    if int(now.timestamp()) >= until:
        return None
    person = db.session.get(Person, person_id)
    if person is None or not person.active or person.session_version != version or not person.two_factor_enabled:
        return None
    wanted = pending.get("next")
    return person, safe_next(wanted if isinstance(wanted, str) else None)


@_by_account
@_by_address
def two_factor() -> ResponseReturnValue:
    """The second step: a code from the app (or a recovery code) after the right password."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    now = utcnow()
    found = _pending_person(now)
    if found is None:
        session.pop(PENDING, None)
        flash("Please sign in again: the code has to follow the password within a few minutes.", "info")
        return redirect(url_for("auth.login"))
    person, wanted = found
    form = SecondStepForm()
    if form.validate_on_submit():
        typed = form.typed()
        method = twofactor.verify_second_factor(person, typed, now) if typed else None
        if method == twofactor.TOTP:
            return _signed_in(person, now, "password+totp", wanted)
        if method == twofactor.RECOVERY_CODE:
            record_for_person(person, "auth.recovery_code_used", actor_person_id=person.id, now=now,
                              ip=_network())
            left = twofactor.unused_recovery_codes(person)
            return _signed_in(person, now, "password+recovery_code", wanted,
                              f"You signed in with a recovery code; {left} of them are left. "
                              "Make new ones on your security page if you are running short.")
        _refused(person, "auth.two_factor_failed", now)
        form.code.errors = ["That code is not right (or was used already). Try the newest code from your app."]
    return render_template("auth/two_factor.html", form=form), 401 if form.errors else 200


def _sign_out(message: str) -> ResponseReturnValue:
    """End this person's sessions (every copy of every cookie) and this one's, then say so."""
    person = db.session.get(Person, current_user.id) if current_user.is_authenticated else None
    if person is not None:
        end_all_sessions(person)
    logout_user()
    session.clear()
    flash(message, "info")
    return redirect(url_for("auth.login"))


def logout() -> ResponseReturnValue:
    """Sign out; the session's cookie, wherever a copy of it is, stops working too."""
    return _sign_out("You are signed out.")


@login_required
def logout_everywhere() -> ResponseReturnValue:
    """Sign out on every phone and computer this person is signed in on, this one included."""
    person = db.session.get(Person, current_user.id)
    if person is not None:
        record_for_person(person, "auth.sign_out_everywhere", actor_person_id=person.id, now=utcnow())
    return _sign_out("You are signed out everywhere: every phone and computer needs your password again.")


@login_required
def no_membership() -> ResponseReturnValue:
    """Shown to a signed-in person who belongs to no organisation (any more); others are sent on."""
    if g.membership is not None:
        return redirect(url_for("core.home"))
    return render_template("auth/no_membership.html")


@limiter.limit(_login_limit, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, utcnow())
        flash("If that address has an account, a link to reset the password is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _person_from_token(purpose: str, token: str, max_age_key: str) -> Person | None:
    found = read_token(current_app.config["SECRET_KEY"], purpose, token, current_app.config[max_age_key])
    if found is None:
        return None
    person = db.session.get(Person, found[0])
    if person is None or not person.active or not token_matches(person, found[1]):
        return None
    return person


def reset_password(token: str) -> ResponseReturnValue:
    return _set_password_page("reset", token, "PASSWORD_RESET_MAX_AGE_S", "Choose a new password")


def accept_invitation(token: str) -> ResponseReturnValue:
    return _set_password_page("invite", token, "INVITATION_MAX_AGE_S", "Welcome — choose your password")


def _set_password_page(purpose: str, token: str, max_age_key: str, title: str) -> ResponseReturnValue:
    person = _person_from_token(purpose, token, max_age_key)
    if person is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data)
        if problem:
            form.password.errors = [problem]
        else:
            now = utcnow()
            person.password_hash = hash_password(form.password.data)
            end_all_sessions(person)  # a new password ends every session signed in with the old one
            if purpose == "reset":
                record_for_person(person, "auth.password_reset", actor_person_id=person.id, now=now,
                                  ip=_network())
            if person.two_factor_enabled:  # the link proves the mailbox, not the phone: the code is still needed
                return _ask_for_code(person, now, None, "Your password is set. Now the code from your app.")
            session.clear()
            login_user(person)
            flash("Your password is set. You are signed in.", "success")
            return redirect(url_for("core.home"))
    return render_template("auth/set_password.html", form=form, person=person, title=title), 400 if form.errors else 200
