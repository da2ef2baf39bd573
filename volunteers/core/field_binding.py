"""Binding a form's declared fields by copying one bound field, not running each field's ``__init__`` again.

WTForms binds every field of a form each time the form is made (label, flags from
the validators, the validators' check): most of what making a person's page's
forms cost. ``FastForm`` (volunteers.core.widgets) binds with :func:`bind_field`.
"""
from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.core import Flags, Label, UnboundField

#: field classes whose bound field is its ``__init__``'s attributes alone (no sub-form, entries or locale)
CLONED_FIELDS: frozenset[type[Any]] = frozenset({
    StringField, EmailField, PasswordField, HiddenField, TextAreaField, IntegerField, DecimalField, DateField,
    TimeField, BooleanField, SelectField, RadioField, SelectMultipleField,
})
#: (declared unbound field, prefix) → (translations, a bound field of no form): the field's ``__init__`` run once
_prototypes: dict[tuple[UnboundField, str], tuple[Any, Field]] = {}
_MAX_PROTOTYPES = 500  # a form class made per request would otherwise pile up here


def _clone(prototype: Field, form: Any, meta: Any) -> Field:
    """A bound field as ``__init__`` would make it: the prototype's attributes, its mutable ones copied."""
    field = object.__new__(type(prototype))
    state = field.__dict__
    state.update(prototype.__dict__)
    state["_form"] = form
    state["meta"] = meta
    flags = state["flags"] = Flags()
    flags.__dict__.update(prototype.flags.__dict__)
    label = prototype.label
    state["label"] = Label(label.field_id, label.text)
    if prototype.render_kw is not None:
        state["render_kw"] = dict(prototype.render_kw)
    choices = state.get("_choices")
    if choices is not None:
        state["_choices"] = dict(choices) if isinstance(choices, dict) else list(choices)
    return field


def bind_field(form: Any, unbound: UnboundField, options: dict[str, Any]) -> Field:
    """``DefaultMeta.bind_field``: a declared field of a plain class copied from one bound once.

    WTForms runs every field's ``__init__`` (its label, flags from the validators, the
    validators' check) each time a form is made: most of the cost of making one. The
    attributes ``__init__`` sets depend only on the unbound field, the prefix and the
    translations, so the first binding is kept and later ones are copies of it (the
    mutable attributes copied: flags, label, ``render_kw``, choices). The CSRF field,
    made per form, a data list, a locale's decimal or an unusual class bind as WTForms does.
    """
    prefix, translations = options.get("prefix", ""), options.get("translations")
    if unbound.field_class not in CLONED_FIELDS or options.keys() - {"name", "prefix", "translations"} or \
            unbound.kwargs.get("datalist") is not None or unbound.kwargs.get("use_locale"):
        return unbound.bind(form=form, **options)
    key = (unbound, f"{prefix}\0{options.get('name')}")
    cached = _prototypes.get(key)
    if cached is not None and cached[0] is translations:
        return _clone(cached[1], form, form.meta)
    field = unbound.bind(form=form, **options)
    if cached is None:
        if len(_prototypes) >= _MAX_PROTOTYPES:  # per-item prefixes (a form per warning) would fill it for good:
            _prototypes.clear()  # start again, as the other kept results do (review)
        prototype = _clone(field, None, None)
        _prototypes[key] = (translations, prototype)
    return field
