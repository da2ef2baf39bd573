"""The volunteer's waiting-list buttons: join a full shift's list, leave it, take or decline an offered place.

Plain form POSTs that redirect with a message, like the rest of ``me_views``;
another organisation's shift or someone else's entry is a 404.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from volunteers.core.auth import member_required
from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_span, utcnow
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Shift
from volunteers.selfservice import waiting_list
from volunteers.selfservice.me_views import _locate, _refused
from volunteers.selfservice.services import SelfServiceError
from volunteers.selfservice.waiting_list_models import WaitingListEntry


def _my_entry(entry_id: int) -> tuple[Organisation, Membership, WaitingListEntry]:
    """Find one of my own entries in my organisations, or 404."""
    memberships = {m.organisation_id: m for m in g.memberships}
    entry = db.session.scalar(select(WaitingListEntry).where(
        WaitingListEntry.id == entry_id, WaitingListEntry.organisation_id.in_(memberships)))
    if entry is None or entry.membership_id != memberships[entry.organisation_id].id:
        abort(404)
    membership = memberships[entry.organisation_id]
    return membership.organisation, membership, entry


def _what(shift: Shift, org: Organisation) -> str:
    return f"{shift.role.name}, {format_span(shift.starts_at, shift.ends_at, org.timezone)}"


@member_required
def join(shift_id: int) -> ResponseReturnValue:
    """Join a full shift's waiting list."""
    org, membership, shift = _locate(Shift, shift_id)
    try:
        waiting_list.join(org, membership, shift.id, utcnow())
    except SelfServiceError as error:
        return _refused(error, url_for("me.open_shifts"))
    flash(f"You're on the waiting list for {_what(shift, org)}. If a place frees, we'll offer it to you.",
          "success")
    return redirect(url_for("me.shifts") + "#waiting")


@member_required
def leave(entry_id: int) -> ResponseReturnValue:
    """Leave a waiting list (an open offer goes to the next person)."""
    org, membership, entry = _my_entry(entry_id)
    try:
        waiting_list.leave(org, membership, entry.id, utcnow())
    except SelfServiceError as error:
        return _refused(error, url_for("me.shifts") + "#waiting")
    flash(f"You've left the waiting list for {_what(entry.shift, org)}.", "success")
    return redirect(url_for("me.shifts") + "#waiting")


@member_required
def accept(entry_id: int) -> ResponseReturnValue:
    """Take the place offered from the waiting list (load warnings are shown to confirm first)."""
    org, membership, entry = _my_entry(entry_id)
    try:
        outcome = waiting_list.accept(org, membership, entry.id, utcnow(),
                                      confirmed=request.form.get("confirmed") == "1")
    except SelfServiceError as error:
        return _refused(error, url_for("me.shifts") + "#waiting")
    shift = entry.shift
    if outcome.status == "confirm":
        return render_template("me/confirm.html", action=url_for("me.accept_waiting_offer", entry_id=entry.id),
                               org=org, shift=shift, when=format_span(shift.starts_at, shift.ends_at, org.timezone),
                               warnings=outcome.warnings, verb="Take this shift")
    flash(f"The place is yours: {_what(shift, org)}. Thank you!", "success")
    return redirect(url_for("me.shifts"))


@member_required
def decline(entry_id: int) -> ResponseReturnValue:
    """Say no to the place offered; it goes to the next person on the list."""
    org, membership, entry = _my_entry(entry_id)
    try:
        waiting_list.decline(org, membership, entry.id, utcnow())
    except SelfServiceError as error:
        return _refused(error, url_for("me.shifts") + "#waiting")
    flash("Thanks for letting us know — the place goes to the next person on the list.", "success")
    return redirect(url_for("me.shifts") + "#waiting")
