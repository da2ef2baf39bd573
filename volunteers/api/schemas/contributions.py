"""Hours and other contributions: logged, decided, reversed."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import SANE_DATE, JsonInteger, JsonNumber, page_of
from volunteers.contributions.models import CONTRIBUTOR_TYPES, KINDS, STAGES


class LogHoursArgs(Schema):
    day = fields.Date(data_key="date", required=True, metadata={"description": "The local day the hours were given."})
    hours = JsonNumber(required=True, validate=validate.Range(min=0.01, max=24),
                         metadata={"description": "Hours, e.g. 2.5 (0.01 to 24; kept to the hundredth)."})
    role_id = JsonInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class HoursEntrySchema(Schema):
    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    hours = fields.Float(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "pending, approved, rejected or reversed."})
    role_id = fields.Integer(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)


HoursPageSchema = page_of(HoursEntrySchema, "HoursPageSchema")


class DecisionSchema(Schema):
    contribution_id = fields.Integer(required=True)
    status = fields.String(required=True)


class ReversalSchema(Schema):
    contribution_id = fields.Integer(required=True)
    reversal_id = fields.Integer(required=True)


class ContributionArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    stage = fields.String(load_default="delivery", validate=validate.OneOf(STAGES))
    day = fields.Date(data_key="date", required=True, validate=SANE_DATE,
                      metadata={"description": "The local day it was given (not in the future)."})
    contributor_type = fields.String(load_default="volunteer", validate=validate.OneOf(CONTRIBUTOR_TYPES))
    membership_id = JsonInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "The member who gave it; else `contributor_name`."})
    contributor_name = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "A person or group without a login (\"Tackley WI\")."})
    hours = JsonNumber(load_default=None, validate=validate.Range(min=0, max=1000),
                           metadata={"description": "For `time` and `expertise`."})
    amount = JsonNumber(load_default=None, validate=validate.Range(min=0, max=10_000_000),
                            metadata={"description": "For `money` and `in_kind`: the value in pounds."})
    role_id = JsonInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    site_id = JsonInteger(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class ContributionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    stage = fields.String(required=True)
    date = fields.Date(required=True)
    contributor_type = fields.String(required=True)
    membership_id = fields.Integer(required=True, allow_none=True)
    contributor_name = fields.String(required=True, allow_none=True)
    hours = fields.Float(required=True)
    amount = fields.Float(required=True)
    status = fields.String(required=True)
