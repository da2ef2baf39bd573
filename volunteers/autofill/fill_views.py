"""The board's "Fill gaps": propose an auto-rota for the shown period, accept all or some.

``GET /rota/fill?kind=week&day=YYYY-MM-DD`` runs the auto-rota for the
week (or month) holding ``day`` and shows the proposal as a diff: who goes
where and why, each person's hours against their pledge before and after,
and the places left open with the reason. ``POST /rota/fill`` saves the
ticked places (checked again, as a coordinator's own choice would be),
then the coordinator publishes through the board's publish flow.
``/rota/fill/replace/<assignment id>`` proposes and saves a replacement
for a place someone gives up, changing as little else as possible.
"""
from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from volunteers.autofill.explain import describe, place_lines, place_lines_with
from volunteers.autofill.services import (
    period_bounds,
    propose_fill,
    propose_replacement,
    save_places,
)
from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.models import Organisation
from volunteers.core.params import parse_date
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db
from volunteers.rota import site_scope
from volunteers.rota.models import Assignment
from volunteers.rota.periods import Period
from volunteers.rota.places import release_place

WEB_TIME_LIMIT_S = 5.0  #: the solver's time on a page (the command line takes 10 s by default)
REPAIR_TIME_LIMIT_S = 3.0


def _period(values: MultiDict[str, str]) -> Period:
    """Read ``kind`` (week/month) and ``day`` (any date in it); 400 if unreadable."""
    kind = values.get("kind", "week")
    try:
        day = parse_date(values.get("day", ""))
    except ValueError:
        abort(400)
    if kind not in ("week", "month"):
        abort(400)
    return Period.of(kind, day)


def _kind(text: str) -> str:
    if text not in ("week", "month"):
        raise ValueError(text)
    return text


def _pick_period(org: Organisation, error: str | None = None) -> str:
    """The period picker: a week or a month, and a day inside it (next week by default)."""
    today = local_date(utcnow(), org.timezone)
    next_week = Period.of("week", today).next()
    return render_template("rota/fill_pick.html", error=error, day=request.args.get("day") or next_week.first,
                           kind=request.args.get("kind") if request.args.get("kind") in ("week", "month") else "week")


def _board_url(period: Period) -> str:
    if period.kind == "month":
        return url_for("rota.board", view="month", month=f"{period.first:%Y-%m}")
    return url_for("rota.board", week=period.first.isoformat())


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    """Parse ticked ``shift:member`` values; anything else is a bad request."""
    out = []
    for value in values:
        shift_id, _, member_id = value.partition(":")
        if not (shift_id.isdigit() and member_id.isdigit()):
            abort(400)
        out.append((shift_id, member_id))
    return out


@coordinator_required
def propose() -> ResponseReturnValue:
    org = current_org()
    if "day" not in request.args or "kind" not in request.args:
        return _pick_period(org)  # opened bare (a bookmark, the address bar): choose the period first
    try:
        period = Period.of(_kind(request.args.get("kind", "")), parse_date(request.args.get("day", "")))
    except ValueError:
        return _pick_period(org, error="Choose a week or a month and a date (YYYY-MM-DD) inside it."), 400
    try:
        proposal = propose_fill(org, period.first, period.last, utcnow(), time_limit_s=WEB_TIME_LIMIT_S,
                                viewer=g.membership)  # a site coordinator fills her sites' shifts only
    except ValueError as error:  # the organisation's load policy or someone's limits are unreadable
        flash(f"The auto-rota cannot run: {error}", "error")
        return redirect(_board_url(period))
    return render_template("rota/fill_proposal.html", report=describe(org, proposal), period=period,
                           board_url=_board_url(period))


