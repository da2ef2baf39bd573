"""The volunteer's own pages: my shifts (every organisation), open shifts, sign up, cancel, swap, calendar.

A person may belong to several organisations: records are looked up among
the organisations of their own memberships (``_locate``), so another
organisation's shift, place or offer id is a 404, and acting on a shift
needs no switching of the "current" organisation first. Views parse the
form, call one service and redirect with a message (plain form POSTs:
they work on any phone, with or without JavaScript).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from volunteers.core.auth import member_required
from volunteers.core.models import Organisation
from volunteers.core.params import parse_id
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice import calendar_feed, open_kept_page, open_list, open_pages, swaps
from volunteers.selfservice import services as self_service
from volunteers.selfservice.me_kept_page import my_shifts
from volunteers.selfservice.messages import eligible_members
from volunteers.selfservice.open_markup import full_rows, open_rows
from volunteers.selfservice.services import SelfServiceError

#: the records a volunteer acts on from these pages (each has ``id`` and ``organisation_id``)
M = TypeVar("M", Shift, Assignment, ShiftOffer)


def _locate(model: type[M], record_id: int) -> tuple[Organisation, Membership, M]:
    """Find a record in one of the signed-in person's organisations, or 404."""
    memberships = {m.organisation_id: m for m in g.memberships}
    record = db.session.scalar(
        select(model).where(model.id == record_id, model.organisation_id.in_(memberships))
    )
    if record is None:
        abort(404)
    membership = memberships[record.organisation_id]
    return membership.organisation, membership, record


def _refused(error: SelfServiceError, back: str) -> Response:
    """Turn a refused action into a 404 (not theirs) or a flashed message and a redirect."""
    if error.code == "not_found":
        abort(404)
    flash(str(error), "error")
    return redirect(back)


@member_required
def shifts() -> ResponseReturnValue:
    """Show my upcoming and recent shifts in every organisation, offers open to me and my calendar link."""
    # the announcements are read with the page's probe (one statement); the page kept while it would be the same
    return my_shifts(current_user, g.memberships, utcnow())


@member_required
def open_shifts() -> ResponseReturnValue:
    """List the open shifts I may take, in all my organisations."""
    now = utcnow()
    asked = _open_asked()
    # the organisations' change marks first: the page made at the same marks, while the clock lets it stand
    filters, _, after, before = asked  # the links' filters follow from the filters
    at = open_kept_page.at_mark(current_user.id, g.memberships, (filters, after, before), now)
    found = open_kept_page.served_at_mark(at)
    if found is not None:
        return found
    # else made (from the kept text when made of the same values), and kept at the marks
    return open_kept_page.open_page(_open_page(now, asked, steady=True), current_user.id, at)


#: the weekday filter's choices (0 = Monday, as ``date.weekday``)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _id_or_none(text: str | None) -> int | None:
    try:
        return parse_id(text) if text else None
    except ValueError:
        return None  # a filter that is not a record number narrows nothing


def _open_filters() -> tuple[open_pages.Filters, dict[str, str]]:
    """The filters in the query string, and those of them that are valid (kept in the paging links)."""
    args = request.args
    kept: dict[str, str] = {}
    role_id, site_id = _id_or_none(args.get("role")), _id_or_none(args.get("site"))
    day = weekday = None
    try:
        day = date.fromisoformat(args["day"]) if args.get("day") else None
    except ValueError:
        day = None
    if args.get("weekday", "") in {str(n) for n in range(7)}:
        weekday = int(args["weekday"])
    for name, value in (("role", role_id), ("site", site_id), ("day", day), ("weekday", weekday)):
        if value is not None:
            kept[name] = str(value)
    return open_pages.Filters(role_id, site_id, day, weekday), kept


#: the page asked for: the filters, those of them kept in its links, and the cursor after or before which it starts
Asked = tuple[open_pages.Filters, dict[str, str], open_pages.Key | None, open_pages.Key | None]


