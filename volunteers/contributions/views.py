"""Coordinator pages: mark attendance (one click for "all attended") and approve logged hours.

Every page is for coordinators of the current organisation; another
organisation's shift, place or entry is a 404. POSTs answer htmx with the
changed fragment and plain forms with a redirect back.
"""
from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from volunteers.contributions import queries, services
from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.params import parse_date, parse_id
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import local_date, utcnow
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.site_scope import shift_or_404


def _day_arg() -> date:
    """Return the day asked for (``date`` in the query or form); without a good one, today."""
    org = current_org()
    try:
        return parse_date(request.args.get("date") or request.form.get("date") or "")
    except ValueError:
        return local_date(utcnow(), org.timezone)


def _shift_fragment(shift: Shift, status: int = 200) -> ResponseReturnValue:
    item = queries.with_places(current_org(), [shift])[0]
    return render_template("contributions/_attendance_shift.html", item=item, day=_day_arg()), status


def _back_to_attendance(shift: Shift) -> ResponseReturnValue:
    """Answer htmx with the shift's new fragment, a plain form with a redirect back to it."""
    if request.headers.get("HX-Request"):
        return _shift_fragment(shift)
    return redirect(url_for("contributions.attendance", date=_day_arg().isoformat()) + f"#shift-{shift.id}")


@coordinator_required
def attendance() -> ResponseReturnValue:
    """List a day's shifts to mark (never a day to come: nobody has attended it yet)."""
    org, now = current_org(), utcnow()
    day = min(_day_arg(), local_date(now, org.timezone))
    items = queries.attendance(org, day, now, g.membership)  # a site coordinator's sites only
    return render_template("contributions/attendance.html", items=items, day=day,
                           waiting=sum(i.unmarked for i in items))


@coordinator_required
def all_attended(shift_id: int) -> ResponseReturnValue:
    """Mark everyone still unmarked on a shift as attended, in one click."""
    org = current_org()
    shift = shift_or_404(org, shift_id, g.membership)  # another site's shift is a 404 for a site coordinator
    try:
        marked = services.mark_shift_attended(org, shift.id, utcnow(), current_user.id)
        audit.record(org, g.membership.person_id, "contributions.all_attended", "shift", shift.id, now=utcnow(),
                     marked=marked)
    except ServiceError as error:
        flash(str(error), "error")
        return _shift_fragment(shift, 409) if request.headers.get("HX-Request") else (
            redirect(url_for("contributions.attendance", date=_day_arg().isoformat())))
    if not request.headers.get("HX-Request"):
        flash(f"{marked} marked attended.", "success")
    return _back_to_attendance(shift)


@coordinator_required
def mark_place(assignment_id: int, mark: str) -> ResponseReturnValue:
    """Mark one place attended or a no-show."""
    org = current_org()
    assignment = get_scoped_or_404(Assignment, org, assignment_id)
    shift = shift_or_404(org, assignment.shift_id, g.membership)  # another site's place: 404, as its shift
    try:
        if mark == "attended":
            entry = services.record_attendance(org, assignment, utcnow(), current_user.id)
            audit.record(org, g.membership.person_id, "contributions.attended", "assignment", assignment.id,
                         now=utcnow(), shift_id=shift.id, membership_id=assignment.membership_id,
                         contribution_id=entry.id)
        elif services.mark_no_show(org, assignment, utcnow(), current_user.id):
            audit.record(org, g.membership.person_id, "rota.no_show", "assignment", assignment.id, now=utcnow(),
                         shift_id=shift.id, membership_id=assignment.membership_id)
    except ServiceError as error:
        if request.headers.get("HX-Request"):
            return _shift_fragment(shift, 409)
        flash(str(error), "error")
        return redirect(url_for("contributions.attendance", date=_day_arg().isoformat()))
    return _back_to_attendance(shift)


@coordinator_required
def approvals() -> ResponseReturnValue:
    """List the hours volunteers logged that wait for a decision."""
    return render_template("contributions/approvals.html", entries=queries.pending(current_org(),
                                                                                  viewer=g.membership))


@coordinator_required
def decide() -> ResponseReturnValue:
    """Approve or reject the ticked entries; nothing ticked (or no decision) re-shows the list with a 400."""
    org = current_org()
    action = request.form.get("action", "")
    decision = {"approve": "approved", "reject": "rejected"}.get(action)
    try:
        ids = [parse_id(i) for i in request.form.getlist("ids")]
    except ValueError:
        abort(400)
    if decision is None or not ids:
        return render_template("contributions/approvals.html", entries=queries.pending(org, viewer=g.membership),
                               error="Tick the entries to decide, then approve or reject them."), 400
    count = services.decide(org, ids, decision, current_user.id, utcnow(),
                            allowed=queries.decidable_by(g.membership))  # a site coordinator: her sites' only
    flash(f"{count} {'approved' if decision == 'approved' else 'rejected'}.", "success")
    return redirect(url_for("contributions.approvals"))


