"""Forms for signing in and for the people pages (Flask-WTF: CSRF on every form)."""
from __future__ import annotations

from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
)

from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.people.models import MEMBERSHIP_ROLES, MEMBERSHIP_STATUSES


class LoginForm(FastForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)])
    password = PasswordField("Password", validators=[DataRequired()])


class ForgotPasswordForm(FastForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)])


class SetPasswordForm(FastForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=8, max=200)])
    confirm = PasswordField("Repeat it", validators=[DataRequired(), EqualTo("password", "The two passwords differ.")])


class VolunteerForm(FastForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    role = SelectField("Role in the organisation", choices=[SelectChoice(r, r.title()) for r in MEMBERSHIP_ROLES])
    status = SelectField("Status", choices=[SelectChoice(s, s.title()) for s in MEMBERSHIP_STATUSES])
    pledged_hours_per_week = DecimalField(
        "Pledged hours a week", places=2, validators=[Optional(), NumberRange(min=0, max=168)]
    )
    joined_on = DateField("Joined on", validators=[Optional(), SaneDate()])
    last_supervised_on = DateField("Last supervision", validators=[Optional(), SaneDate()],
                                   description="Recorded supervision sessions (below) set this once there are any.")
    availability = StringField(
        "Weekly availability",
        validators=[Optional(), Length(max=500)],
        description="Local times, separated by semicolons, e.g. Mon 09:00-13:00; Thu 14:00-18:00. "
                    "Empty means no stated limits.",
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])


class QualificationRecordForm(FastForm):
    qualification = StringField("Qualification", validators=[DataRequired(), Length(max=120)])
    obtained_on = DateField("Obtained on", validators=[Optional(), SaneDate()])
    expires_on = DateField("Expires on", validators=[Optional(), SaneDate()])
    #: for DBS/PVG checks
    certificate_number = StringField("Certificate number", validators=[Optional(), Length(max=60)])
    update_service_checked_on = DateField("Update Service checked on", validators=[Optional(), SaneDate()])


class SupervisionForm(FastForm):
    held_on = DateField("Date", validators=[DataRequired(), SaneDate()])
    supervisor_id = SelectField("Supervisor", coerce=int, default=0)
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)],
                         description="What was covered; kept with the person's record (erased with it).")


class ImportForm(FastForm):
    pass
