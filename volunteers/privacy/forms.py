"""The erasure confirmation form: type the person's name, say why."""
from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from volunteers.core.widgets import FastForm


class EraseForm(FastForm):
    confirm_name = StringField("Type their name to confirm", validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField("Reason (kept in the audit trail)", validators=[DataRequired(), Length(max=1000)],
                           description="For example: asked to be forgotten by e-mail on 3 December.")


def same_name(typed: str, name: str) -> bool:
    """Return whether ``typed`` is ``name``, ignoring case and repeated spaces."""
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return bool(typed.strip()) and norm(typed) == norm(name)
