"""Forms for the ledger pages (Flask-WTF: CSRF on every form).

Choices that depend on the organisation (members, roles, sites) are filled
in by the view; the services check them again, so a forged id is refused.
"""
from __future__ import annotations

from wtforms import (
    DateField,
    DecimalField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from volunteers.contributions.models import CONTRIBUTOR_TYPES, KINDS, STAGES
from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm


def _words(code: str) -> str:
    return code.replace("_", " ").capitalize()


class RateForm(FastForm):
    target = SelectField("Applies to", validators=[DataRequired()],
                         description="A role's rate wins over the rate for its kind of work.")
    value_per_hour = DecimalField("Value per hour", places=2,
                                  validators=[DataRequired(), NumberRange(min=0, max=999999)])
    effective_from = DateField("From", validators=[DataRequired(), SaneDate()])
    note = StringField("Source or reason", validators=[Optional(), Length(max=200)])


class ContributionForm(FastForm):
    membership_id = SelectField("Member", validators=[Optional()], default="")
    contributor_name = StringField("Or the name of a person or group without a login",
                                   validators=[Optional(), Length(max=200)])
    contributor_type = SelectField("Contributor", choices=[SelectChoice(c, _words(c)) for c in CONTRIBUTOR_TYPES])
    kind = SelectField("Kind", choices=[SelectChoice(k, _words(k)) for k in KINDS])
    stage = SelectField("Stage of the service", choices=[SelectChoice(s, _words(s)) for s in STAGES],
                        default="delivery")
    day = DateField("Day", validators=[DataRequired(), SaneDate()])
    hours = DecimalField("Hours (time, expertise)", places=2, validators=[Optional(), NumberRange(min=0, max=1000)])
    amount = DecimalField("Value (money at face value, gifts at their stated value)", places=2,
                          validators=[Optional(), NumberRange(min=0)])
    role_id = SelectField("Role", validators=[Optional()], default="")
    site_id = SelectField("Site", validators=[Optional()], default="")
    note = TextAreaField("Note", validators=[Optional(), Length(max=500)])


class ReverseForm(FastForm):
    reason = StringField("Why it is wrong", validators=[DataRequired(), Length(max=500)])
