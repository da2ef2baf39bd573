"""/me/messages: my phone number (confirmed by a texted code) and how each kind of message reaches me.

The choices are per organisation (``Membership.preferences['messages']``:
a channel per kind, quiet hours in the organisation's zone); the number is
the person's, shared by all their organisations. These are a person's own
settings: no audit entry (coordinators do not write them). The request's
edge commits; only a wrong code is committed here, so the 400 answer's
rollback cannot undo the count of tries.
"""
from __future__ import annotations

from datetime import time

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from limits import parse_many
from werkzeug.wrappers import Response
from wtforms import StringField, TimeField
from wtforms.validators import DataRequired, Length

from volunteers.core.auth import member_required
from volunteers.core.timeutil import utcnow
from volunteers.core.widgets import FastForm
from volunteers.extensions import db, limiter
from volunteers.people.domain.phones import PhoneError, for_display, to_e164
from volunteers.selfservice import phone_check
from volunteers.selfservice.domain.channels import CHANNELS, KINDS, Preferences, QuietHours


class PhoneForm(FastForm):
    phone = StringField("Mobile number", validators=[DataRequired(message="Give a mobile number."), Length(max=40)],
                        description="We text a code to it; texts go to it only once you have typed the code here.")


class CodeForm(FastForm):
    code = StringField("Code from the text", validators=[DataRequired(message="Type the code."), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class PreferencesForm(FastForm):
    quiet_start = TimeField("No texts from", validators=[DataRequired(message="Give a time.")])
    quiet_end = TimeField("Until", validators=[DataRequired(message="Give a time.")],
                          description="Local time. The same two times mean no quiet hours. An urgent request "
                                      "to cover a shift starting within 12 hours is texted anyway.")


def _preferences() -> Preferences:
    return Preferences.from_stored((g.membership.preferences or {}).get("messages"))


def _page(phone_form: PhoneForm | None = None, code_form: CodeForm | None = None,
          prefs_form: PreferencesForm | None = None, status: int = 200) -> tuple[str, int]:
    prefs = _preferences()
    if prefs_form is None:
        prefs_form = PreferencesForm(formdata=None, quiet_start=prefs.quiet.start, quiet_end=prefs.quiet.end)
    failed = next((f for f in (phone_form, code_form, prefs_form) if f is not None and f.errors), None)
    person = current_user
    return render_template(
        "me/messages.html", org=g.membership.organisation, person=person,
        phone=for_display(person.phone) if person.phone and person.phone.startswith("+") else person.phone,
        confirmed=phone_check.is_confirmed(person), pending=phone_check.code_pending(person, utcnow()),
        phone_form=phone_form or PhoneForm(formdata=None), confirm_form=code_form or CodeForm(formdata=None),
        prefs_form=prefs_form, form=failed, kinds=KINDS, channels=CHANNELS,
        chosen={kind: prefs.channels.get(kind, "email") for kind in KINDS},
        many=len(g.memberships) > 1,
    ), status


@member_required
def messages() -> ResponseReturnValue:
    """Show my message settings, or save the channel per kind and the quiet hours."""
    if request.method == "GET":
        return _page()
    form = PreferencesForm()
    if not form.validate_on_submit():
        return _page(prefs_form=form, status=400)
    channels = {kind: request.form.get(f"channel-{kind}", "email") for kind in KINDS}
    channels = {kind: channel if channel in CHANNELS else "email" for kind, channel in channels.items()}
    start: time = form.quiet_start.data
    end: time = form.quiet_end.data
    prefs = Preferences(channels, QuietHours(start.replace(second=0), end.replace(second=0)))
    g.membership.preferences = {**(g.membership.preferences or {}), "messages": prefs.to_stored()}
    texts = [KINDS[k].lower() for k, c in channels.items() if c == "sms"]
    if texts and not phone_check.is_confirmed(current_user):
        flash("Saved. Until your number is confirmed, those messages come by e-mail.", "success")
    else:
        flash("Saved.", "success")
    return redirect(url_for("me.messages"))


#: what the form says when a limit on texted codes is reached
TOO_MANY_CODES = ("We have texted codes to you or to this number too often. Wait an hour and try again "
                  "(or tomorrow, after several tries); ask your coordinator if the codes do not arrive.")


def _may_text_a_code(phone: str) -> bool:
    """Count one texted code against the member's and the number's limits, if both have room.

    In the rate limiter's storage (Redis in production, shared by every
    worker), as the sign-in limits are; off where the limiter is off.
    """
    if not limiter.enabled:
        return True
    config = current_app.config
    prefix = [config["RATELIMIT_KEY_PREFIX"]] if config.get("RATELIMIT_KEY_PREFIX") else []
    counted = [(item, [*prefix, "phone-code", key])
               for setting, key in (("PHONE_CODE_RATE_LIMIT", f"member:{current_user.id}"),
                                    ("PHONE_CODE_NUMBER_RATE_LIMIT", f"number:{phone}"))
               for item in parse_many(config[setting])]
    if not all(limiter.limiter.test(item, *keys) for item, keys in counted):
        return False
    for item, keys in counted:
        limiter.limiter.hit(item, *keys)
    return True


@member_required
def send_phone_code() -> ResponseReturnValue:
    """Take a new mobile number and text it a code (within the limits per member and per number)."""
    form = PhoneForm()
    if form.validate_on_submit():
        try:
            if not _may_text_a_code(to_e164(form.phone.data)):
                form.phone.errors = [TOO_MANY_CODES]
                return _page(phone_form=form, status=429)
            phone_check.send_code(current_user, form.phone.data, utcnow(), g.membership.organisation_id)
        except PhoneError as error:
            form.phone.errors = [str(error)]
        else:
            flash("We have texted you a code: type it below.", "success")
            return redirect(url_for("me.messages") + "#phone")
    return _page(phone_form=form, status=400)


@member_required
def confirm_phone() -> ResponseReturnValue:
    """Confirm my number with the code texted to it."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            phone_check.confirm(current_user, form.code.data, utcnow())
        except PhoneError as error:
            db.session.commit()  # a wrong try counts, though the 400 answer rolls the rest back at the edge
            form.code.errors = [str(error)]
        else:
            flash("Number confirmed: the messages you chose by text now come by text.", "success")
            return redirect(url_for("me.messages"))
    return _page(code_form=form, status=400)


@member_required
def remove_phone() -> Response:
    """Remove my number: everything comes by e-mail."""
    phone_check.forget(current_user)
    flash("Number removed: everything comes by e-mail.", "success")
    return redirect(url_for("me.messages"))
