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
    return Markup(f'{_LEAD}<label for="{fid}">{escape(f.label.text)}</label>\n  {f(**attrs)}\n  '
                  f"{help_markup}\n  {error_markup}")
