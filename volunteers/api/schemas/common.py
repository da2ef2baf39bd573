"""What every resource's shapes share: strict JSON scalars, the problem document, cursor pages and the dates
the app computes with."""
from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, fields, validate

from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR

#: the most rows one page carries
MAX_LIMIT = 100


#: a local wall-clock time as the API takes it
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class JsonBoolean(fields.Boolean):
    """A JSON ``true`` or ``false`` in a request body: not 0, 1 or "yes" (the document says boolean)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class JsonInteger(fields.Integer):
    """A JSON integer in a request body: not a string of digits, a fraction or a boolean."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class JsonNumber(fields.Float):
    """A JSON number in a request body: not a string or a boolean."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class FieldErrorSchema(Schema):
    field = fields.String(required=True, metadata={"description": "The failing field (dotted path)."})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "What kind of problem (a stable URI)."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldErrorSchema))


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a cursor page of ``item`` rows: ``items``, and ``next`` (the next page's link, or
    None on the last); ``name`` names it in the OpenAPI document."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "next": fields.String(required=True, allow_none=True)}, name=name)


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200),
                           metadata={"description": "The `next` link's cursor; absent for the first page."})


class LoadWarningSchema(Schema):
    rule = fields.String(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)


class ReasonArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


#: a date the app computes with (``core.timeutil``'s years, as the pages' ``SaneDate``)
SANE_DATE = validate.Range(min=date(MIN_YEAR + 1, 1, 1), max=date(MAX_YEAR - 1, 12, 31),
                           error="a date between {min} and {max}")
