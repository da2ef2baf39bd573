"""The monthly report and the load assessment interface (DESIGN.md's assess, over HTTP)."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class ReportSchema(Schema):
    """The monthly report, exactly as ``flask --app wsgi report monthly --format json`` prints it."""

    class Meta:
        unknown = INCLUDE

    organisation = fields.Raw(required=True)
    month = fields.String(required=True)
    hours = fields.Raw(required=True)
    value = fields.Raw(required=True)
    active_volunteers = fields.Raw(required=True)
    places_needed = fields.Raw(required=True)
    places_filled = fields.Raw(required=True)
    by_volunteer = fields.List(fields.Dict(), required=True)
    by_role = fields.Dict(required=True)
    by_site = fields.Dict(required=True)
    by_kind = fields.Dict(required=True)
    by_stage = fields.Dict(required=True)


class AssessShiftSchema(Schema):
    class Meta:
        unknown = INCLUDE

    start = fields.String(required=True)
    end = fields.String(required=True)
    role = fields.String(required=True)


class AssessVolunteerSchema(Schema):
    class Meta:
        unknown = INCLUDE

    id = fields.Raw(required=True)
    shifts = fields.List(fields.Nested(AssessShiftSchema), required=True)


class AssessInSchema(Schema):
    """DESIGN.md's load-assessment input (see ``flask --app wsgi load assess``)."""

    class Meta:
        unknown = INCLUDE

    as_of = fields.String(required=True, metadata={"example": "2026-11-30T12:00:00+00:00"})
    timezone = fields.String()
    policy = fields.Dict()
    volunteers = fields.List(fields.Nested(AssessVolunteerSchema), required=True)


class AssessOutSchema(Schema):
    class Meta:
        unknown = INCLUDE

    warnings = fields.List(fields.Dict(), required=True)
    organisation = fields.Dict(required=True)
