"""The web's side of :mod:`volunteers.core.params`: query arguments and form validators.

A malformed query argument is a 400 that names it; a form field outside its
bounds is a field error, so the page is shown again with the message.
"""
from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from flask import abort, request
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as NoSuchRoute
from wtforms import Field, ValidationError

from volunteers.core.params import MAX_ID, check_date, parse_count, parse_id

__all__ = ["IdConverter", "refuse_nul_bytes", "id_arg", "page_arg", "SaneDate"]

#: the methods whose form fields are checked for NUL too
_WITH_FORM = frozenset({"POST", "PUT", "PATCH"})
#: the highest page number a list page accepts (a larger one is a 400 naming it, not a huge OFFSET)
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """The ``<int:…>`` of every URL: a record id the database can hold, else the route does not match (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):  # never hand int() ten thousand digits
            raise NoSuchRoute()
        return int(super().to_python(value))


def refuse_nul_bytes() -> None:
    """Before every request: a NUL character in the address, the query or a form field is a 400.

    PostgreSQL cannot store or compare text holding NUL, so such a request
    would otherwise fail deep inside with a 500. Uploaded files are the
    CSV parsers' to check (they name the line).

    Every request pays for this, so a request without a body whose path and
    raw query string hold no NUL (the address's view arguments are parts of
    its path; a query string's NUL is a ``%00`` or a raw one) is let through
    without parsing its query arguments.
    """
    req = request._get_current_object()  # type: ignore[attr-defined]  # the proxy once, not once per attribute
    method = req.method
    if method not in _WITH_FORM and "\x00" not in req.path:
        query = req.query_string
        if b"%00" not in query and b"\x00" not in query:
            return
    texts = [*req.args.keys(), *req.args.values(), *(req.view_args or {}).values()]
    if method in _WITH_FORM:
        texts += [*req.form.keys(), *req.form.values()]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        abort(400, description="The request holds a NUL character (0x00), which is not text.")


def _bad_arg(name: str, error: ValueError) -> NoReturn:
    abort(400, description=f"The address is not understood: '{name}' {error}.")


def id_arg(name: str) -> int | None:
    """Return the record id in query argument ``name``; None when absent or empty; a 400 when malformed."""
    raw = request.args.get(name, "")
    if not raw.strip():
        return None
    try:
        return parse_id(raw)
    except ValueError as error:
        _bad_arg(name, error)


def page_arg(name: str = "page", choices: tuple[int, ...] | None = None, default: int = 1) -> int:
    """Return the whole number in query argument ``name`` (a page number, from 1; or one of ``choices``).

    ``default`` when absent or empty; a 400 naming the argument when malformed or out of range.
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        number = parse_count(raw, 1, MAX_PAGE)
        if choices is not None and number not in choices:
            raise ValueError(f"must be one of {', '.join(map(str, choices))}, got {number}")
    except ValueError as error:
        _bad_arg(name, error)
    return number


# -- form validators -------------------------------------------------------------

class SaneDate:
    """WTForms validator: the date lies in the years the app computes with (see :func:`check_date`)."""

    def __call__(self, form: Any, field: Field) -> None:
        if isinstance(field.data, date):
            try:
                check_date(field.data)
            except ValueError as error:
                raise ValidationError(str(error).capitalize() + ".") from None
