"""``form_markup.field`` writes a plain ``<select>`` itself: the same bytes as the field's own widget (pure, no app)."""
from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField
from wtforms.validators import DataRequired

from volunteers.core.widgets import FastForm
from volunteers.people import form_markup
from volunteers.people.form_markup import field


class Choices(Form):
    class Meta:
        render_field = FastForm.Meta.render_field  # the fast widgets the app's forms draw with

    numbered = SelectField("Role", coerce=int, validate_choice=False)
    named = SelectField("Stage", validate_choice=False, description="Where the time went.")
    required = SelectField("Kind", validators=[DataRequired()], validate_choice=False)
    flagged = SelectField("Flag", coerce=lambda value: value in (True, "True"), validate_choice=False)
    styled = SelectField("Styled", render_kw={"class": "wide"}, validate_choice=False)


CHOICES: list[tuple[str, Any, Any]] = [
    ("numbered", [(0, "—"), (4, "Shop 'till'"), (5, "Café <b>&</b>")], 4),
    ("numbered", [SelectChoice(0, "Usual"), SelectChoice(7, "Seven")], 9),  # nothing selected
    ("numbered", [("4", "Four"), ("5", "Five")], 4),  # selected as the field's coerce reads the value
    ("named", [SelectChoice("", "Usual for the role"), SelectChoice("delivery", "Delivery")], ""),
    ("named", [("a\"b", 'say "a"'), ("", "")], 'a"b'),  # a quote in a value; an empty label shows the value
    ("required", [("x", "X"), ("y", "Y")], "y"),
    ("flagged", [(True, "Yes"), (False, "No")], True),
    ("named", [], None),
    # left to the field: groups, an option's own attributes, the field's render_kw, dict choices
    ("named", [SelectChoice("a", "A", optgroup="Group")], "a"),
    ("named", [SelectChoice("a", "A", render_kw={"disabled": True})], "a"),
    ("styled", [("a", "A")], "a"),
    ("named", {"a": "A", "b": "B"}, "b"),
]


def _drawn(name: str, choices: Any, data: Any, errors: list[str], hint: str | None) -> Markup:
    form = Choices()
    f = getattr(form, name)
    f.choices, f.data, f.errors = choices, data, errors
    return field(f, hint)


@pytest.mark.parametrize(("name", "choices", "data"), CHOICES)
@pytest.mark.parametrize("errors", [[], ["Choose one <now>."]])
@pytest.mark.parametrize("hint", [None, "e.g. Shop"])
def test_select_is_drawn_as_its_widget_draws_it(monkeypatch: pytest.MonkeyPatch, name: str, choices: Any,
                                                data: Any, errors: list[str], hint: str | None) -> None:
    fast = _drawn(name, choices, data, errors, hint)
    monkeypatch.setattr(form_markup, "_select", lambda f, attrs: None)
    assert fast == _drawn(name, choices, data, errors, hint)
    assert "<select " in fast


def test_only_plain_selects_are_drawn_here() -> None:
    form = Choices()
    form.named.choices = [SelectChoice("a", "A", optgroup="Group")]
    assert form_markup._select(form.named, {}) is None
    form.styled.choices = [("a", "A")]
    assert form_markup._select(form.styled, {}) is None
    form.numbered.choices = [(1, "One")]
    assert form_markup._select(form.numbered, {}) is not None
