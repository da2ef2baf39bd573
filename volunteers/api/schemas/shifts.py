"""Shifts and the board as a coordinator reads and writes them: shifts, places, new shifts and changes."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import TIME_PATTERN, JsonBoolean, JsonInteger, LoadWarningSchema, PageArgs, page_of


class ShiftSchema(Schema):
    id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    date = fields.Date(required=True, metadata={"description": "The local date it starts on."})
    role = fields.String(required=True)
    role_id = fields.Integer(required=True)
    site = fields.String(required=True)
    site_id = fields.Integer(required=True)
    needed = fields.Integer(required=True)
    filled = fields.Integer(required=True)
    open_places = fields.Integer(required=True)
    status = fields.String(required=True)


ShiftPageSchema = page_of(ShiftSchema, "ShiftPageSchema")


class BoardArgs(PageArgs):
    start = fields.Date(data_key="from", load_default=None,
                        metadata={"description": "First local date (default: today)."})
    end = fields.Date(data_key="to", load_default=None,
                      metadata={"description": "Last local date, inclusive (default: six days after `from`)."})
    site_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    role_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    gaps = fields.Boolean(load_default=False, metadata={"description": "Only shifts with open places."})


class OnShiftSchema(Schema):
    membership_id = fields.Integer(required=True)
    name = fields.String(required=True)


class BoardShiftSchema(ShiftSchema):
    published = fields.Boolean(required=True)
    people = fields.List(fields.Nested(OnShiftSchema), required=True)


BoardPageSchema = page_of(BoardShiftSchema, "BoardPageSchema")


class AssignArgs(Schema):
    membership_id = JsonInteger(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    override_reason = fields.String(load_default=None, validate=validate.Length(max=500), metadata={
        "description": "Why, when the person is not eligible or the load warning is critical (kept in the audit)."})
    accept_warnings = JsonBoolean(load_default=False, metadata={
        "description": "Go ahead despite a warning-level load warning (one click on the board)."})


class AssignmentSchema(Schema):
    assignment_id = fields.Integer(required=True)
    shift_id = fields.Integer(required=True)
    membership_id = fields.Integer(required=True)
    status = fields.String(required=True)
    warnings = fields.List(fields.Nested(LoadWarningSchema), required=True)


class NewShiftArgs(Schema):
    day = fields.Date(data_key="date", required=True, metadata={"description": "The local date it starts on."})
    start = fields.Time(required=True, metadata={"description": "Local start, HH:MM.", "pattern": TIME_PATTERN})
    end = fields.Time(required=True, metadata={"description": "Local end, HH:MM (at or before the start: next day).",
                                               "pattern": TIME_PATTERN})
    role_id = JsonInteger(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    site_id = JsonInteger(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    needed = JsonInteger(load_default=1, validate=validate.Range(min=1, max=100))
    notes = fields.String(load_default=None, validate=validate.Length(max=2000))


class ShiftUpdateArgs(Schema):
    needed = JsonInteger(required=True, validate=validate.Range(min=1, max=100))


class ShiftCancelledSchema(Schema):
    shift_id = fields.Integer(required=True)
    status = fields.String(required=True)
    people_told = fields.Integer(required=True)
