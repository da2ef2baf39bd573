"""The API's request and response shapes (marshmallow): they validate input and write the OpenAPI document."""
from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import INCLUDE, Schema, fields, validate

from volunteers.contributions.models import CONTRIBUTOR_TYPES, KINDS, STAGES
from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR
from volunteers.peersupport.domain.plan import MODES
from volunteers.peersupport.models import MAX_MINUTES

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


class LoadWarningSchema(Schema):
    rule = fields.String(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)


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
    qualifications = fields.List(fields.Nested(QualificationRecordSchema), required=True)


PersonPageSchema = page_of(PersonSchema, "PersonPageSchema")


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


class ReasonArgs(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


class ShiftCancelledSchema(Schema):
    shift_id = fields.Integer(required=True)
    status = fields.String(required=True)
    people_told = fields.Integer(required=True)


class SnoozeArgs(Schema):
    until = fields.Date(required=True, metadata={"description": "A local date within the next 90 days."})
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class DecisionSchema(Schema):
    contribution_id = fields.Integer(required=True)
    status = fields.String(required=True)


class ReversalSchema(Schema):
    contribution_id = fields.Integer(required=True)
    reversal_id = fields.Integer(required=True)


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


class NewPersonArgs(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(load_default=None, validate=validate.Length(max=40))
    role = fields.String(load_default="volunteer", validate=validate.OneOf(["volunteer", "coordinator", "admin"]))
    pledged_hours_per_week = JsonNumber(load_default=None, validate=validate.Range(min=0, max=168))


#: a date the app computes with (``core.timeutil``'s years, as the pages' ``SaneDate``)
SANE_DATE = validate.Range(min=date(MIN_YEAR + 1, 1, 1), max=date(MAX_YEAR - 1, 12, 31),
                           error="a date between {min} and {max}")


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
