"""One shift: its people, its ranked candidates, assigning (with overrides), removing, cancelling.

From the board a coordinator fills a gap in a few clicks: the shift opens
its panel (htmx, or a page without JavaScript), a candidate's Assign button
puts them on. When the assignment needs an override — the person is not
eligible, or would cross a load threshold — the panel asks for it: one
click for a warning, a typed reason for ineligibility or a critical
warning. Answers swap the panel and the board's card in place. A place
out for cover shows who was asked in which wave, and a coordinator can ask
one of the candidates by hand (``selfservice.cover_waves``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from volunteers.autofill import assign as assigning
from volunteers.autofill import panel_kept
from volunteers.autofill import undo as undoing
from volunteers.autofill.panel_markup import candidate_rows
from volunteers.autofill.ranking import DEFAULT_LIMIT, CandidateList, candidate_list
from volunteers.core import audit, csrf_tokens
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.params import parse_id
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import utcnow
from volunteers.rota import leave_notes, queries, services, site_scope
from volunteers.rota.cover_queries import cover_views
from volunteers.rota.forms import NeededForm
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError

MAX_REASON = 500


def _htmx() -> bool:
    # htmx restoring history it no longer holds asks for the whole page (the pushed /rota/shifts/<id>)
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _undo_offer(org: Organisation, assignment: Assignment, action: str) -> undoing.UndoOffer:
    return undoing.offer(current_app.config["SECRET_KEY"], org, assignment, action, utcnow())


def _still_offered(org: Organisation) -> undoing.UndoOffer | None:
    """The undo offer carried by a no-JS redirect (``?undo=``), if it is still valid now."""
    token = request.args.get("undo")
    if not token:
        return None
    try:
        _, action, expires = undoing.read(current_app.config["SECRET_KEY"], org, token, utcnow())
    except undoing.UndoError:
        return None
    return undoing.UndoOffer(token, action, expires)


class NeededFormTag:
    """The panel's ``needed_form``: what ``rota.forms.NeededForm(needed=shift.needed).hidden_tag()`` writes.

    The template draws nothing of that form but its hidden fields (the "People needed" input is written out
    by hand), and a ``NeededForm``'s only hidden field is the CSRF token: binding the form on every panel to
    write that one input was ~0.1 ms. The same markup as Flask-WTF's: the input when forms carry CSRF
    (``WTF_CSRF_ENABLED``), under ``WTF_CSRF_FIELD_NAME``, with the request's token as ``FastForm``'s meta
    makes it (``core.csrf_tokens.request_token`` of ``WTF_CSRF_SECRET_KEY`` or the secret key); nothing when
    they do not (tests/integration/autofill/test_panel_markup.py compares it with the form's). ``token``, when
    given, stands in for the request's (a panel made to be kept: ``autofill.panel_kept.TOKEN_MARK``).
    """

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def hidden_tag(self) -> Markup:
        config = current_app.config
        if not config.get("WTF_CSRF_ENABLED", True):
            return Markup("")
        name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        token = self.token if self.token is not None else csrf_tokens.request_token(
            config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key), name)
        return Markup(f'<input id="{escape(name)}" name="{escape(name)}" type="hidden" value="{escape(token)}">')


_NEEDED_FORM = NeededFormTag()
#: the form made to be kept, the token's stand-in where the token goes
_MARKED_NEEDED_FORM = NeededFormTag(panel_kept.TOKEN_MARK)


def panel(org: Organisation, shift: Shift, *, status: int = 200, now: datetime | None = None,
          slot: panel_kept.Slot | None = None, **extra: object) -> Response:
    """Render the shift's panel (a partial for htmx, a page otherwise); with ``slot``, keep it there when it may
    be kept (``autofill.panel_kept``)."""
    show_all = request.values.get("all") == "1"
    if now is None:
        now = utcnow()
    places = queries.places_on(org, shift.id)
    people = [a.membership for a in places]
    assignments = {a.membership_id: a for a in places}
    away = {a.membership_id: a for a in leave_notes.away_from_shift(
        org, shift.starts_at, shift.ends_at, [(m.id, m.person.name) for m in people])}  # one query
    covers = cover_views(org, shift_ids=[shift.id])
    # the candidates are judged only when the panel shows them: "who could take it" (an open shift with a gap)
    # or a live cover request's "ask someone by hand"; a past, cancelled or full shift's panel has neither
    # (judging 500 people for a past shift was most of its panel on a large organisation)
    listing = candidate_list(org, shift, now, include_ineligible=show_all, assigned=assignments,
                             limit=None if request.values.get("more") == "1" else DEFAULT_LIMIT) if (
        shift.status == "planned" and shift.ends_at > now and shift.needed > len(people)
        or any(c.live for c in covers)) else None
    context = dict(shift=shift, listing=listing, people=people, assignments=assignments, show_all=show_all, away=away,
                   org=org, now=now, needed_form=_NEEDED_FORM, covers=covers,
                   candidate_rows=candidate_rows, **extra)
    template = "rota/_shift_panel.html" if _htmx() else "rota/shift.html"
    holds = None if slot is None or any(v is not None for v in extra.values()) else _holds(shift, listing, now)
    if slot is not None and holds is not None:
        kept = _made_to_keep(slot, template, context, holds)
        if kept is not None:
            return make_response(kept, status)
    response = make_response(render_template(template, **context), status)
    if extra.get("refresh_card"):
        response.headers["HX-Trigger"] = "rota-changed"  # the board reloads itself (see rota/_board.html)
    return response


def _holds(shift: Shift, listing: CandidateList | None, now: datetime) -> tuple[float, float] | None:
    """The open interval of instants around ``now`` over which the panel made now is the same (None: unknown).

    The panel reads the clock in two ways: whether the shift has ended (``open``, and so whether candidates
    are listed), and the candidates' would-be warnings (:attr:`CandidateList.steady`).
    """
    ends = shift.ends_at.timestamp()
    after, before = (float("-inf"), ends) if shift.ends_at > now else (ends, float("inf"))
    if listing is not None:
        if listing.steady is None:
            return None
        after, before = max(after, listing.steady[0]), min(before, listing.steady[1])
    return after, before


def _made_to_keep(slot: panel_kept.Slot, template: str, context: dict[str, Any],
                  holds: tuple[float, float]) -> bytes | None:
    """Render the panel with stand-ins for the token and the page top, keep it in ``slot``, and return it as
    this request's; None when it cannot be kept (the template's shape changed), to be rendered as always."""
    text = render_template(template, **{**context, "csrf_token": _token_mark, "needed_form": _MARKED_NEEDED_FORM,
                                        "page_top": panel_kept.page_top_mark})
    token_of = cast(Callable[[], str], current_app.jinja_env.globals["csrf_token"])  # what the template calls
    return slot.keep(text, *holds, token_of())


def _token_mark() -> str:
    return panel_kept.TOKEN_MARK


@coordinator_required
def show_shift(shift_id: int) -> ResponseReturnValue:
    org, now = current_org(), utcnow()
    undo = _still_offered(org)
    slot = None if undo is not None else panel_kept.slot(
        org, shift_id, g.membership, now, show_all=request.values.get("all") == "1",
        more=request.values.get("more") == "1", partial=_htmx())
    if slot is not None:
        token_of = cast(Callable[[], str], current_app.jinja_env.globals["csrf_token"])
        kept = slot.served(token_of())
        if kept is not None:
            return make_response(kept)
    shift = queries.shift_with_place(org, shift_id, viewer=g.membership)
    if shift is None:
        abort(404)  # also another organisation's shift, or another site's for a coordinator limited to some
    return panel(org, shift, now=now, slot=slot, undo=undo)


@coordinator_required
def assign(shift_id: int) -> ResponseReturnValue:
    org = current_org()
    shift = site_scope.shift_or_404(org, shift_id, g.membership)
    try:
        membership_id = parse_id(request.form.get("membership_id"))
    except ValueError:
        abort(400)
    reason = (request.form.get("reason") or "").strip()
    if len(reason) > MAX_REASON:
        return panel(org, shift, status=422, error=f"Keep the reason under {MAX_REASON} characters.")
    try:
        outcome = assigning.assign(
            org, shift.id, membership_id, actor_person_id=g.membership.person_id, now=utcnow(),
            override_reason=reason or None, accept_warnings=request.form.get("accept") == "1",
        )
    except PlaceError as error:
        return panel(org, shift, status=409, error=str(error))
    if outcome.needs:
        # asked again after answering: the answer was not enough (an empty reason)
        status = 422 if request.form.get("confirming") == "1" else 200
        return panel(org, shift, status=status, outcome=outcome)
    message = f"{outcome.membership.person.name} is on the shift."
    assert outcome.assignment is not None
    offer = _undo_offer(org, outcome.assignment, "assign")
    if not _htmx():
        flash(message, "success")
        return redirect(url_for("shifts.show_shift", shift_id=shift.id, undo=offer.token))
    return panel(org, shift, message=message, refresh_card=True, undo=offer)


@coordinator_required
def remove_assignment(assignment_id: int) -> ResponseReturnValue:
    org = current_org()
    assignment = get_scoped_or_404(Assignment, org, assignment_id)
    site_scope.shift_or_404(org, assignment.shift_id, g.membership)  # another site's place: 404 as well
    try:
        services.remove_assignment(org, assignment.id, utcnow(), g.membership.person_id)
    except PlaceError as error:
        return panel(org, assignment.shift, status=409, error=str(error))
    message = f"{assignment.membership.person.name} is off the shift; the place is open again."
    offer = _undo_offer(org, assignment, "remove")
    if not _htmx():
        flash(message, "success")
        return redirect(url_for("shifts.show_shift", shift_id=assignment.shift_id, undo=offer.token))
    return panel(org, assignment.shift, message=message, refresh_card=True, undo=offer)


@coordinator_required
def set_needed(shift_id: int) -> ResponseReturnValue:
    org = current_org()
    shift = site_scope.shift_or_404(org, shift_id, g.membership)
    form = NeededForm()
    if not form.validate_on_submit():
        return panel(org, shift, status=422, error="People needed must be a number from 1 to 100.")
    before = shift.needed
    try:
        services.set_needed(org, shift, form.needed.data)
    except ServiceError as error:
        return panel(org, shift, status=422, error=str(error))
    audit.record(org, g.membership.person_id, "shifts.update", "shift", shift.id, now=utcnow(),
                 changes={"needed": [before, form.needed.data]} if before != form.needed.data else {})
    if not _htmx():
        flash("Saved.", "success")
        return redirect(url_for("shifts.show_shift", shift_id=shift.id))
    return panel(org, shift, message="Saved.", refresh_card=True)


@coordinator_required
def cancel_shift(shift_id: int) -> ResponseReturnValue:
    org = current_org()
    shift = site_scope.shift_or_404(org, shift_id, g.membership)
    reason = (request.form.get("reason") or "").strip()[:MAX_REASON] or None
    try:
        told = services.cancel_shift(org, shift, utcnow(), g.membership.person_id, reason)
    except ServiceError as error:
        return panel(org, shift, status=422, error=str(error))
    flash(f"Shift cancelled; {told} {'person' if told == 1 else 'people'} will be told by e-mail.", "success")
    return redirect(url_for("rota.board", week=shift.local_date.isoformat()))


@coordinator_required
def undo(shift_id: int) -> ResponseReturnValue:
    """Reverse the assignment or removal the panel just offered to undo (same services, same checks)."""
    org = current_org()
    shift = site_scope.shift_or_404(org, shift_id, g.membership)
    try:
        undone, outcome = undoing.undo(current_app.config["SECRET_KEY"], org, request.form.get("token", ""),
                                       shift_id=shift.id, actor_person_id=g.membership.person_id, now=utcnow())
    except (undoing.UndoError, PlaceError) as error:
        return panel(org, shift, status=409, error=str(error))
    if outcome is not None and outcome.needs:
        return panel(org, shift, outcome=outcome)  # putting them back needs an override: asked as for any assignment
    name = undone.membership.person.name
    message = f"Undone: {name} is back on the shift." if outcome else f"Undone: {name} is off the shift."
    if not _htmx():
        flash(message, "success")
        return redirect(url_for("shifts.show_shift", shift_id=shift.id))
    return panel(org, shift, message=message, refresh_card=True)
