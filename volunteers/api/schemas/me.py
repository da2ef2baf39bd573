"""The volunteer's own calls: my shifts, signing up and cancelling, offering a place and accepting an offer."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import JsonBoolean, JsonInteger, LoadWarningSchema, page_of


class MyShiftSchema(Schema):
    assignment_id = fields.Integer(required=True)
    status = fields.String(required=True)
    shift_id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    role = fields.String(required=True)
    site = fields.String(required=True)
    address = fields.String(required=True, allow_none=True)


MyShiftPageSchema = page_of(MyShiftSchema, "MyShiftPageSchema")


class SignUpArgs(Schema):
    confirmed = JsonBoolean(load_default=False, metadata={
        "description": "Take the shift even though it raises a load warning (asked for by a `confirm` answer)."})


class SignUpResultSchema(Schema):
    status = fields.String(required=True, metadata={
        "description": "`signed_up`; `confirm` (repeat with confirmed=true to accept the warnings); "
                       "`requested` (a critical warning: the coordinator decides)."})
    shift_id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True, allow_none=True)
    request_id = fields.Integer(required=True, allow_none=True)
    warnings = fields.List(fields.Nested(LoadWarningSchema), required=True)


class CancelArgs(Schema):
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class CancelResultSchema(Schema):
    status = fields.String(required=True, metadata={
        "description": "`cancelled` (in time) or `requested` (inside the notice period: the coordinator decides)."})
    assignment_id = fields.Integer(required=True)
    request_id = fields.Integer(required=True, allow_none=True)


class OfferArgs(Schema):
    to = JsonInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "The colleague's membership id; absent: everyone who may take it."})
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class OfferSchema(Schema):
    offer_id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True)
    status = fields.String(required=True)
    to = fields.Integer(required=True, allow_none=True)


class LoadNoteSchema(Schema):
    note = fields.String(required=True, allow_none=True, metadata={
        "description": "A kind word about my load this week (the /me/shifts note), or null when there is none."})


class OpenOfferSchema(Schema):
    offer_id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={
        "description": "`swap` (a colleague offers their place) or `cancel_request` (cover for a late cancellation)."})
    to_me = fields.Boolean(required=True, metadata={"description": "Offered to me by name (else to everyone)."})
    note = fields.String(required=True, allow_none=True)
    shift_id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    role = fields.String(required=True)
    site = fields.String(required=True)


OpenOfferPageSchema = page_of(OpenOfferSchema, "OpenOfferPageSchema")


class AcceptResultSchema(Schema):
    status = fields.String(required=True, metadata={
        "description": "`moved` (the place is mine), `waiting` (the coordinator approves swaps) or `confirm` "
                       "(repeat with confirmed=true to accept the load warnings)."})
    offer_id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True, allow_none=True)
    warnings = fields.List(fields.Nested(LoadWarningSchema), required=True)
