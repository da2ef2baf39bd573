"""``/me/statement``: a volunteer's own statement; coordinators may open anyone's in their organisation."""
from __future__ import annotations

from flask import abort, g, render_template, request

from volunteers.contributions.queries import members as list_members
from volunteers.core.auth import member_required
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people.models import Membership
from volunteers.reports.formatting import FORMATTERS
from volunteers.reports.statement import period, statement


def _member() -> Membership:
    """Return whose statement is asked for: one's own, or (coordinators) a member of the organisation."""
    wanted = request.args.get("member", "")
    own = g.membership
    if not wanted or wanted == str(own.id):
        return own
    if not wanted.isdigit():
        abort(404)
    if not own.is_coordinator:
        abort(403)
    return get_scoped_or_404(Membership, current_org(), int(wanted))


@member_required
def statement_page():  # type: ignore[no-untyped-def]
    org, now = current_org(), utcnow()
    member = _member()
    month, year = request.args.get("month"), request.args.get("year")
    if not month and not year:
        today = local_date(now, org.timezone)
        month = f"{today.year:04d}-{today.month:02d}"
    try:
        title, start, end = period(month, int(year) if year and not month else None, org.timezone)
    except ValueError:
        abort(404)
    data = statement(org, member, title, start, end, now)
    members = list_members(org) if g.membership.is_coordinator else []
    return render_template("reports/statement.html", s=data, member=member, org=org, month=month,
                           year=year if not month else None, members=members, fmt=FORMATTERS, currency=org.currency)
