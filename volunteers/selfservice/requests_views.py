"""Coordinator pages for self-service: pending requests and offers, no-shows, and the outbox.

``/rota/requests`` lists late cancellations, swaps waiting for approval,
open offers and sign-ups held back by a critical load warning, each with
approve / decline (all of them, first: they wait for an answer); then the
places to mark a no-show on — by default those of shifts under way or
ended in the last 48 hours, ``?noshows=older`` for the rest of the
fortnight — 25 to a page (``?page=``).
``/outbox`` lists the organisation's recent e-mails and their state (in
``make run`` mail goes to the console; this page shows what was sent).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from volunteers.contributions import no_shows
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org, scoped
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift
from volunteers.selfservice import swaps
from volunteers.selfservice.services import SelfServiceError

KIND_LABELS = {
    "cancel_request": "Late cancellation",
    "swap": "Swap",
    "signup_request": "Sign-up (load warning)",
}


#: no-show buttons by default for shifts ended this long ago at most (and shifts under way)
RECENT = timedelta(hours=48)
PAGE_SIZE = 25


@dataclass(frozen=True)
class NoShowPage:
    places: list[Assignment]
    window: str  #: recent or older
    page: int
    pages: int
    total: int


def no_show_page(org: Organisation, now: datetime, window: str, page: int) -> NoShowPage:
    """Return one page of the places to mark a no-show on: ``recent`` (ended ≤ 48 h ago) or ``older``."""
    stmt = (scoped(Assignment, org)
            .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
            .where(Shift.starts_at <= now, Shift.status == "planned",
                   Assignment.status.in_(("assigned", "confirmed", "attended", "no_show"))))
    if window == "older":
        stmt = stmt.where(Shift.ends_at <= now - RECENT,
                          Shift.starts_at > now - timedelta(days=no_shows.MARKABLE_DAYS))
    else:
        stmt = stmt.where(Shift.ends_at > now - RECENT)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    places = list(db.session.scalars(
        stmt.options(selectinload(Assignment.shift).selectinload(Shift.role),
                     selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Shift.starts_at.desc(), Assignment.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return NoShowPage(places, window, page, pages, total)


@coordinator_required
def list_requests() -> ResponseReturnValue:
    """List the pending requests and offers, then one page of places to mark a no-show on."""
    org = current_org()
    now = utcnow()
    window = "older" if request.args.get("noshows") == "older" else "recent"
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    offers = swaps.pending_requests(org, now)
    people = swaps.members_by_id(org, {i for o in offers for i in (o.taken_by_membership_id,
                                                                   o.offered_to_membership_id) if i})
    spans = {o.id: format_span(o.shift.starts_at, o.shift.ends_at, org.timezone) for o in offers if o.shift}
    listing = no_show_page(org, now, window, page)
    place_spans = {a.id: format_span(a.shift.starts_at, a.shift.ends_at, org.timezone) for a in listing.places}
    return render_template("requests/requests.html", offers=offers, people=people, spans=spans, labels=KIND_LABELS,
                           places=listing.places, listing=listing, place_spans=place_spans, org=org,
                           recent_hours=int(RECENT.total_seconds() // 3600), markable_days=no_shows.MARKABLE_DAYS)


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
    back = url_for("requests.list_requests", noshows=request.args.get("noshows") or None,
                   page=request.args.get("page") or None)
    return redirect(back + "#no-shows")


@coordinator_required
def outbox() -> ResponseReturnValue:
    """List the organisation's last hundred e-mails and whether they went."""
    org = current_org()
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.organisation_id == org.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(100)
    ).all()
    return render_template("requests/outbox.html", messages=messages, org=org)
