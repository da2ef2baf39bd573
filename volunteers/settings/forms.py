"""The settings sections' forms; each field's name is the one the services name in their errors."""
from __future__ import annotations

from wtforms import BooleanField, DecimalField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from volunteers.core.models import COPRODUCTION_MODES
from volunteers.core.widgets import FastForm
from volunteers.settings.services import NATIONS


class OrganisationForm(FastForm):
    name = StringField("Name", validators=[InputRequired(message="Give the organisation a name."), Length(max=200)])
    timezone = StringField("Time zone", validators=[InputRequired(message="Enter a time zone.")],
                           description="An IANA zone, e.g. Europe/London: days, weeks and months follow it.")
    coproduction_mode = SelectField(
        "Co-production mode",
        choices=[SelectChoice("", "Not set"), *(SelectChoice(k, v) for k, v in COPRODUCTION_MODES.items())],
        description="Which of the six forms of co-production the programme takes; reports across "
                    "organisations are grouped by it.")
    nation = SelectField("Bank holidays of", choices=[SelectChoice(k, v) for k, v in NATIONS.items()],
                         description="Series can skip (or flag) this nation's bank holidays.")


class RotaRulesForm(FastForm):
    cancel_notice_hours = IntegerField(
        "Notice to cancel (hours)", validators=[InputRequired(message="Give the hours, e.g. 48.")],
        description="Volunteers cancel on their own up to this many hours before a shift; later, they ask you.")
    swap_needs_approval = BooleanField("Swaps wait for a coordinator's approval",
                                       description="Off: a colleague who takes a place swaps it at once.")
    reminder_hours = IntegerField(
        "Reminder (hours before a shift)", validators=[InputRequired(message="Give the hours, e.g. 24.")],
        description="0 sends no reminders; 24 reminds at the same time the day before.")
    cover_wave_size = IntegerField(
        "People asked at a time", validators=[Optional()],
        description="A late cancellation asks this many eligible people first — in the board's order, never "
                    "anyone it would give a load warning — then as many again each interval until it is taken.")
    cover_wave_minutes = IntegerField(
        "Minutes between waves", validators=[Optional()],
        description="How long to wait for someone to take the place before the next people are asked.")


class WaitingListForm(FastForm):
    offer_hours = IntegerField(
        "Hold a freed place for (hours)", validators=[InputRequired(message="Give the hours, e.g. 2.")],
        description="When a place frees on a full shift, the first person on its waiting list who can do it "
                    "has this long to take it; then the next person is asked.")
    stop_hours = IntegerField(
        "Stop offering (hours before the start)", validators=[InputRequired(message="Give the hours, e.g. 2.")],
        description="An offer never runs later than this before the shift starts; after that the place is "
                    "open to anyone.")


class MoneyForm(FastForm):
    standby_percent = DecimalField(
        "Stand-by rate (% of the role's rate)", places=2,
        validators=[InputRequired(message="Give a percentage, e.g. 25.")],
        description="An hour on call is valued at this share of its role's rate in the monthly report "
                    "(25%, as the load rules weigh an on-call hour).")


class RetentionForm(FastForm):
    retention_months = IntegerField(
        "Keep people who left for (months)", validators=[InputRequired(message="Give the months, e.g. 24.")],
        description="After this, the retention job erases their personal details (their hours stay, unnamed).")
    case_retention_months = IntegerField(
        "Keep closed peer-support cases for (months)",
        validators=[InputRequired(message="Give the months, e.g. 12.")],
        description="After a case closes, its mother's details are kept this long.")


class RoleLimitForm(FastForm):
    """A stricter level of one rule for shifts of one role (DESIGN: thresholds may be tightened per role)."""

    role = SelectField("Role", validate_choice=True)
    rule = SelectField("Rule", validate_choice=True)
    level = SelectField("Level", choices=[SelectChoice(s, s.capitalize()) for s in ("notice", "warning", "critical")])
    value = StringField("Threshold", validators=[InputRequired(message="Give the threshold, e.g. 4.")],
                        description="Only a stricter value than the organisation's takes effect.")
