"""Coordinator pages for self-service: pending requests and offers, no-shows, and the outbox.

``/rota/requests`` lists late cancellations, swaps waiting for approval,
open offers and sign-ups held back by a critical load warning, each with
approve / decline — first, since they wait for an answer; those the
coordinator must answer before swaps still open to colleagues; 10 to a
page (``?requests_page=``), one kind with ``?kind=``. Then the places to
mark a no-show on — by default those of shifts under way or ended in the
last 48 hours, ``?noshows=older`` for the rest of the fortnight — 25 to a
page (``?page=``). The lists are read by ``request_pages``.
A late cancellation's card shows who was asked to cover, in which wave and
when (``rota.cover_queries``); ``ask_to_cover`` asks one more person by
hand from the shift's panel.
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
from volunteers.core.params import parse_id
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.rota import site_scope
from volunteers.rota.cover_models import CoverRequest
from volunteers.rota.cover_queries import cover_views
from volunteers.selfservice import cover_waves, swaps
from volunteers.selfservice.request_pages import (
    KIND_LABELS,
    RECENT,
    no_show_page,
    offer_visible,
    place_visible,
    request_page,
)
from volunteers.selfservice.services import SelfServiceError


def _page_number(name: str) -> int:
    """Return the page number ``?name=`` asks for; a bad one shows the first page."""
    try:
        return int(request.args.get(name, "1"))
    except ValueError:
        return 1


@coordinator_required
def list_requests() -> ResponseReturnValue:
    """List one page of the pending requests (``?kind=``, ``?requests_page=``), then one page of no-show places."""
    org = current_org()
    now = utcnow()
    window = "older" if request.args.get("noshows") == "older" else "recent"
    pending = request_page(org, now, request.args.get("kind"), _page_number("requests_page"), viewer=g.membership)
    offers = pending.offers
    people = swaps.members_by_id(org, {i for o in offers for i in (o.taken_by_membership_id,
                                                                   o.offered_to_membership_id) if i})
    spans = {o.id: format_span(o.shift.starts_at, o.shift.ends_at, org.timezone) for o in offers if o.shift}
    covers = {c.offer_id: [c] for c in cover_views(org, offer_ids=[o.id for o in offers if o.kind == "cancel_request"])}
    listing = no_show_page(org, now, window, _page_number("page"), viewer=g.membership)
    place_spans = {a.id: format_span(a.shift.starts_at, a.shift.ends_at, org.timezone) for a in listing.places}
    return render_template("requests/requests.html", offers=offers, pending=pending, people=people, spans=spans,
                           covers_by_offer=covers, labels=KIND_LABELS, places=listing.places, listing=listing,
                           place_spans=place_spans,
                           org=org, recent_hours=int(RECENT.total_seconds() // 3600),
                           markable_days=no_shows.MARKABLE_DAYS)


def _back_to_requests() -> str:
    """Return the requests page with the filter and page the coordinator was on (the form's query string)."""
    return url_for("requests.list_requests", kind=request.args.get("kind") or None,
                   requests_page=request.args.get("requests_page") or None)


@coordinator_required
def approve_request(offer_id: int) -> ResponseReturnValue:
    """Carry out a pending request; the people concerned are e-mailed."""
    if not offer_visible(current_org(), offer_id, g.membership):
        abort(404)  # another organisation's or (for a coordinator limited to some sites) another site's
    try:
        swaps.approve(current_org(), offer_id, g.membership.person_id, utcnow())
    except SelfServiceError as error:
        if error.code == "not_found":
            abort(404)
        flash(str(error), "error")
    else:
        flash("Approved; the people concerned have been told.", "success")
    return redirect(_back_to_requests())


@coordinator_required
def decline_request(offer_id: int) -> ResponseReturnValue:
    """Decline a pending request, with an optional reason for the asker."""
    if not offer_visible(current_org(), offer_id, g.membership):
        abort(404)
    try:
        swaps.decline(current_org(), offer_id, g.membership.person_id, utcnow(), request.form.get("reason"))
    except SelfServiceError as error:
        if error.code == "not_found":
            abort(404)
        flash(str(error), "error")
    else:
        flash("Declined; they have been told.", "success")
    return redirect(_back_to_requests())


@coordinator_required
def ask_to_cover(request_id: int) -> ResponseReturnValue:
    """Ask one more eligible person, chosen by the coordinator, to cover a place (audited); back to the shift."""
    org = current_org()
    cover = get_scoped_or_404(CoverRequest, org, request_id)
    site_scope.shift_or_404(org, cover.shift_id, g.membership)  # another site's, for a coordinator limited to some
    back = url_for("shifts.show_shift", shift_id=cover.shift_id)
    try:
        asked = cover_waves.ask_by_hand(org, cover, parse_id(request.form.get("membership_id")),
                                        g.membership.person_id, utcnow())
    except ValueError as error:  # ServiceError is one; parse_id's refusal of a malformed id another
        flash(str(error) if isinstance(error, ServiceError) else "Choose someone from the list.", "error")
        return redirect(back)
    how = "by text" if asked.channel == "sms" else "by e-mail"
    flash(f"{asked.membership.person.name} has been asked {how} to cover.", "success")
    return redirect(back)


@coordinator_required
def mark_no_show(assignment_id: int) -> ResponseReturnValue:
    """Record that someone did not come to a recent shift."""
    if not place_visible(current_org(), assignment_id, g.membership):
        abort(404)
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
