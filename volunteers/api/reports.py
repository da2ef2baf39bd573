"""The monthly report (the CLI's JSON, byte for byte) and the load assessment (DESIGN's JSON in and out)."""
from __future__ import annotations

from flask import Response, json, request

from volunteers.api.auth import coordinator_call, current_organisation
from volunteers.api.base import bp
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.schemas.reports import AssessInSchema, AssessOutSchema, ReportSchema
from volunteers.core.timeutil import Month, utcnow
from volunteers.reports import services as reports
from volunteers.wellbeing import AssessmentError, assess

MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  #: YYYY-MM, 1900-2999 (core.timeutil.Month)


@bp.response(200, ReportSchema)
@coordinator_call
def monthly_report(month: str) -> Response:
    """The month's contribution report: the issued one, or a draft as of now (as `report monthly --format json`)."""
    try:
        wanted = Month.parse(month)
    except ValueError:
        raise field_problem("month", "expected a month as YYYY-MM (1900-2999)") from None
    report = reports.monthly_report(current_organisation(), wanted, utcnow())
    return Response(report.text, mimetype="application/json")


@bp.arguments(AssessInSchema)
@bp.response(200, AssessOutSchema)
@coordinator_call
def assess_load(_parsed: dict[str, object]) -> Response:
    """Assess a schedule against the load rules (DESIGN's load-assessment JSON); reads and writes no data.

    The body is checked for its shape first (400 naming the field), then
    assessed by the same function as `flask --app wsgi load assess`; input
    it cannot assess (a bad date, an unknown time zone) is 400 naming where.
    """
    try:
        result = assess(request.get_json())
    except AssessmentError as error:
        raise field_problem(error.path, error.problem) from None
    except (ValueError, TypeError, OverflowError) as error:  # anything else the rules cannot judge
        raise ApiProblem(422, "unprocessable", str(error)) from None
    return Response(json.dumps(result), mimetype="application/json")
