"""Coordinator pages that keep checks and training current: what is expiring, and supervision sessions.

Every write is audited; supervision notes stay out of the trail (they are
about a person's wellbeing), which records only that one was made.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people import site_limits, supervision
from volunteers.people.expiring import EXPIRED_SHOWN_DAYS, expiring_records
from volunteers.people.forms import SupervisionForm
from volunteers.people.models import QUALIFICATION_KINDS


@coordinator_required
def expiring() -> ResponseReturnValue:
    """Checks and training that expire within 60 days or lapsed lately, soonest first (one query)."""
    org = current_org()
    today = local_date(utcnow(), org.timezone)
    return render_template("people/expiring.html", rows=expiring_records(org, today), today=today,
                           expired_days=EXPIRED_SHOWN_DAYS, kinds=QUALIFICATION_KINDS)


def supervision_form(org_supervisors: list[tuple[int, str]]) -> SupervisionForm:
    """Return the session form with the organisation's coordinators to choose from."""
    form = SupervisionForm()
    form.supervisor_id.choices = [SelectChoice(0, "Someone else (say who in the note)")] + [
        SelectChoice(mid, name) for mid, name in org_supervisors]
    return form


@coordinator_required
def add_supervision(membership_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    form = supervision_form(supervision.supervisors(org))
    back = url_for("people.edit_person", membership_id=membership.id) + "#supervision"
    if not form.validate_on_submit():
        flash("Give the session's date (as YYYY-MM-DD) and keep the note under 2000 characters.", "error")
        return redirect(back)
    now = utcnow()
    before = membership.last_supervised_on
    try:
        session = supervision.record_session(org, membership, form.held_on.data, form.supervisor_id.data or None,
                                             form.note.data, local_date(now, org.timezone))
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(back)
    audit.record(org, g.membership.person_id, "people.supervision_add", "membership", membership.id, now=now,
                 session_id=session.id, held_on=session.held_on, supervisor_id=session.supervisor_membership_id,
                 last_supervised_on=[before, membership.last_supervised_on])
    flash(f"Supervision on {session.held_on:%-d %B %Y} recorded.", "success")
    return redirect(back)


@coordinator_required
def remove_supervision(membership_id: int, session_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    removed = supervision.remove_session(org, membership, session_id)
    if removed is None:
        abort(404)  # another member's, or another organisation's, session
    audit.record(org, g.membership.person_id, "people.supervision_remove", "membership", membership.id,
                 now=utcnow(), session_id=session_id, held_on=removed.held_on)
    flash("Supervision session removed.", "success")
    return redirect(url_for("people.edit_person", membership_id=membership.id) + "#supervision")
