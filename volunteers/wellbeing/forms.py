"""Forms for a coordinator's decisions on a warning: acknowledge, or snooze until a date (CSRF on both)."""
from __future__ import annotations

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm

#: the longest note either form takes
NOTE_MAX = 2000
NOTE_LABEL = "Note (optional)"
ACKNOWLEDGE_NOTE_HELP = "What you did or agreed, e.g. \"Talked to Leanne; swapping Sunday\"."
UNTIL_LABEL = "Snooze until"


class AcknowledgeForm(FastForm):
    """Acknowledge with an optional note (what was agreed with the person)."""

    note = TextAreaField(NOTE_LABEL, validators=[Optional(), Length(max=NOTE_MAX)], description=ACKNOWLEDGE_NOTE_HELP)


class SnoozeForm(FastForm):
    """Hide a warning until a local date, unless it gets worse."""

    until = DateField(UNTIL_LABEL, validators=[DataRequired("Choose a date."), SaneDate()])
    note = TextAreaField(NOTE_LABEL, validators=[Optional(), Length(max=NOTE_MAX)])


#: what /warnings writes for each warning's blank forms as plain HTML (the names and ids the forms above
#: read and write: ``ack<id>-note``, ``snooze<id>-until``, ``snooze<id>-note``); a refused form is shown
#: through the form object instead, with its errors
BLANK_FORM_TEXT = {"note_label": NOTE_LABEL, "note_max": NOTE_MAX, "acknowledge_help": ACKNOWLEDGE_NOTE_HELP,
                   "until_label": UNTIL_LABEL}
