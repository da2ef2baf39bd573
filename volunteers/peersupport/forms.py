"""Forms for the peer-support pages (Flask-WTF: CSRF on every form).

The supporter choices depend on the organisation and are filled in by the
view; the services check them again, so a forged id is refused by name.
The contact form is built for a phone: four fields, the date already today.
"""
from __future__ import annotations

from wtforms import DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.peersupport.domain.plan import MODES
from volunteers.peersupport.models import CLOSED_REASONS, MAX_MINUTES

MODE_LABELS = {"ward": "Ward visit", "home": "Home visit", "phone": "Phone call", "group": "Group",
               "helpline": "Helpline"}
REASON_LABELS = {"moved_away": "Moved away", "declined": "Declined support", "plan_complete": "Plan complete",
                 "other": "Other"}
NOBODY = ""
#: the reassignment's explicit "nobody for now" (an empty choice is "not chosen yet")
UNASSIGN = "none"


class ContactForm(FastForm):
    """A contact in a few taps: when (today unless changed), how, how long, and what came of it."""

    contact_on = DateField("Date", validators=[InputRequired("Give the date of the contact."), SaneDate()])
    mode = RadioField("How", choices=[SelectChoice(m, MODE_LABELS[m]) for m in MODES],
                      validators=[DataRequired("Choose how you were in touch.")])
    minutes = IntegerField("Minutes", render_kw={"inputmode": "numeric"}, validators=[
        InputRequired("Give the minutes, a whole number."),
        NumberRange(min=1, max=MAX_MINUTES, message="A contact lasts 1 to 720 minutes (12 hours).")])
    outcome = TextAreaField("Outcome (private)", validators=[Optional(), Length(max=2000)],
                            description="A short note only you and the coordinators can read.")


class CaseForm(FastForm):
    """Register a mother: as little as the work needs."""

    reference = StringField("Reference", validators=[
        DataRequired("Give the programme's reference for her."), Length(max=60),
        Regexp(r"^\S(.*\S)?$", message="No spaces at the start or end.")])
    first_name = StringField("First name", validators=[DataRequired("Give her first name."), Length(max=100)])
    born_on = DateField("Baby's date of birth (the plan counts from it)",
                        validators=[InputRequired("Give the date the plan counts from."), SaneDate()])
    area = StringField("Area", validators=[Optional(), Length(max=100)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    language = StringField("Preferred language", validators=[Optional(), Length(max=60)])
    consent_on = DateField("Consent given on", validators=[Optional(), SaneDate()])
    consent_to = StringField("Consented to", validators=[Optional(), Length(max=300)],
                             description="In her words, e.g. \"phone follow-up and home visits\".")
    supporter = SelectField("Supporter", validators=[Optional()], default=NOBODY)
    shift = StringField("From shift", validators=[Optional(), Regexp(r"^\d{1,9}$")])


class ReassignForm(FastForm):
    supporter = SelectField("New supporter", validators=[DataRequired("Choose who supports her now.")],
                            default=NOBODY)
    reason = StringField("Why (optional)", validators=[Optional(), Length(max=300)])


class HandOverForm(FastForm):
    from_member = SelectField("Cases of", validators=[DataRequired("Choose whose cases to hand over.")])
    to_member = SelectField("Hand them to", validators=[DataRequired("Choose who takes them over.")])
    reason = StringField("Why (optional)", validators=[Optional(), Length(max=300)],
                         description="For example \"on leave until March\".")


class CloseForm(FastForm):
    reason = SelectField("Reason", choices=[SelectChoice(r, REASON_LABELS[r]) for r in CLOSED_REASONS],
                         validators=[DataRequired("Choose why the case is closed.")])
    closed_on = DateField("Closed on", validators=[InputRequired("Give the date."), SaneDate()])
