"""A person's security page (``/me/security``: two-factor sign-in) and the organisation's security setting."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from volunteers.core import audit
from volunteers.core.auth import admin_required
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.people import twofactor
from volunteers.people.auth_views import guessing_limited_by_account, guessing_limited_by_address
from volunteers.people.domain.two_factor import REQUIRE_SETTING, grouped_secret
from volunteers.people.models import Person
from volunteers.people.passwords import check_password
from volunteers.people.twofactor_forms import ConfirmCodeForm, DisableForm, OrganisationSecurityForm, RegenerateForm

#: the name authenticator apps list the account under
ISSUER = "volunteers"


def _me() -> Person:
    person = db.session.get(Person, current_user.id)
    if person is None:  # the loader found them a moment ago; a concurrent erasure is the only way here
        raise LookupError("signed-in person not found")
    return person


def _page(person: Person, *, confirm: ConfirmCodeForm | None = None, disable: DisableForm | None = None,
          status: int = 200) -> ResponseReturnValue:
    enrolling = not person.two_factor_enabled and bool(person.totp_secret)
    membership = g.get("membership")
    return render_template(
        "me/security.html",
        person=person,
        enrolling=enrolling,
        qr=twofactor.qr_data_uri(person, ISSUER) if enrolling else None,
        secret=grouped_secret(twofactor.secret_of(person) or "") if enrolling else None,
        confirm_form=confirm or ConfirmCodeForm(),
        disable_form=disable or DisableForm(),
        regenerate_form=RegenerateForm(),
        codes_left=twofactor.unused_recovery_codes(person) if person.two_factor_enabled else 0,
        required=membership is not None and membership.must_enrol_two_factor,
    ), status


@login_required
def security() -> ResponseReturnValue:
    """Two-factor sign-in: its state, and the forms to set it up, renew the recovery codes or turn it off."""
    return _page(_me())


@login_required
def start_enrolment() -> ResponseReturnValue:
    """Make the secret to scan (kept until a code confirms it, or replaced by starting again)."""
    person = _me()
    if not RegenerateForm().validate_on_submit():
        return _page(person, status=400)
    if not person.two_factor_enabled:
        twofactor.start_enrolment(person)
    return redirect(url_for("account.security"))


@login_required
def confirm_enrolment() -> ResponseReturnValue:
    """Switch it on once a code from the app matches; show the recovery codes, this once."""
    person = _me()
    form = ConfirmCodeForm()
    if person.two_factor_enabled or not person.totp_secret:
        return redirect(url_for("account.security"))
    if form.validate_on_submit():
        codes = twofactor.confirm_enrolment(person, form.code.data, utcnow())
        if codes is not None:
            flash("Two-factor sign-in is on. Next time you sign in, have your phone ready.", "success")
            return render_template("me/security_codes.html", codes=codes)
        form.code.errors = ["That code does not match. Check the app shows this account, and type its newest code."]
    return _page(person, confirm=form, status=400)


@login_required
def regenerate_codes() -> ResponseReturnValue:
    """Replace the recovery codes (the old ones stop working); show the new ones, this once."""
    person = _me()
    if not person.two_factor_enabled:
        return redirect(url_for("account.security"))
    if not RegenerateForm().validate_on_submit():
        return _page(person, status=400)
    codes = twofactor.regenerate_recovery_codes(person, utcnow())
    flash("New recovery codes made; the old ones no longer work.", "success")
    return render_template("me/security_codes.html", codes=codes)


@guessing_limited_by_account
@guessing_limited_by_address
@login_required
def disable() -> ResponseReturnValue:
    """Turn two-factor sign-in off: it takes the password and a current code (or a recovery code)."""
    person = _me()
    if not person.two_factor_enabled:
        return redirect(url_for("account.security"))
    form = DisableForm()
    if form.validate_on_submit():
        now = utcnow()
        if not check_password(person.password_hash, form.password.data):
            form.password.errors = ["That is not your password."]
        elif twofactor.verify_second_factor(person, form.code.data, now) is None:
            form.code.errors = ["That code is not right (or was used already)."]
        else:
            twofactor.disable(person, now, actor_person_id=person.id)
            flash("Two-factor sign-in is off. Your password alone signs you in now.", "info")
            return redirect(url_for("account.security"))
    return _page(person, disable=form, status=400)


@admin_required
def organisation_security() -> ResponseReturnValue:
    """An admin's switch: require two-factor sign-in of the organisation's coordinators and admins."""
    org = g.membership.organisation
    form = OrganisationSecurityForm()
    current = bool(org.setting(REQUIRE_SETTING, False))
    if form.validate_on_submit():
        wanted = bool(form.require_two_factor.data)
        if wanted == current:
            flash("Nothing changed.", "info")
        else:
            org.settings = {**(org.settings or {}), REQUIRE_SETTING: wanted}  # a new dict: the JSON column sees it
            audit.record(org, current_user.id, "settings.update", "organisation", org.id, now=utcnow(),
                         changes={REQUIRE_SETTING: [current, wanted]})
            flash("Coordinators and admins must now use two-factor sign-in." if wanted
                  else "Two-factor sign-in is now a choice for coordinators and admins too.", "success")
        return redirect(url_for("account.organisation_security"))
    if not form.is_submitted():
        form.require_two_factor.data = current
    return render_template("settings/security.html", form=form, org=org), 400 if form.errors else 200
