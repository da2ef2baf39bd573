"""People, their availability, leave and qualifications."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from volunteers.api.schemas.common import SANE_DATE, JsonNumber, PageArgs, page_of


class PeopleArgs(PageArgs):
    search = fields.String(load_default="", validate=validate.Length(max=100))
    status = fields.String(load_default="", validate=validate.OneOf(["", "active", "paused", "left"]))
    role = fields.String(load_default="", validate=validate.OneOf(["", "volunteer", "coordinator", "admin"]))


class QualificationRecordSchema(Schema):
    name = fields.String(required=True)
    expires_on = fields.Date(required=True, allow_none=True)


class PersonSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The membership id (a person in this organisation)."})
    name = fields.String(required=True)
    email = fields.String(required=True)
    phone = fields.String(required=True, allow_none=True)
    role = fields.String(required=True)
    status = fields.String(required=True)
    pledged_hours_per_week = fields.Float(required=True, allow_none=True)
    joined_on = fields.Date(required=True, allow_none=True)
    qualifications = fields.List(fields.Nested(QualificationRecordSchema), required=True, metadata={
        "description": "The member's qualifications and checks, by qualification (the organisation's oldest "
                       "first), as the person page lists them."})


PersonPageSchema = page_of(PersonSchema, "PersonPageSchema")


class NewPersonArgs(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    role = fields.String(load_default="volunteer", validate=validate.OneOf(["volunteer", "coordinator", "admin"]))
    pledged_hours_per_week = JsonNumber(load_default=None, validate=validate.Range(min=0, max=168))


class PersonUpdateArgs(Schema):
    """Only the fields sent change (the /people/<id> page's rules: an e-mail someone else signs in with is
    refused, a coordinator cannot change their own role)."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email(validate=validate.Length(max=254))
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    role = fields.String(validate=validate.OneOf(["volunteer", "coordinator", "admin"]))
    status = fields.String(validate=validate.OneOf(["active", "paused", "left"]))
    pledged_hours_per_week = JsonNumber(allow_none=True, validate=validate.Range(min=0, max=168))
    joined_on = fields.Date(allow_none=True, validate=SANE_DATE)
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class WindowSchema(Schema):
    weekday = fields.String(required=True, metadata={"description": "Mon … Sun"})
    start = fields.String(required=True, metadata={"description": "Local HH:MM."})
    end = fields.String(required=True, metadata={"description": "Local HH:MM."})


class AvailabilitySchema(Schema):
    membership_id = fields.Integer(required=True)
    pattern = fields.String(required=True, metadata={
        "description": "The weekly pattern in the CSV's syntax (`Mon 09:00-13:00; Thu 14:00-18:00`); "
                       "empty: no stated limits."})
    windows = fields.List(fields.Nested(WindowSchema), required=True)


class AvailabilityArgs(Schema):
    pattern = fields.String(required=True, validate=validate.Length(max=500), metadata={
        "description": "Replaces the weekly pattern: `Mon 09:00-13:00; Thu 14:00-18:00` (local times); "
                       "empty for no stated limits."})


class LeaveSchema(Schema):
    id = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = fields.String(required=True, allow_none=True)


class LeaveListSchema(Schema):
    items = fields.List(fields.Nested(LeaveSchema), required=True, metadata={
        "description": "Current and future leave, soonest first."})


class LeaveAddedSchema(LeaveSchema):
    clashing_shift_ids = fields.List(fields.Integer(), required=True, metadata={
        "description": "Shifts the person holds a place on during this leave (leave takes nobody off a shift)."})


class LeaveArgs(Schema):
    starts_on = fields.Date(required=True, validate=SANE_DATE)
    ends_on = fields.Date(load_default=None, validate=SANE_DATE, metadata={"description": "Absent: one day."})
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class QualificationDetailSchema(Schema):
    qualification_id = fields.Integer(required=True)
    name = fields.String(required=True)
    obtained_on = fields.Date(required=True, allow_none=True)
    expires_on = fields.Date(required=True, allow_none=True)
    certificate_recorded = fields.Boolean(required=True, metadata={
        "description": "A DBS/PVG certificate number is on record (the number itself is not sent)."})
    update_service_checked_on = fields.Date(required=True, allow_none=True)


class QualificationListSchema(Schema):
    items = fields.List(fields.Nested(QualificationDetailSchema), required=True)


class QualificationArgs(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120), metadata={
        "description": "The qualification (made for the organisation if new; names compare case-blind)."})
    obtained_on = fields.Date(load_default=None, validate=SANE_DATE)
    expires_on = fields.Date(load_default=None, validate=SANE_DATE)
    certificate_number = fields.String(load_default=None, validate=validate.Length(max=60))
    update_service_checked_on = fields.Date(load_default=None, validate=SANE_DATE)
