"""Forms for a coordinator's decisions on a warning: acknowledge, or snooze until a date (CSRF on both)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from volunteers.core.webparams import SaneDate


class AcknowledgeForm(FlaskForm):
    """Acknowledge with an optional note (what was agreed with the person)."""

    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)],
                         description="What you did or agreed, e.g. \"Talked to Leanne; swapping Sunday\".")


class SnoozeForm(FlaskForm):
    """Hide a warning until a local date, unless it gets worse."""

    until = DateField("Snooze until", validators=[DataRequired("Choose a date."), SaneDate()])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])
