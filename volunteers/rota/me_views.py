"""The volunteer's own pages: my shifts (in every organisation they belong to)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template
from flask_login import current_user

from volunteers.core.auth import member_required
from volunteers.core.timeutil import utcnow
from volunteers.rota import queries

bp = Blueprint("me", __name__, url_prefix="/me")


@bp.get("/shifts")
@member_required
def shifts():  # type: ignore[no-untyped-def]
    now = utcnow()
    assignments = queries.my_assignments(current_user.id, since=now - timedelta(days=60))
    upcoming = [a for a in assignments if a.shift.ends_at > now]
    past = [a for a in assignments if a.shift.ends_at <= now][::-1]
    colleagues = {}
    for org_id in {a.organisation_id for a in upcoming}:
        shift_ids = [a.shift_id for a in upcoming if a.organisation_id == org_id]
        colleagues.update(queries.people_on(org_id, shift_ids))  # type: ignore[arg-type]
    return render_template("me/shifts.html", upcoming=upcoming, past=past, colleagues=colleagues)
