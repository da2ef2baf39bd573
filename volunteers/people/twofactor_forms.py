"""Forms of two-factor sign-in: the second sign-in step, enrolment, switching it off, the organisation setting."""
from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from volunteers.core.widgets import FastForm

#: what a field for a code from an authenticator app carries, so phones offer digits and autofill
CODE_INPUT = {"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "off", "spellcheck": "false"}


class SecondStepForm(FastForm):
    """The second step of a sign-in: a code from the app, or else one of the recovery codes."""

    code = StringField("Code from your authenticator app", validators=[Optional(), Length(max=20)],
                       render_kw=CODE_INPUT, description="Six digits; a new one every 30 seconds.")
    recovery_code = StringField("Recovery code", validators=[Optional(), Length(max=40)],
                                render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"},
                                description="One of the ten codes you kept when you turned two-factor sign-in on; "
                                            "each works once.")

    def typed(self) -> str:
        return (self.code.data or "").strip() or (self.recovery_code.data or "").strip()


class ConfirmCodeForm(FastForm):
    code = StringField("Code from your authenticator app", validators=[DataRequired(), Length(max=20)],
                       render_kw=CODE_INPUT, description="Six digits, as the app shows them now.")


class DisableForm(FastForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"})


class RegenerateForm(FastForm):
    """Nothing to type: the CSRF token is the form."""


class OrganisationSecurityForm(FastForm):
    require_two_factor = BooleanField(
        "Coordinators and admins must use two-factor sign-in",
        description="Those without it are asked to set it up before any coordinator page opens. "
                    "Volunteers can always choose.",
    )
