"""Peer-support casework: cases, contacts and the contacts that are due."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import SANE_DATE, JsonInteger, PageArgs, page_of
from volunteers.peersupport.domain.plan import MODES
from volunteers.peersupport.models import MAX_MINUTES


class CaseArgs(PageArgs):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "closed", "all"]))


class NextStepSchema(Schema):
    step = fields.String(required=True)
    opens = fields.Date(required=True)
    due_by = fields.Date(required=True)
    state = fields.String(required=True)
    days_overdue = fields.Integer(required=True)


class CaseSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    first_name = fields.String(required=True)
    born_on = fields.Date(required=True)
    area = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    language = fields.String(required=True, allow_none=True)
    supporter_membership_id = fields.Integer(required=True, allow_none=True)
    status = fields.String(required=True)
    closed_on = fields.Date(required=True, allow_none=True)
    closed_reason = fields.String(required=True, allow_none=True)


CasePageSchema = page_of(CaseSchema, "CasePageSchema")


class ContactSchema(Schema):
    id = fields.Integer(required=True)
    date = fields.Date(required=True)
    mode = fields.String(required=True)
    minutes = fields.Integer(required=True)
    membership_id = fields.Integer(required=True)
    by = fields.String(required=True, metadata={"description": "Who made the contact."})
    outcome = fields.String(required=True, allow_none=True)


class StepStateSchema(NextStepSchema):
    done_on = fields.Date(required=True, allow_none=True)


class CaseDetailSchema(CaseSchema):
    steps = fields.List(fields.Nested(StepStateSchema), required=True, metadata={
        "description": "The contact plan's steps for her, as the case page shows them."})
    contacts = fields.List(fields.Nested(ContactSchema), required=True, metadata={"description": "Newest first."})


class ContactArgs(Schema):
    day = fields.Date(data_key="date", load_default=None, validate=SANE_DATE, metadata={
        "description": "The local day of the contact (absent: today); not in the future."})
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    minutes = JsonInteger(required=True, validate=validate.Range(min=1, max=MAX_MINUTES))
    outcome = fields.String(load_default=None, validate=validate.Length(max=2000))


class DueArgs(PageArgs):
    status = fields.String(load_default="week", validate=validate.OneOf(["week", "overdue", "due", "all"]), metadata={
        "description": "`week`: overdue or due by Sunday; `overdue`; `due` (window open, not late); `all`."})
    step = fields.String(load_default="", validate=validate.Length(max=60))
    area = fields.String(load_default="", validate=validate.Length(max=100))
    counsellor = fields.String(load_default="", validate=validate.Regexp(r"^(|none|[1-9][0-9]{0,8})$"), metadata={
        "description": "A supporter's membership id, or `none` for cases without one."})


class DueSchema(Schema):
    case_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    first_name = fields.String(required=True)
    step = fields.String(required=True)
    opens = fields.Date(required=True)
    due_by = fields.Date(required=True)
    status = fields.String(required=True)
    days_overdue = fields.Integer(required=True)
    supporter_membership_id = fields.Integer(required=True, allow_none=True)


DuePageSchema = page_of(DueSchema, "DuePageSchema")
