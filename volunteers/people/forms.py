"""Forms for signing in and for the people pages (Flask-WTF: CSRF on every form)."""
from __future__ import annotations

from flask_wtf import FlaskForm
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
from volunteers.people import widgets
from volunteers.people.models import MEMBERSHIP_ROLES, MEMBERSHIP_STATUSES


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)])
    password = PasswordField("Password", validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)])


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=8, max=200)])
    confirm = PasswordField("Repeat it", validators=[DataRequired(), EqualTo("password", "The two passwords differ.")])


#: WTForms' widgets, faster, writing the same HTML (``people.widgets``): the person page draws these forms
TEXT, EMAIL, SELECT, DATE, TEXTAREA = (widgets.FastTextInput(), widgets.FastEmailInput(), widgets.FastSelect(),
                                       widgets.FastDateInput(), widgets.FastTextArea())


class VolunteerForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)], widget=TEXT)
    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False)], widget=EMAIL)
    phone = StringField("Phone", validators=[Optional(), Length(max=40)], widget=TEXT)
    role = SelectField("Role in the organisation", choices=[SelectChoice(r, r.title()) for r in MEMBERSHIP_ROLES],
                       widget=SELECT)
    status = SelectField("Status", choices=[SelectChoice(s, s.title()) for s in MEMBERSHIP_STATUSES], widget=SELECT)
    pledged_hours_per_week = DecimalField(
        "Pledged hours a week", places=2, validators=[Optional(), NumberRange(min=0, max=168)],
        widget=widgets.FastNumberInput(step="any"),
    )
    joined_on = DateField("Joined on", validators=[Optional(), SaneDate()], widget=DATE)
    last_supervised_on = DateField("Last supervision", validators=[Optional(), SaneDate()], widget=DATE,
                                   description="Recorded supervision sessions (below) set this once there are any.")
    availability = StringField(
        "Weekly availability",
        validators=[Optional(), Length(max=500)],
        description="Local times, separated by semicolons, e.g. Mon 09:00-13:00; Thu 14:00-18:00. "
                    "Empty means no stated limits.",
        widget=TEXT,
    )
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)], widget=TEXTAREA)


class QualificationRecordForm(FlaskForm):
    qualification = StringField("Qualification", validators=[DataRequired(), Length(max=120)])
    obtained_on = DateField("Obtained on", validators=[Optional(), SaneDate()])
    expires_on = DateField("Expires on", validators=[Optional(), SaneDate()])
    #: for DBS/PVG checks
    certificate_number = StringField("Certificate number", validators=[Optional(), Length(max=60)])
    update_service_checked_on = DateField("Update Service checked on", validators=[Optional(), SaneDate()])


class SupervisionForm(FlaskForm):
    held_on = DateField("Date", validators=[DataRequired(), SaneDate()], widget=DATE)
    supervisor_id = SelectField("Supervisor", coerce=int, default=0, widget=SELECT)
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)], widget=TEXTAREA,
                         description="What was covered; kept with the person's record (erased with it).")


class ImportForm(FlaskForm):
    pass
