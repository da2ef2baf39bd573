"""The coordinator's board: a week of shifts by day, with gaps standing out."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template, request

from volunteers.core.auth import coordinator_required
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow, week_bounds
from volunteers.rota import queries

bp = Blueprint("rota", __name__, url_prefix="/rota")


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name) or 0) or None
    except ValueError:
        return None


@bp.get("")
@coordinator_required
def board():  # type: ignore[no-untyped-def]
    org = current_org()
    try:
        day = date.fromisoformat(request.args["week"]) if request.args.get("week") else local_date(utcnow(), org.timezone)
    except ValueError:
        day = local_date(utcnow(), org.timezone)
    monday = queries.week_start(day)
    start, end = week_bounds(monday, org.timezone)
    filters = queries.BoardFilter(
        site_id=_int_arg("site"), role_id=_int_arg("role"), gaps_only=request.args.get("gaps") == "1"
    )
    days = queries.board(org, start, end, filters)
    template = "rota/_week.html" if request.headers.get("HX-Request") else "rota/board.html"
    return render_template(
        template,
        days=days,
        dates=[monday + timedelta(days=i) for i in range(7)],
        monday=monday,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        filters=filters,
        roles=queries.roles(org),
        sites=queries.sites(org),
        org=org,
    )
