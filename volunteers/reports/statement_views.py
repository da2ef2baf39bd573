"""``/me/statement``: a volunteer's own statement; coordinators may open anyone's in their organisation."""
from __future__ import annotations

from flask import abort, g, render_template, request
from flask.typing import ResponseReturnValue

from volunteers.contributions.queries import members as list_members
from volunteers.core import audit
from volunteers.core.auth import member_required, refuse_until_enrolled
from volunteers.core.params import parse_id, parse_year
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import Month, utcnow
from volunteers.people import site_limits
from volunteers.people.models import Membership
from volunteers.reports.formatting import FORMATTERS
from volunteers.reports.statement import period, statement


def _member() -> Membership:
    """Return whose statement is asked for: one's own, or (coordinators) a member of the organisation."""
    wanted = request.args.get("member", "")
    own = g.membership
    if not wanted or wanted == str(own.id):
        return own
    try:
        wanted_id = parse_id(wanted)
    except ValueError:
        abort(404)
    if not own.is_coordinator:
        abort(403)
    refuse_until_enrolled(own)
    return site_limits.member_or_404(current_org(), wanted_id)


@member_required
def statement_page() -> ResponseReturnValue:
    """Show a member's statement for ``?month=YYYY-MM``, or ``?year=YYYY``; last month when neither is given.

    Last month, not this one: it is the last complete month (this one has
    barely begun, and shows 0 h on the 1st).
    """
    org, now = current_org(), utcnow()
    member = _member()
    month_text, year = request.args.get("month"), request.args.get("year")
    try:
        month = Month.parse(month_text) if month_text else None
        if month is None and not year:
            month = Month.containing(now, org.timezone).previous()
        title, start, end = period(month, parse_year(year) if year and month is None else None, org.timezone)
    except ValueError:
        abort(404)
    data = statement(org, member, title, start, end, now)
    if member.id != g.membership.id:  # a coordinator reading someone else's record
        audit.record(org, g.membership.person_id, "people.statement_view", "membership", member.id, now=now,
                     start=start, end=end)
    members = list_members(org) if g.membership.is_coordinator and not g.membership.must_enrol_two_factor else []
    return render_template("reports/statement.html", s=data, member=member, org=org,
                           month=str(month) if month else None, year=year if month is None else None,
                           members=members, fmt=FORMATTERS, currency=org.currency)
