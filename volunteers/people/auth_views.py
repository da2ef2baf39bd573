"""Signing in and out, invitations, password resets."""
from __future__ import annotations

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
from volunteers.people import services
from volunteers.people.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from volunteers.people.models import Person
from volunteers.people.passwords import check_password, hash_password, password_problem
from volunteers.people.redirects import safe_next
from volunteers.people.sessions import end_all_sessions
from volunteers.people.tokens import read_token, token_matches


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def _account_typed() -> str:
    """The account a sign-in attempt names: the e-mail typed, as it is looked up."""
    return "account:" + request.form.get("email", "").strip().lower()


def _ip_address() -> str:
    return "ip:" + get_remote_address()


def _failed(response: Response) -> bool:
    """Only refused sign-ins count towards the limits; signing in successfully costs nothing."""
    return response.status_code == 401


@limiter.limit(_login_limit, key_func=_account_typed, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_ip_limit, key_func=_ip_address, methods=["POST"], deduct_when=_failed)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        person = services.person_by_email(form.email.data)
        if person is not None and person.active and check_password(person.password_hash, form.password.data):
            session.clear()
            login_user(person)
            person.last_login_at = utcnow()
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
        check_password(None, form.password.data) if person is None else None
        form.password.errors = ["That e-mail and password do not match an account."]
    return render_template("auth/login.html", form=form), 401 if form.errors else 200


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
            person.password_hash = hash_password(form.password.data)
            end_all_sessions(person)  # a new password ends every session signed in with the old one
            session.clear()
            login_user(person)
            flash("Your password is set. You are signed in.", "success")
            return redirect(url_for("core.home"))
    return render_template("auth/set_password.html", form=form, person=person, title=title), 400 if form.errors else 200
