"""Availability and leave pages: a volunteer's own, and any member's for a coordinator.

The weekly pattern is picked as rows — a day and a time range each
(``selfservice.domain.week_picker``; blank rows for adding more, so no
JavaScript is needed) — or typed in the CSV's syntax
(``Mon 09:00-13:00; Thu 14:00-18:00``, local time; empty = no stated
limits, still accepted as ``pattern``); either replaces the member's
AvailabilityWindow rows; leave is dated (inclusive local days). The rota's
eligibility reads both, so open shifts and cover calls follow at once.
A volunteer edits their membership of the current organisation; a
coordinator edits anyone's in theirs (another organisation's id is a 404).
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from volunteers.core import audit
from volunteers.core.auth import coordinator_required, member_required
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow
from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.people import services, site_limits
from volunteers.people.domain.availability import (
    format_availability,
    parse_availability,
)
from volunteers.people.models import Membership
from volunteers.selfservice import leave as leave_service
from volunteers.selfservice.domain import week_picker

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PatternForm(FastForm):
    pattern = StringField(
        "Weekly availability", validators=[Optional(), Length(max=500)],
        description="When you can usually volunteer, in local time, separated by semicolons — "
                    "e.g. Mon 09:00-13:00; Thu 14:00-18:00. Leave it empty if any time may suit.")


class LeaveForm(FastForm):
    starts_on = DateField("First day away", validators=[DataRequired(message="Give the first day."), SaneDate()])
    ends_on = DateField("Last day away", validators=[Optional(), SaneDate()], description="Empty for a single day.")
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=200)])


def _urls(membership: Membership, own: bool) -> dict[str, str]:
    if own:
        return {"pattern": url_for("availability.my_availability"), "leave": url_for("availability.add_my_leave")}
    return {"pattern": url_for("availability.member_availability", membership_id=membership.id),
            "leave": url_for("availability.add_member_leave", membership_id=membership.id)}


def _page(org: Organisation, membership: Membership, own: bool, pattern_form: PatternForm | None = None,
          leave_form: LeaveForm | None = None, status: int = 200,
          rows: list[week_picker.Row] | None = None) -> tuple[str, int]:
    """Render the availability page; a form given back keeps what was typed and its errors."""
    now = utcnow()
    today = local_date(now, org.timezone)
    saved = services.availability_of(org, membership.id)
    if pattern_form is None:
        pattern_form = PatternForm(formdata=None)
        pattern_form.pattern.data = format_availability(saved).replace(";", "; ")
    if rows is None:
        rows = week_picker.rows_for(saved)
    leaves = leave_service.leaves_of(org, membership, today)
    return render_template(
        "me/availability.html", org=org, membership=membership, own=own, pattern_form=pattern_form,
        rows=rows, weekdays=WEEKDAY_NAMES, row_errors=[r.error for r in rows if r.error],
        leave_form=leave_form or LeaveForm(formdata=None), leaves=leaves, urls=_urls(membership, own),
        clashes=leave_service.shifts_during(org, membership, leaves, now), many=len(g.memberships) > 1,
    ), status


def _save_pattern(org: Organisation, membership: Membership, own: bool) -> ResponseReturnValue:
    """Replace the weekly pattern from the form (rows, or the typed ``pattern``), or show the page again."""
    form = PatternForm()
    typed = "pattern" in request.form
    if form.validate_on_submit():
        picked = None if typed else week_picker.read_rows(request.form)
        if picked is not None and picked.errors:
            return _page(org, membership, own, status=400, rows=picked.rows + week_picker.rows_for((), blank=1))
        try:
            windows = parse_availability(form.pattern.data) if picked is None else picked.windows
        except ValueError as error:
            form.pattern.errors = [str(error)]
        else:
            before = format_availability(services.availability_of(org, membership.id))
            services.set_availability(org, membership, windows)
            audit.record(org, g.membership.person_id, "people.availability_set", "membership", membership.id,
                         now=utcnow(), changes={"availability": [before, format_availability(windows)]})
            flash("Availability saved." if windows else "Saved: no stated limits.", "success")
            return redirect(_urls(membership, own)["pattern"])
    return _page(org, membership, own, pattern_form=form, status=400)


def _add_leave(org: Organisation, membership: Membership, own: bool) -> ResponseReturnValue:
    """Record leave from the form, or show the page again with the error on its field."""
    form = LeaveForm()
    if form.validate_on_submit():
        try:
            leave = leave_service.add_leave(org, membership, form.starts_on.data, form.ends_on.data,
                                            form.reason.data, local_date(utcnow(), org.timezone))
        except services.ServiceError as error:
            getattr(form, error.field or "starts_on").errors = [str(error)]
        else:
            # the reason may say why someone is away (health, family): it stays out of the trail
            audit.record(org, g.membership.person_id, "people.leave_add", "membership", membership.id,
                         now=utcnow(), leave_id=leave.id, starts_on=leave.starts_on, ends_on=leave.ends_on)
            flash("Leave saved.", "success")
            return redirect(_urls(membership, own)["pattern"] + "#leave")
    return _page(org, membership, own, leave_form=form, status=400)


def _remove_leave(org: Organisation, membership: Membership, own: bool, leave_id: int) -> Response:
    """Remove one leave entry (someone else's id is quietly ignored)."""
    if leave_service.remove_leave(org, membership, leave_id):
        audit.record(org, g.membership.person_id, "people.leave_remove", "membership", membership.id,
                     now=utcnow(), leave_id=leave_id)
        flash("Leave removed.", "success")
    return redirect(_urls(membership, own)["pattern"] + "#leave")


@member_required
def my_availability() -> ResponseReturnValue:
    """Show or save my weekly availability in the current organisation."""
    org = current_org()
    return _save_pattern(org, g.membership, True) if request.method == "POST" else _page(org, g.membership, True)


@member_required
def add_my_leave() -> ResponseReturnValue:
    """Record my leave."""
    return _add_leave(current_org(), g.membership, True)


@member_required
def remove_my_leave(leave_id: int) -> ResponseReturnValue:
    """Remove one of my leave entries."""
    return _remove_leave(current_org(), g.membership, True, leave_id)


@coordinator_required
def member_availability(membership_id: int) -> ResponseReturnValue:
    """Show or save a member's weekly availability (coordinators)."""
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    return _save_pattern(org, membership, False) if request.method == "POST" else _page(org, membership, False)


@coordinator_required
def add_member_leave(membership_id: int) -> ResponseReturnValue:
    """Record a member's leave (coordinators)."""
    org = current_org()
    return _add_leave(org, site_limits.member_or_404(org, membership_id), False)


@coordinator_required
def remove_member_leave(membership_id: int, leave_id: int) -> ResponseReturnValue:
    """Remove one of a member's leave entries (coordinators)."""
    org = current_org()
    return _remove_leave(org, site_limits.member_or_404(org, membership_id), False, leave_id)
