"""Coordinator pages for self-service: pending requests and offers, no-shows, and the outbox.

``/rota/requests`` lists late cancellations, swaps waiting for approval,
open offers and sign-ups held back by a critical load warning, each with
approve / decline; and the places of the last fortnight, to mark a no-show.
``/outbox`` lists the organisation's recent e-mails and their state (in
``make run`` mail goes to the console; this page shows what was sent).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from volunteers.contributions import no_shows
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.selfservice import swaps
from volunteers.selfservice.services import SelfServiceError

KIND_LABELS = {
    "cancel_request": "Late cancellation",
    "swap": "Swap",
    "signup_request": "Sign-up (load warning)",
}


@coordinator_required
def list_requests() -> ResponseReturnValue:
    """List the pending requests and offers, and the recent places to mark a no-show on."""
    org = current_org()
    now = utcnow()
    offers = swaps.pending_requests(org, now)
    people = swaps.members_by_id(org, {i for o in offers for i in (o.taken_by_membership_id,
                                                                   o.offered_to_membership_id) if i})
    spans = {o.id: format_span(o.shift.starts_at, o.shift.ends_at, org.timezone) for o in offers if o.shift}
    places = no_shows.to_mark(org, now)
    place_spans = {a.id: format_span(a.shift.starts_at, a.shift.ends_at, org.timezone) for a in places}
    return render_template("requests/requests.html", offers=offers, people=people, spans=spans, labels=KIND_LABELS,
                           places=places, place_spans=place_spans, org=org)


@coordinator_required
def approve_request(offer_id: int) -> ResponseReturnValue:
    """Carry out a pending request; the people concerned are e-mailed."""
    try:
        swaps.approve(current_org(), offer_id, g.membership.person_id, utcnow())
    except SelfServiceError as error:
        if error.code == "not_found":
            abort(404)
        flash(str(error), "error")
    else:
        flash("Approved; the people concerned have been told.", "success")
    return redirect(url_for("requests.list_requests"))


@coordinator_required
def decline_request(offer_id: int) -> ResponseReturnValue:
    """Decline a pending request, with an optional reason for the asker."""
    try:
        swaps.decline(current_org(), offer_id, g.membership.person_id, utcnow(), request.form.get("reason"))
    except SelfServiceError as error:
        if error.code == "not_found":
            abort(404)
        flash(str(error), "error")
    else:
        flash("Declined; they have been told.", "success")
    return redirect(url_for("requests.list_requests"))


@coordinator_required
def mark_no_show(assignment_id: int) -> ResponseReturnValue:
    """Record that someone did not come to a recent shift."""
    try:
        assignment = no_shows.mark_no_show(current_org(), assignment_id, g.membership.person_id, utcnow())
    except ServiceError as error:
        if error.field == "assignment_id":
            abort(404)
        flash(str(error), "error")
    else:
        flash(f"Marked: {assignment.membership.person.name} did not come "
              f"({assignment.membership.no_show_count} missed in all).", "success")
    return redirect(url_for("requests.list_requests") + "#no-shows")


@coordinator_required
def outbox() -> ResponseReturnValue:
    """List the organisation's last hundred e-mails and whether they went."""
    org = current_org()
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.organisation_id == org.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(100)
    ).all()
    return render_template("requests/outbox.html", messages=messages, org=org)
