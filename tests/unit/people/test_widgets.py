"""The people forms' faster widgets write exactly what WTForms' own write."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    Form,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import html_params as wtforms_html_params

from volunteers.people import widgets
from volunteers.people.widgets import html_params


@pytest.mark.parametrize("kwargs", [
    {},
    {"name": "note", "id": "note", "value": 'say "hi" & <b>bye</b>'},
    {"class_": "x", "for_": "y", "data_some_thing": 3, "aria_describedby": "a-help a-error", "aria_invalid": "true"},
    {"checked": True, "readonly": False, "value": None, "maxlength": 200, "step": "any"},
    {"value": Markup('already "marked" <i>up</i>'), "title": "it's"},
    {"zeta": 1, "alpha": 2, "Mid": 0, "required": True},
])
def test_html_params_writes_what_wtforms_writes(kwargs) -> None:
    assert html_params(**kwargs) == wtforms_html_params(**kwargs)


ROLES = [SelectChoice("volunteer", "Volunteer"), SelectChoice("coordinator", "Co<ordinator>")]
SUPERVISORS = [SelectChoice(0, "Someone else"), SelectChoice(7, 'Ann "A" Archer')]


class Plain(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail")
    role = SelectField("Role", choices=ROLES)
    supervisor = SelectField("Supervisor", coerce=int, choices=SUPERVISORS, default=0)
    pledge = DecimalField("Pledge", places=2, validators=[Optional(), NumberRange(min=0, max=168)])
    joined_on = DateField("Joined on", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Length(max=2000)])


class Fast(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)], widget=widgets.FastTextInput())
    email = EmailField("E-mail", widget=widgets.FastEmailInput())
    role = SelectField("Role", choices=ROLES,
                       widget=widgets.FastSelect())
    supervisor = SelectField("Supervisor", coerce=int, choices=SUPERVISORS, default=0,
                             widget=widgets.FastSelect())
    pledge = DecimalField("Pledge", places=2, validators=[Optional(), NumberRange(min=0, max=168)],
                          widget=widgets.FastNumberInput(step="any"))
    joined_on = DateField("Joined on", validators=[Optional()], widget=widgets.FastDateInput())
    notes = TextAreaField("Notes", validators=[Length(max=2000)], widget=widgets.FastTextArea())


@pytest.mark.parametrize("data", [
    None,
    {"name": 'Zed "Q" <b>', "email": "z@example.org", "role": "coordinator", "supervisor": 7, "pledge": Decimal("2.5"),
     "joined_on": date(2026, 1, 2), "notes": "line one\n<two> & three"},
])
@pytest.mark.parametrize("posted", [False, True])
def test_the_fast_widgets_draw_each_field_as_wtforms_does(data, posted) -> None:
    if posted:  # a refused form, drawn again with what was typed and its errors
        formdata = MultiDict({"name": "", "pledge": "abc", "joined_on": "2026-13-01", "role": "admin",
                              "supervisor": "7", "notes": "x" * 2001})
        plain, fast = Plain(formdata=formdata), Fast(formdata=formdata)
        assert not plain.validate() and not fast.validate()
    else:
        plain, fast = Plain(data=data), Fast(data=data)
    for name in plain._fields:
        attrs = {"aria_invalid": "true", "aria_describedby": f"{name}-error"} if plain[name].errors else {}
        assert fast[name](**attrs) == plain[name](**attrs)
