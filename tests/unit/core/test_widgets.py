"""The faster widgets write exactly what WTForms' own write, and FastForm's fields draw with them."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput
from wtforms.widgets import html_params as wtforms_html_params

from volunteers.core import field_binding, widgets
from volunteers.core.widgets import FAST_WIDGETS, FastForm, fast_widget, html_params


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
FLAGS = [SelectChoice(True, "Yes"), SelectChoice(False, "No", render_kw={"data-x": 'a"b'})]
GROUPED = [SelectChoice("a", "A", optgroup="First"), SelectChoice("b", "B", optgroup="Sec<ond>")]
DAYS = [SelectChoice(0, "Monday"), SelectChoice(1, "Tuesday")]


class Bounds:
    """A validator whose flags the date widgets write as attributes: a date, and a callable one."""

    field_flags = {"min": date(2026, 1, 1), "max": lambda: date(2026, 12, 31), "readonly": True}

    def __call__(self, form, field) -> None:
        pass


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class Fields:
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail")
    password = PasswordField("Password", validators=[InputRequired(), Length(min=8)])
    shown = PasswordField("Shown", widget=type(PasswordField.widget)(hide_value=False))
    token = HiddenField("Token")
    role = SelectField("Role", choices=ROLES)
    supervisor = SelectField("Supervisor", coerce=int, choices=SUPERVISORS, default=0)
    flag = SelectField("Flag", coerce=lambda v: v in (True, "True"), choices=FLAGS, default=False)
    grouped = SelectField("Grouped", choices=GROUPED)
    many = SelectMultipleField("Many", choices=ROLES)
    pledge = DecimalField("Pledge", places=2, validators=[Optional(), NumberRange(min=0, max=168)])
    count = IntegerField("Count", validators=[Optional(), NumberRange(min=1, max=9)])
    stepped = IntegerField("Stepped", widget=NumberInput(step=5, min=0, max=60), render_kw={"class": "narrow"})
    joined_on = DateField("Joined on", validators=[Optional()])
    starts = TimeField("Starts", validators=[DataRequired()])
    agree = BooleanField("Agree")
    kind = RadioField("Kind", choices=ROLES)
    days = MultiCheckboxField("Days", coerce=int, choices=DAYS)
    notes = TextAreaField("Notes", validators=[Length(max=2000)])
    odd = SelectField("Odd", choices=[SelectChoice('a"b', "Q"), SelectChoice(Markup('m"<i>'), ""),
                                      SelectChoice(None, "None")], default='a"b')
    window = DateField("Window", validators=[Optional(), Bounds()])
    count_to = IntegerField("Count to", validators=[Bounds()], render_kw={"data_kind": "a\"b"})
    remark = TextAreaField("Remark", validators=[DataRequired(), Length(min=2, max=9)])


class Plain(Form, Fields):
    pass


class Fast(Form, Fields):
    """The same fields, drawn as FastForm draws them."""

    class Meta:
        render_field = FastForm.Meta.render_field
        bind_field = FastForm.Meta.bind_field


FILLED = {"name": 'Zed "Q" <b>', "email": "z@example.org", "password": "secret", "shown": "s\"ee", "token": "t<o>k",
          "role": "coordinator", "supervisor": 7, "flag": True, "grouped": "b", "many": ["volunteer"],
          "pledge": Decimal("2.5"), "count": 3, "stepped": 15, "joined_on": date(2026, 1, 2), "starts": time(9, 30),
          "agree": True, "kind": "volunteer", "days": [1], "notes": "line one\n<two> & three"}
REFUSED = MultiDict([("name", ""), ("pledge", "abc"), ("joined_on", "2026-13-01"), ("role", "admin"),
                     ("supervisor", "7"), ("notes", "x" * 2001), ("count", "12"), ("starts", "25:00"),
                     ("password", "short"), ("kind", "nobody"), ("days", "0"), ("days", "1"), ("agree", "y")])


@pytest.mark.parametrize("data", [None, FILLED])
@pytest.mark.parametrize("posted", [False, True])
def test_the_fast_widgets_draw_each_field_as_wtforms_does(data, posted) -> None:
    if posted:  # a refused form, drawn again with what was typed and its errors
        plain, fast = Plain(formdata=REFUSED), Fast(formdata=REFUSED)
        assert not plain.validate() and not fast.validate()
    else:
        plain, fast = Plain(data=data), Fast(data=data)
    for name in plain._fields:
        attrs = {"aria_invalid": "true", "aria_describedby": f"{name}-error"} if plain[name].errors else {}
        assert fast[name](**attrs) == plain[name](**attrs), name
        assert fast[name](class_="c", data_x=1) == plain[name](class_="c", data_x=1), name


def test_every_field_but_the_lists_draws_with_a_fast_widget() -> None:
    form = Fast()
    for name in form._fields:
        widget = form[name].widget
        if isinstance(widget, ListWidget):  # its options are fields of their own
            assert all(type(fast_widget(option.widget)) in FAST_WIDGETS.values() for option in form[name])
        else:
            assert type(fast_widget(widget)) in FAST_WIDGETS.values(), name
    # the twin keeps the widget's settings, and is made once
    assert fast_widget(form.stepped.widget).__dict__ == {"step": 5, "min": 0, "max": 60}
    assert fast_widget(form.stepped.widget) is fast_widget(form.stepped.widget)
    mine = object()  # a widget of another class is drawn as it is
    assert fast_widget(mine) is mine


def test_fast_form_is_a_flask_form_drawing_with_the_fast_widgets() -> None:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "not secret"

    class Login(FlaskForm):
        email = EmailField("E-mail", validators=[DataRequired()])
        role = SelectField("Role", choices=ROLES)

    class FastLogin(FastForm):
        email = EmailField("E-mail", validators=[DataRequired()])
        role = SelectField("Role", choices=ROLES)

    with app.test_request_context("/", method="POST", data={"email": "", "role": "coordinator"}):
        plain, fast = Login(meta={"csrf": False}), FastLogin(meta={"csrf": False})
        assert not plain.validate() and not fast.validate()
        for name in ("email", "role"):
            assert fast[name](aria_invalid="true") == plain[name](aria_invalid="true")
    assert widgets.FastEmailInput in {type(w) for w in widgets._twins.values()}


def test_a_name_given_twice_is_refused_as_wtforms_refuses_it() -> None:
    plain, fast = Plain(), Fast()
    for name in ("name", "notes", "role", "joined_on", "stepped"):
        with pytest.raises(TypeError):
            plain[name](name="other")
        with pytest.raises(TypeError):
            fast[name](name="other")


def _state(field) -> dict:
    """A bound field's attributes, its label, flags and choices by value (the form by class)."""
    state = {k: v for k, v in vars(field).items() if k not in ("_form", "meta", "label", "flags")}
    return {**state, "label": vars(field.label), "flags": vars(field.flags), "form": type(field._form)}


