"""``_macros.html``'s ``field`` macro in Python: a form field with its label, hint and errors, the same bytes.

A person's page draws twelve fields and /me/hours seven; calling the Jinja macro
(its context, its ``set`` and ``update`` calls, an escape per ``{{ }}``) cost
about as much as drawing the field itself. The templates of those pages are
given :func:`field` in place of the macro's import; the output is the macro's,
byte for byte (tests/integration/test_form_markup.py renders both for every
field of their forms, blank, filled in and refused).
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import SelectChoice, SelectField
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

from volunteers.core.widgets import _params, _validation_attrs

#: what the macro wrote before the label: a newline and its indent for each of its six lines of ``set``/``if``
_LEAD = "\n  " * 6


def field(f: Any, hint: str | None = None) -> Markup:
    """A WTForms field as ``{{ field(f, hint) }}`` draws it: label, input, hint or description, errors.

    The input is described by the hint and the errors it has (``aria-describedby``) and marked
    invalid with errors, as the macro does.
    """
    fid = str(escape(f.id))
    help_text = f.description or hint
    errors = f.errors
    attrs: dict[str, str] = {}
    if errors:
        attrs["aria_invalid"] = "true"
    if help_text or errors:
        attrs["aria_describedby"] = " ".join(
            ([f"{f.id}-help"] if help_text else []) + ([f"{f.id}-error"] if errors else []))
    help_markup = f'<small id="{fid}-help">{escape(help_text)}</small>' if help_text else ""
    error_markup = (f'<small id="{fid}-error" class="field-error"><span class="visually-hidden">Error: </span>'
                    f'{" ".join(escape(error) for error in errors)}</small>') if errors else ""
    control = _select(f, attrs) if type(f) is SelectField else None
    return Markup(f'{_LEAD}<label for="{fid}">{escape(f.label.text)}</label>\n  {control or f(**attrs)}\n  '
                  f"{help_markup}\n  {error_markup}")


def _select(f: SelectField, attrs: dict[str, str]) -> str | None:
    """The ``<select>`` ``core.widgets.FastSelect`` draws for a plain single-choice field, or None for another.

    WTForms turns every choice into a ``SelectChoice`` twice (once to ask for
    option groups) and then into a ``Choice`` before the widget writes it: a
    select of forty roles on /me/hours cost more than the rest of its form.
    Here each ``(value, label)`` pair or plain ``SelectChoice`` (no group, no
    attributes of its own) is written as it is read; anything else (groups,
    an option's own attributes, a field's ``render_kw``, another widget) is
    left to the field.
    """
    widget = f.widget
    if type(widget) is not Select or widget.multiple or f.render_kw:
        return None
    options = []
    data, coerce = f.data, f.coerce
    for choice in f.choices or ():
        if type(choice) is tuple and len(choice) == 2:
            value, label = choice
        elif type(choice) is SelectChoice and choice.optgroup is None and not choice.render_kw:
            value, label = choice.value, choice.label
        else:
            return None
        text = str(escape(str(value) if isinstance(value, bool) else value))
        if '"' in text:
            text = text.replace('"', "&quot;")
        shown = escape(label or value)
        options.append(f'<option selected value="{text}">{shown}</option>' if coerce(value) == data
                       else f'<option value="{text}">{shown}</option>')
    kwargs: dict[str, Any] = {clean_key(name): value for name, value in attrs.items()}
    kwargs.setdefault("id", f.id)
    _validation_attrs(f, widget.validation_attrs, kwargs)
    return f"<select {_params(kwargs)}>{''.join(options)}</select>"
