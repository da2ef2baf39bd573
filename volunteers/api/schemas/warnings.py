"""Load warnings and what a coordinator does with them: acknowledge, snooze."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import PageArgs, page_of


class WarningArgs(PageArgs):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "acknowledged", "resolved", "all"]))
    severity = fields.String(load_default=None, validate=validate.OneOf(["notice", "warning", "critical"]))


class WarningSchema(Schema):
    id = fields.Integer(required=True)
    membership_id = fields.Integer(required=True)
    rule = fields.String(required=True)
    severity = fields.String(required=True)
    status = fields.String(required=True)
    prospective = fields.Boolean(required=True)
    window_start = fields.DateTime(required=True)
    window_end = fields.DateTime(required=True)
    value = fields.Float(required=True)
    threshold = fields.Float(required=True)
    message = fields.String(required=True)
    snoozed_until = fields.DateTime(required=True, allow_none=True)
    acknowledged_at = fields.DateTime(required=True, allow_none=True)


WarningPageSchema = page_of(WarningSchema, "WarningPageSchema")


class AcknowledgeArgs(Schema):
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class SnoozeArgs(Schema):
    until = fields.Date(required=True, metadata={"description": "A local date within the next 90 days."})
    note = fields.String(load_default=None, validate=validate.Length(max=2000))