@pytest.mark.parametrize("data", [None, FILLED])
def test_fields_bound_from_a_prototype_are_those_wtforms_binds(data) -> None:
    for _ in range(3):  # the first binding makes the prototypes, the next ones copy them
        plain, fast = Plain(data=data), Fast(data=data)
        for name in plain._fields:
            assert type(fast[name]) is type(plain[name])
            got, expected = _state(fast[name]), _state(plain[name])
            assert got.keys() == expected.keys(), name
            for key in expected:
                assert (got[key] == expected[key]) or key == "form", (name, key)
            assert fast[name].meta is fast.meta and fast[name]._form is fast


def test_a_bound_fields_changes_stay_with_its_form() -> None:
    first = Fast()
    first.role.choices.append(SelectChoice("admin", "Admin"))
    first.role.label.text = "Changed"
    first.name.flags.required = False
    first.stepped.render_kw["class"] = "wide"
    second = Fast()
    assert [c.value for c in second.role.choices] == ["volunteer", "coordinator"]
    assert second.role.label.text == "Role" and second.name.flags.required is True
    assert second.stepped.render_kw == {"class": "narrow"}
    assert field_binding._prototypes  # the declared fields were copied


def test_forms_made_with_a_prefix_each_do_not_stop_the_copying_for_good(monkeypatch: pytest.MonkeyPatch) -> None:
    """/warnings makes a form per warning (its own prefix): past the limit the kept fields start again,
    rather than every form class not yet seen being bound the slow way for the rest of the worker's life."""
    monkeypatch.setattr(field_binding, "_MAX_PROTOTYPES", 20)
    monkeypatch.setattr(field_binding, "_prototypes", {})
    for number in range(30):
        Fast(prefix=f"w{number}")
        assert len(field_binding._prototypes) <= 20
    Fast()
    assert any(name.startswith("\0") for _, name in field_binding._prototypes)  # the plain form's fields are kept