def _open_asked() -> Asked:
    """The filters and cursor of the query string."""
    filters, kept = _open_filters()
    after = open_pages.decode_key(request.args.get("after"))
    before = None if after is not None else open_pages.decode_key(request.args.get("before"))
    return filters, kept, after, before


def _open_page(now: datetime, asked: Asked | None = None, steady: bool = False) -> dict[str, Any]:
    """A page of the open shifts I may take, and the full ones whose waiting list I may join (or am on);
    ``steady``: with until when it stands if no row changes (``steady_until``)."""
    filters, kept, after, before = asked or _open_asked()
    # shifts whose free places are all held by waiting-list offers are full to a newcomer: with ``full``,
    # those of the same stretch of time as the page; one candidate judges both lists
    paged = open_list.open_list(g.memberships, now, after=after, before=before, filters=filters, steady=steady)
    roles, sites = open_pages.filter_choices(g.memberships)
    return {"items": paged.items, "full": paged.full, "many": len(g.memberships) > 1,
            "steady_until": paged.steady_until, "filters": filters, "filtered": bool(kept), "roles": roles,
            "sites": sites, "weekdays": WEEKDAYS,
            "earlier_url": _open_url(kept, before=paged.earlier), "later_url": _open_url(kept, after=paged.later),
            "first_page": after is None and before is None,
            "open_rows": open_rows, "full_rows": full_rows}  # each row's markup in one Python pass


def _open_url(kept: dict[str, str], **cursor: open_pages.Key | None) -> str | None:
    """The link to the page before or after a key, with the filters kept (None: no such page)."""
    (name, key), = cursor.items()
    if key is None:
        return None
    args: dict[str, Any] = {**kept, name: open_pages.encode_key(key)}
    return url_for("me.open_shifts", **args)


def _span(shift: Shift, org: Organisation) -> str:
    """Return the shift's times in its organisation's zone."""
    return format_span(shift.starts_at, shift.ends_at, org.timezone)


@member_required
def sign_up(shift_id: int) -> ResponseReturnValue:
    """Take an open place, ask to confirm a load warning first, or pass a critical one to the coordinator."""
    org, membership, shift = _locate(Shift, shift_id)
    try:
        outcome = self_service.sign_up(org, membership, shift.id, utcnow(),
                                       confirmed=request.form.get("confirmed") == "1")
    except SelfServiceError as error:
        if error.code == "not_found":
            abort(404)
        return render_template("me/open.html", **_open_page(utcnow()), error=str(error)), 409
    if outcome.status == "confirm":
        return render_template("me/confirm.html", action=url_for("me.sign_up", shift_id=shift.id), org=org,
                               shift=shift, when=_span(shift, org), warnings=outcome.warnings, verb="Sign me up")
    if outcome.status == "requested":
        flash("That would be a lot on top of your other shifts, so we've asked your coordinator first. "
              "You'll get an e-mail when they decide.", "info")
    else:
        flash(f"You're on: {shift.role.name}, {_span(shift, org)}. Thank you!", "success")
    return redirect(url_for("me.shifts"))


@member_required
def cancel_place(assignment_id: int) -> ResponseReturnValue:
    """Ask to confirm, then cancel in time or ask the coordinator (inside the notice period)."""
    org, membership, assignment = _locate(Assignment, assignment_id)
    now = utcnow()
    if assignment.membership_id != membership.id:
        abort(404)
    if request.method == "POST":
        try:
            outcome = self_service.cancel(org, membership, assignment.id, now, note=request.form.get("note"))
        except SelfServiceError as error:
            return _refused(error, url_for("me.shifts"))
        if outcome.status == "cancelled":
            flash(f"Cancelled: {assignment.shift.role.name}, {_span(assignment.shift, org)}. "
                  "Your coordinator has been told.", "success")
        else:
            flash("It's close to the shift, so your coordinator has been asked to release you, and other "
                  "volunteers have been asked to cover. You're still on it until then.", "info")
        return redirect(url_for("me.shifts"))
    hours = self_service.notice_hours(org)
    in_time = self_service.may_self_cancel(assignment.shift.starts_at, now, hours)
    return render_template("me/cancel.html", org=org, assignment=assignment, shift=assignment.shift,
                           when=_span(assignment.shift, org), in_time=in_time, hours=f"{hours:g}")


