"""Forms for the coordinator's rota pages (Flask-WTF: CSRF on every form)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from volunteers.core.params import parse_date
from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.people.models import QUALIFICATION_KINDS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multi-select: easier on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_dates(text: str | None) -> tuple[date, ...]:
    """Parse ``"2026-12-25, 2026-12-26"`` (commas, semicolons or spaces) into dates.

    :raises ValueError: naming the first entry that is not a YYYY-MM-DD date.
    """
    found = []
    for raw in (text or "").replace(";", ",").replace(" ", ",").split(","):
        if raw.strip():
            try:
                found.append(parse_date(raw))
            except ValueError:
                raise ValueError(f"{raw.strip()!r} is not a date as YYYY-MM-DD") from None
    return tuple(sorted(set(found)))


class _ShiftTimes(FastForm):
    start_time = TimeField("Starts", validators=[DataRequired()])
    end_time = TimeField("Ends", validators=[DataRequired()],
                         description="At or before the start means it ends the next day (a night shift).")
    role_id = SelectField("Role", coerce=int, validators=[DataRequired()])
    site_id = SelectField("Site", coerce=int, validators=[DataRequired()])
    needed = IntegerField("People needed", default=1, validators=[DataRequired(), NumberRange(min=1, max=100)])


#: the series form's "Repeats" values: ``w<N>`` every N weeks, ``m<P>`` the P-th (-1: last) day of each month
REPEATS = [SelectChoice("w1", "Every week"), SelectChoice("w2", "Every other week"),
           SelectChoice("w3", "Every 3 weeks"), SelectChoice("w4", "Every 4 weeks"),
           SelectChoice("m1", "The first of that day each month"),
           SelectChoice("m2", "The second of that day each month"),
           SelectChoice("m3", "The third of that day each month"),
           SelectChoice("m4", "The fourth of that day each month"),
           SelectChoice("m-1", "The last of that day each month")]


def repeats_value(interval_weeks: int, month_position: int | None) -> str:
    """Return the form's "Repeats" value for a stored pattern (a monthly interval other than 1 shows as monthly)."""
    return f"m{month_position}" if month_position is not None else f"w{interval_weeks}"


def parse_repeats(value: str) -> tuple[int, int | None]:
    """Return ``(interval, month_position)`` for a "Repeats" value the form accepted."""
    if value.startswith("m"):
        return 1, int(value[1:])
    return int(value[1:]), None


class SeriesForm(_ShiftTimes):
    days = MultiCheckboxField("Days", coerce=int, choices=[SelectChoice(i, name) for i, name in enumerate(WEEKDAYS)])
    repeats = SelectField("Repeats", default="w1", choices=REPEATS,
                          description="A monthly pattern (\"the first Tuesday\") takes one ticked day.")
    on_bank_holidays = SelectField("On bank holidays", default="flag", choices=[
        SelectChoice("flag", "Make the shift and flag the day on the board"),
        SelectChoice("skip", "Skip the day (no shift)")])
    starts_on = DateField("From", validators=[DataRequired(), SaneDate()])
    until_on = DateField("Until (optional)", validators=[Optional(), SaneDate()])
    exdates = StringField("Skip these dates", validators=[Optional(), Length(max=2000)],
                          description="Closures and other days off, as YYYY-MM-DD separated by commas.")

    def validate_days(self, field: MultiCheckboxField) -> None:
        if not field.data:
            raise ValidationError("Choose at least one day of the week.")

    def validate_exdates(self, field: StringField) -> None:
        try:
            parse_dates(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class ShiftForm(_ShiftTimes):
    day = DateField("Date", validators=[DataRequired(), SaneDate()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=1000)])


class NeededForm(FastForm):
    needed = IntegerField("People needed", validators=[DataRequired(), NumberRange(min=1, max=100)])


class RoleForm(FastForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    intensity = DecimalField("Intensity", places=2, default=1,
                             validators=[DataRequired(), NumberRange(min=0.01, max=10)],
                             description="How demanding it is: 1.0 ordinary, 1.5 emotionally or physically demanding.")
    required_qualification_ids = MultiCheckboxField(
        "Requires", coerce=int, default=[],
        description="Tick every qualification the role needs: a person must hold all of them, in date.")
    on_call = BooleanField("On call (stand-by, e.g. a helpline)")
    priority = IntegerField("Priority", default=1, validators=[DataRequired(), NumberRange(min=1, max=10)],
                            description="The auto-rota fills higher priorities first.")


class SiteForm(FastForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    address = StringField("Address", validators=[Optional(), Length(max=300)])


class QualificationForm(FastForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", default="training",
                       choices=[SelectChoice(k, label) for k, label in QUALIFICATION_KINDS.items()],
                       description="A DBS/PVG check's records carry a certificate number and Update Service checks.")
    validity_months = IntegerField("Usually valid for (months)", validators=[Optional(), NumberRange(min=1, max=600)],
                                   description="Empty if it never expires.")


class Choosable(Protocol):
    """A record offered in a select: its id is the value sent back, its name the label shown."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


def choices(records: Iterable[Choosable]) -> list[SelectChoice]:
    """Return select options for records with ``id`` and ``name``."""
    return [SelectChoice(r.id, r.name) for r in records]


class PlainForm(FastForm):
    """A form with only the CSRF token (imports, buttons)."""
