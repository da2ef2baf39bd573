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
The HTML is the same byte for byte (tests/unit/core/test_widgets.py). Its CSRF
field's token is the request's from ``core.csrf_tokens``: the one Flask-WTF makes.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, SelectFieldBase
from wtforms.fields.core import UnboundField
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

from volunteers.core import csrf_tokens
from volunteers.core.field_binding import bind_field

#: an attribute's name as written (``clean_key`` then escaped): names come from code, so few
_KEYS: dict[str, str] = {}
_MAX_KEYS = 500


def _key(name: str) -> str:
    key = _KEYS.get(name)
    if key is None:
        key = str(escape(clean_key(name)))
        if len(_KEYS) < _MAX_KEYS:
            _KEYS[name] = key
    return key


def _params(kwargs: dict[str, Any]) -> str:
    """The attributes' text as :func:`html_params` writes it, as a plain ``str``."""
    params = []
    for name in sorted(kwargs):
        value = kwargs[name]
        if value is True:
            params.append(_key(name))
        elif value is not False:
            text = str(escape(value))
            if '"' in text:  # a value's own __html__ may hold one
                text = text.replace('"', "&quot;")
            params.append(f'{_key(name)}="{text}"')
    return " ".join(params)


def html_params(**kwargs: Any) -> Markup:
    """``wtforms.widgets.html_params``: the same attributes in the same order, without ``Markup.format``."""
    return Markup(_params(kwargs))


def _input(widget: Any, field: Field, kwargs: dict[str, Any]) -> Markup:
    """WTForms' ``Input.__call__``: the field's flags read from its own attributes, not through ``dir``.

    ``dir(flags)`` sorts every name of the ``Flags`` object, dunders and all; the flags a
    validator sets are the instance's attributes, and the order does not matter (the
    attributes are written sorted), so ``vars`` finds the same ones.
    """
    kwargs.setdefault("id", field.id)
    kwargs.setdefault("type", widget.input_type)
    if "value" not in kwargs:
        kwargs["value"] = field._value()
    datalist = getattr(field, "_datalist", None)
    if datalist is not None and "list" not in kwargs:
        kwargs["list"] = datalist if isinstance(datalist, str) else datalist.id
    flags = getattr(field, "flags", None)
    if flags is not None:
        names = widget.validation_attrs
        for name, value in getattr(flags, "__dict__", {}).items():
            if name in names and name not in kwargs:
                kwargs[name] = value() if callable(value) else value
    if "name" in kwargs:  # as html_params(name=field.name, **kwargs) refuses it
        raise TypeError("html_params() got multiple values for keyword argument 'name'")
    kwargs["name"] = field.name
    return Markup(f"<input {_params(kwargs)}>")


class FastTextInput(TextInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        return _input(self, field, kwargs)


class FastEmailInput(EmailInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        return _input(self, field, kwargs)


class FastPasswordInput(PasswordInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        if self.hide_value:
            kwargs["value"] = ""
        return _input(self, field, kwargs)


class FastHiddenInput(HiddenInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        return _input(self, field, kwargs)


class FastNumberInput(NumberInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        if self.step is not None:
            kwargs.setdefault("step", self.step)
        if self.min is not None:
            kwargs.setdefault("min", self.min)
        if self.max is not None:
            kwargs.setdefault("max", self.max)
        return _input(self, field, kwargs)


def _date_input(widget: Any, field: Field, kwargs: dict[str, Any]) -> Markup:
    """WTForms' ``_DateTimeBaseInput.__call__``: ``min`` and ``max`` written in the field's format."""
    format = getattr(field, "format", None)
    if format is not None:
        format = format[0] if isinstance(format, list) else format
        flags = getattr(field, "flags", {})
        for attr in ("min", "max"):
            value: Any = kwargs.get(attr, getattr(flags, attr, None))
            if callable(value):
                value = value()
            if hasattr(value, "strftime"):
                kwargs[attr] = value.strftime(format)
    return _input(widget, field, kwargs)


class FastDateInput(DateInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        return _date_input(self, field, kwargs)


class FastTimeInput(TimeInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        return _date_input(self, field, kwargs)


class FastCheckboxInput(CheckboxInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        if getattr(field, "checked", field.data):
            kwargs.setdefault("checked", True)
        return _input(self, field, kwargs)


class FastRadioInput(RadioInput):
    html_params = staticmethod(html_params)

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        if field.checked:
            kwargs.setdefault("checked", True)
        return _input(self, field, kwargs)


def _validation_attrs(field: Field, names: list[str], kwargs: dict[str, Any]) -> None:
    """Add the field's flags the widget writes as attributes (``required``, ``maxlength``, …), as WTForms does."""
    flags = getattr(field, "flags", None)
    if flags is not None:  # the instance's attributes are the flags ``dir`` would find (see _input)
        for name, value in getattr(flags, "__dict__", {}).items():
            if name in names and name not in kwargs:
                kwargs[name] = value
    if "name" in kwargs:  # as html_params(name=field.name, **kwargs) refuses it
        raise TypeError("html_params() got multiple values for keyword argument 'name'")
    kwargs["name"] = field.name


class FastTextArea(TextArea):
    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        _validation_attrs(field, self.validation_attrs, kwargs)
        return Markup(f"<textarea {_params(kwargs)}>\r\n{escape(field._value())}</textarea>")


class FastSelect(Select):
    """One ``<select>`` without option groups (with them, or ``multiple``: WTForms' own)."""

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        if self.multiple or field.has_groups():
            return Markup(super().__call__(field, **kwargs))
        kwargs.setdefault("id", field.id)
        _validation_attrs(field, self.validation_attrs, kwargs)
        html = [f"<select {_params(kwargs)}>"]
        append = html.append
        for choice in field._iter_choices_normalized():
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            label = escape(choice.label or choice.value)
            if choice.render_kw:
                options = {"value": value, **choice.render_kw}
                if choice.selected:
                    options["selected"] = True
                append(f"<option {_params(options)}>{label}</option>")
                continue
            text = str(escape(value))  # "selected" sorts before "value", as html_params writes them
            if '"' in text:
                text = text.replace('"', "&quot;")
            append(f'<option selected value="{text}">{label}</option>' if choice.selected
                   else f'<option value="{text}">{label}</option>')
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


class KeptSignerCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's form CSRF (checked as before), its token made by ``core.csrf_tokens`` (the same token)."""

    def generate_csrf_token(self, csrf_token_field: Field) -> str:
        return csrf_tokens.request_token(self.meta.csrf_secret, self.meta.csrf_field_name)


class FastForm(FlaskForm):
    """``FlaskForm`` whose fields draw with the widgets above (the same HTML as WTForms'), bound faster."""

    class Meta:
        csrf_class = KeptSignerCSRF

        def bind_field(self, form: Any, unbound_field: UnboundField, options: dict[str, Any]) -> Field:
            return bind_field(form, unbound_field, options)

        def render_field(self, field: Field, render_kw: dict[str, Any]) -> Markup:
            """WTForms' ``DefaultMeta.render_field``, with the field's widget's fast twin."""
            render_kw = {clean_key(k): v for k, v in render_kw.items()}
            other_kw = getattr(field, "render_kw", None)
            if other_kw is not None:
                other_kw = {clean_key(k): v for k, v in other_kw.items()}
                render_kw = dict(other_kw, **render_kw)
            return fast_widget(field.widget)(field, **render_kw)