@member_required
def offer_place(assignment_id: int) -> ResponseReturnValue:
    """Choose a colleague (or everyone eligible), then offer them my place."""
    org, membership, assignment = _locate(Assignment, assignment_id)
    if assignment.membership_id != membership.id:
        abort(404)
    if request.method == "POST":
        try:
            to_id = parse_id(request.form.get("to")) if request.form.get("to") not in (None, "", "0") else None
        except ValueError:
            to_id = None
        try:
            offer = swaps.offer_place(org, membership, assignment.id, utcnow(), to_id, request.form.get("note"))
        except SelfServiceError as error:
            return _refused(error, url_for("me.offer_place", assignment_id=assignment.id))
        flash("Offered to " + ("your colleague." if offer.offered_to_membership_id else "everyone who can do it.")
              + " You stay on the shift until someone takes it.", "success")
        return redirect(url_for("me.shifts"))
    colleagues = sorted(eligible_members(org, assignment.shift, exclude=[membership.id]), key=lambda m: m.person.name)
    return render_template("me/offer.html", org=org, assignment=assignment, shift=assignment.shift,
                           when=_span(assignment.shift, org), colleagues=colleagues)


@member_required
def accept_offer(offer_id: int) -> ResponseReturnValue:
    """Take a place someone offered, or wait for the coordinator when swaps need approval."""
    org, membership, offer = _locate(ShiftOffer, offer_id)
    try:
        outcome = swaps.accept_offer(org, membership, offer.id, utcnow(),
                                     confirmed=request.form.get("confirmed") == "1")
    except SelfServiceError as error:
        return _refused(error, url_for("me.shifts") + "#offers")
    shift = offer.shift
    assert shift is not None  # every offer a volunteer can accept names its shift (set by offer_place and cancel)
    if outcome.status == "confirm":
        return render_template("me/confirm.html", action=url_for("me.accept_offer", offer_id=offer.id), org=org,
                               shift=shift, when=_span(shift, org), warnings=outcome.warnings, verb="Take this shift")
    if outcome.status == "waiting":
        flash("Thank you! Your coordinator approves swaps; you'll get an e-mail when they have.", "info")
    else:
        flash(f"The shift is yours: {shift.role.name}, {_span(shift, org)}. Thank you for stepping in!", "success")
    return redirect(url_for("me.shifts"))


@member_required
def withdraw_offer(offer_id: int) -> ResponseReturnValue:
    """Withdraw my pending offer or request; I keep the place I had."""
    org, membership, offer = _locate(ShiftOffer, offer_id)
    try:
        swaps.withdraw(org, membership, offer.id, utcnow())
    except SelfServiceError as error:
        return _refused(error, url_for("me.shifts"))
    if offer.kind == "signup_request":
        flash("Request withdrawn.", "success")
    else:
        flash("Withdrawn. You're still on the shift.", "success")
    return redirect(url_for("me.shifts"))


@member_required
def new_calendar_link() -> ResponseReturnValue:
    """Make a new calendar feed URL; the old one stops working."""
    calendar_feed.regenerate_token(current_user)
    flash("Here is your new calendar link. Any old link has stopped working.", "success")
    return redirect(url_for("me.shifts") + "#calendar")


@member_required
def revoke_calendar_link() -> ResponseReturnValue:
    """Switch my calendar feed off."""
    calendar_feed.revoke_token(current_user)
    flash("Your calendar link is switched off.", "success")
    return redirect(url_for("me.shifts") + "#calendar")
