"""WTForms widgets for the people forms that write the same HTML as WTForms' own, faster.

WTForms 3 builds every attribute through ``Markup.format`` (a ``string.Formatter``
per attribute) and a ``<select>`` looks up its ``render_option``'s signature with
``inspect`` on every render: drawing the fields was a third of a person's page
(/people/<id>). :func:`html_params` gives WTForms' output (attributes sorted by
name, ``True`` bare, ``False`` left out, values escaped) with plain string work;
the widgets below are WTForms' with it. The page's HTML is unchanged.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import Field, SelectFieldBase
from wtforms.widgets import DateInput, EmailInput, NumberInput, Select, TextArea, TextInput
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


class FastNumberInput(NumberInput):
    html_params = staticmethod(html_params)


class FastDateInput(DateInput):
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
        for choice in field.iter_choices():  # a SelectField's: Choice tuples
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            options = {"value": value, **(choice.render_kw or {})}
            if choice.selected:
                options["selected"] = True
            html.append(f"<option {html_params(**options)}>{escape(choice.label or choice.value)}</option>")
        html.append("</select>")
        return Markup("".join(html))