@coordinator_required
def accept() -> ResponseReturnValue:
    org = current_org()
    period = _period(request.form)
    pairs = _pairs(request.form.getlist("place"))
    if not pairs:
        flash("Tick at least one place to save.", "error")
        return redirect(url_for("autofill.propose", kind=period.kind, day=period.first.isoformat()))
    applied = save_places(org, pairs, utcnow(), g.membership.person_id,
                          within=period_bounds(org, period.first, period.last), viewer=g.membership)
    saved = sorted(place_lines(org, [(str(a.shift_id), str(a.membership_id)) for a in applied]),
                   key=lambda row: (row[0].day, row[0].start, row[1]))
    # shifts that no longer exist are left out; each reason stays with its own place
    skipped = [((line, name), why) for line, name, why in place_lines_with(org, list(applied.skipped))]
    return render_template("rota/fill_result.html", saved=saved, skipped=skipped,
                           missing=len(applied.skipped) - len(skipped), period=period,
                           board_url=_board_url(period),
                           can_publish="rota.publish" in current_app.view_functions)


@coordinator_required
def replacement(assignment_id: int) -> ResponseReturnValue:
    org = current_org()
    assignment = get_scoped_or_404(Assignment, org, assignment_id)
    site_scope.shift_or_404(org, assignment.shift_id, g.membership)  # another site's place: 404, as on the panel
    try:
        proposal = propose_replacement(org, assignment, utcnow(), time_limit_s=REPAIR_TIME_LIMIT_S)
    except ValueError as error:
        return render_template("rota/fill_replace.html", error=str(error), assignment=assignment,
                               leaving=place_lines(org, [(str(assignment.shift_id),
                                                          str(assignment.membership_id))])), 409
    return render_template("rota/fill_replace.html", error=None, assignment=assignment,
                           leaving=place_lines(org, [(str(assignment.shift_id), str(assignment.membership_id))]),
                           report=describe(org, proposal),
                           moves=place_lines(org, [(p.shift_id, p.candidate_id) for p in proposal.released]))


@coordinator_required
def accept_replacement(assignment_id: int) -> ResponseReturnValue:
    """Save the replacement proposed now (the rota may have moved on since the page was shown)."""
    org = current_org()
    assignment = get_scoped_or_404(Assignment, org, assignment_id)
    site_scope.shift_or_404(org, assignment.shift_id, g.membership)  # another site's place: 404, as on the panel
    now = utcnow()
    try:
        proposal = propose_replacement(org, assignment, now, time_limit_s=REPAIR_TIME_LIMIT_S)
    except ValueError as error:
        flash(f"No replacement saved: {error}", "error")
        return redirect(url_for("autofill.replacement", assignment_id=assignment_id))
    if not proposal.assignments:
        flash("Nobody can take that place without crossing a limit; nothing changed.", "error")
        return redirect(url_for("autofill.replacement", assignment_id=assignment_id))
    release_place(org, assignment, now)
    audit.record(org, g.membership.person_id, "rota.replace", "assignment", assignment.id, now=now,
                 shift_id=assignment.shift_id, membership_id=assignment.membership_id,
                 moved=[[int(p.shift_id), int(p.candidate_id)] for p in proposal.released])
    for moved in proposal.released:  # someone leaves a shift to cover the gap; another takes theirs
        held = db.session.scalar(
            db.select(Assignment).where(Assignment.organisation_id == org.id,
                                        Assignment.shift_id == int(moved.shift_id),
                                        Assignment.membership_id == int(moved.candidate_id),
                                        Assignment.status.in_(("assigned", "confirmed"))))
        if held is not None:
            release_place(org, held, now)
    applied = save_places(org, [(p.shift_id, p.candidate_id) for p in proposal.assignments], now,
                          g.membership.person_id)
    if applied.skipped:
        db.session.rollback()
        flash("The rota changed while the replacement was worked out; nothing was saved. "
              "Here is a fresh proposal.", "error")
        return redirect(url_for("autofill.replacement", assignment_id=assignment_id))
    names = ", ".join(name for _, name in place_lines(
        org, [(p.shift_id, p.candidate_id) for p in proposal.assignments]))
    flash(f"Replacement saved: {names}.", "success")
    return redirect(url_for("rota.board", week=local_date(assignment.shift.starts_at, org.timezone).isoformat()))
