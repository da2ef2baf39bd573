"""WTForms widgets that write the same HTML as WTForms' own, faster, and a form class that draws with them.

WTForms 3 builds every attribute through ``Markup.format`` (a ``string.Formatter``
per attribute) and a ``<select>`` looks up its ``render_option``'s signature with
``inspect`` on every render: drawing the fields was half of /me/hours and a third
of a person's page (/people/<id>). :func:`html_params` gives WTForms' output
(attributes sorted by name, ``True`` bare, ``False`` left out, values escaped)
with plain string work; the widgets below are WTForms' with it.

:class:`FastForm` is ``FlaskForm`` whose fields draw with these widgets in place
of WTForms' (text, e-mail, password, hidden, number, date, time, checkbox, radio,
textarea, select): the forms of the app derive from it. A widget of any other
class (a list of checkboxes' ``<ul>``, a widget of our own) is drawn as it is.
The HTML is the same byte for byte (tests/unit/core/test_widgets.py).
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, SelectFieldBase
from wtforms.widgets import (
    CheckboxInput,
    DateInput,
    EmailInput,
    HiddenInput,
    NumberInput,
    PasswordInput,
    RadioInput,
    Select,
    TextArea,
    TextInput,
    TimeInput,
)
from wtforms.widgets.core import clean_key


def html_params(**kwargs: Any) -> Markup:
    """``wtforms.widgets.html_params``: the same attributes in the same order, without ``Markup.format``."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(str(escape(clean_key(key))))
        elif value is not False:
            text = str(escape(value))
            if '"' in text:  # a value's own __html__ may hold one
                text = text.replace('"', "&quot;")
            params.append(f'{escape(clean_key(key))}="{text}"')
    return Markup(" ".join(params))


class FastTextInput(TextInput):
    html_params = staticmethod(html_params)


class FastEmailInput(EmailInput):
    html_params = staticmethod(html_params)


class FastPasswordInput(PasswordInput):
    html_params = staticmethod(html_params)


class FastHiddenInput(HiddenInput):
    html_params = staticmethod(html_params)


class FastNumberInput(NumberInput):
    html_params = staticmethod(html_params)


class FastDateInput(DateInput):
    html_params = staticmethod(html_params)


class FastTimeInput(TimeInput):
    html_params = staticmethod(html_params)


class FastCheckboxInput(CheckboxInput):
    html_params = staticmethod(html_params)


class FastRadioInput(RadioInput):
    html_params = staticmethod(html_params)


def _validation_attrs(field: Field, names: list[str], kwargs: dict[str, Any]) -> None:
    """Add the field's flags the widget writes as attributes (``required``, ``maxlength``, …), as WTForms does."""
    flags = getattr(field, "flags", {})
    for name in dir(flags):
        if name in names and name not in kwargs:
            kwargs[name] = getattr(flags, name)


class FastTextArea(TextArea):
    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        _validation_attrs(field, self.validation_attrs, kwargs)
        return Markup(f"<textarea {html_params(name=field.name, **kwargs)}>\r\n{escape(field._value())}</textarea>")


class FastSelect(Select):
    """One ``<select>`` without option groups (with them, or ``multiple``: WTForms' own)."""

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        if self.multiple or field.has_groups():
            return Markup(super().__call__(field, **kwargs))
        kwargs.setdefault("id", field.id)
        _validation_attrs(field, self.validation_attrs, kwargs)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in field._iter_choices_normalized():
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            options = {"value": value, **(choice.render_kw or {})}
            if choice.selected:
                options["selected"] = True
            html.append(f"<option {html_params(**options)}>{escape(choice.label or choice.value)}</option>")
        html.append("</select>")
        return Markup("".join(html))


#: WTForms' widget class → the one here writing the same HTML (only these exact classes: a subclass may draw its own)
FAST_WIDGETS: dict[type[Any], type[Any]] = {
    TextInput: FastTextInput,
    EmailInput: FastEmailInput,
    PasswordInput: FastPasswordInput,
    HiddenInput: FastHiddenInput,
    NumberInput: FastNumberInput,
    DateInput: FastDateInput,
    TimeInput: FastTimeInput,
    CheckboxInput: FastCheckboxInput,
    RadioInput: FastRadioInput,
    TextArea: FastTextArea,
    Select: FastSelect,
}
#: a field's widget (a class attribute or the one given to the field, so made once) → its fast twin
_twins: dict[Any, Any] = {}
_MAX_TWINS = 1000  # widgets made per form would otherwise pile up here


def fast_widget(widget: Any) -> Any:
    """The widget drawing what ``widget`` draws, faster: a twin with its settings (``step``, ``multiple``, …)."""
    twin = _twins.get(widget)
    if twin is None:
        cls = FAST_WIDGETS.get(type(widget))
        if cls is None:
            return widget
        twin = object.__new__(cls)
        twin.__dict__.update(widget.__dict__)
        if len(_twins) < _MAX_TWINS:
            _twins[widget] = twin
    return twin


class FastForm(FlaskForm):
    """``FlaskForm`` whose fields draw with the widgets above (the same HTML as WTForms')."""

    class Meta:
        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Markup:
            """WTForms' ``DefaultMeta.render_field``, with the field's widget's fast twin."""
            render_kw = {clean_key(k): v for k, v in render_kw.items()}
            other_kw = getattr(field, "render_kw", None)
            if other_kw is not None:
                other_kw = {clean_key(k): v for k, v in other_kw.items()}
                render_kw = dict(other_kw, **render_kw)
            return fast_widget(field.widget)(field, **render_kw)
