"""/warnings: coordinators see open load warnings as one card per person and rule, and acknowledge or snooze them.

/warnings/history counts a month's warnings by their episodes (as the
monthly report's load section does) and lists them.
"""
from __future__ import annotations

from datetime import time
from typing import Any

from flask import abort, flash, g, get_template_attribute, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.numbers import hours as format_hours
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import Month, format_day, local_date, local_to_utc, utcnow, zone
from volunteers.extensions import db
from volunteers.wellbeing import services
from volunteers.wellbeing.forms import BLANK_FORM_TEXT, AcknowledgeForm, SnoozeForm
from volunteers.wellbeing.history import COUNTS, month_load
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.org_figures_cache import organisation_summary_cached
from volunteers.wellbeing.queries import (
    UNITS,
    PersonLoad,
    WarningView,
    visible_warnings,
    warnings_page,
    window_text,
)
from volunteers.wellbeing.warning_cards import RuleCard, rule_cards

SEVERITIES = ("critical", "warning", "notice")


def _render(failed: dict[int, tuple[AcknowledgeForm, SnoozeForm]] | None = None,
            status: int = 200) -> ResponseReturnValue:
    """Render the warnings page; ``failed`` forms (with their errors) stand in for their warning's blank ones."""
    org = current_org()
    severity = request.args.get("severity") if request.args.get("severity") in SEVERITIES else None
    now = utcnow()
    page = warnings_page(org, now, severity, summary=organisation_summary_cached, viewer=g.membership)

    def cards_of(person: PersonLoad) -> list[RuleCard]:
        return rule_cards(person.warnings, now)

    # blank forms are written as plain HTML (two WTForms objects a warning were a third of the page's time);
    # the forms' and shifts' URLs are joined from pieces made once (url_for per warning and shift was a fifth)
    forms = dict(failed or {})
    actions = get_template_attribute("wellbeing/_warning_actions.html", "actions")
    shared = (BLANK_FORM_TEXT, generate_csrf(), _around_id("wellbeing.acknowledge"), _around_id("wellbeing.snooze"))
    # the blank forms of every warning differ only by its id: rendered once (for each of the two shapes)
    blank = {acknowledged: str(actions(_ID_MARK, acknowledged, None, *shared)) for acknowledged in (False, True)}

    def actions_of(warning_id: int, acknowledged: bool, refused: Any) -> Markup:
        if refused:
            return actions(warning_id, acknowledged, refused, *shared)
        return Markup(blank[acknowledged].replace(_ID_MARK, str(warning_id)))

    week_url = escape(url_for("rota.board") + "?week=")
    rows_seen: dict[tuple, str] = {}
    return render_template("wellbeing/warnings.html", page=page, forms=forms, severity=severity,
                           severities=SEVERITIES, org=org, cards_of=cards_of, actions_of=actions_of,
                           shift_rows=lambda view: shift_rows(view, week_url, rows_seen)), status


#: stands for a warning's id in the forms rendered once a view: no id, token or URL holds this character
_ID_MARK = "\x00"


def shift_rows(view: WarningView, week_url: Markup, seen: dict[tuple, str]) -> Markup:
    """Return the table rows of a warning's shifts (one string), as a Jinja loop over them wrote them.

    ``seen`` keeps each row's text between the warnings of a page, which name many of the same shifts.
    """
    parts = []
    for s in view.shifts:
        key = (s["week"], s["when"], s["role"], s["on_call"], s["hours"])
        row = seen.get(key)
        if row is None:
            on_call = ' <small class="muted">(on call)</small>' if s["on_call"] else ""
            row = seen[key] = (
                f'\n        <tr><td><a href="{week_url}{escape(s["week"])}" title="This shift\'s week on the rota '
                f'board">{escape(s["when"])}</a></td><td>{escape(s["role"])}{on_call}</td>'
                f'<td>{escape(format_hours(s["hours"]))}</td></tr>\n      ')
        parts.append(row)
    return Markup("".join(parts))


_SOME_ID = 918273645


def _around_id(endpoint: str) -> tuple[str, str]:
    """Return the URL of ``endpoint`` for a warning as the text before and after its id."""
    before, after = url_for(endpoint, warning_id=_SOME_ID).split(str(_SOME_ID))
    return before, after


def _warning_or_404(org: Organisation, warning_id: int) -> LoadWarning:
    """The warning if the signed-in coordinator may see it: another organisation's or site's is a 404."""
    warning = db.session.scalar(visible_warnings(org, g.membership).where(LoadWarning.id == warning_id))
    if warning is None:
        abort(404)
    return warning


@coordinator_required
def list_warnings() -> ResponseReturnValue:
    """Open warnings by severity, person and rule, with evidence; the organisation figures."""
    return _render()


@coordinator_required
def acknowledge(warning_id: int) -> ResponseReturnValue:
    """Acknowledge a warning (optionally with a note); a refused one re-shows the page with a 400."""
    org = current_org()
    warning = _warning_or_404(org, warning_id)
    form = AcknowledgeForm(prefix=f"ack{warning_id}")
    if form.validate_on_submit():
        try:
            services.acknowledge(org, warning, current_user, form.note.data, utcnow())
        except ServiceError as error:
            form.note.errors = [*form.note.errors, str(error)]
        else:
            flash(f"Acknowledged: {warning.membership.person.name}, {warning.rule.replace('_', ' ')}.", "success")
            return redirect(url_for("wellbeing.list_warnings"))
    return _render({warning_id: (form, SnoozeForm(prefix=f"snooze{warning_id}", formdata=None))}, 400)


@coordinator_required
def snooze(warning_id: int) -> ResponseReturnValue:
    """Snooze a warning until a local date; a refused date or note re-shows the page with a 400."""
    org = current_org()
    warning = _warning_or_404(org, warning_id)
    form = SnoozeForm(prefix=f"snooze{warning_id}")
    if form.validate_on_submit():
        until = local_to_utc(form.until.data, time(0), org.timezone)
        try:
            services.snooze(org, warning, current_user, until, form.note.data, utcnow())
        except ServiceError as error:
            target = form.until if error.field == "until" else form.note
            target.errors = [*target.errors, str(error)]
        else:
            flash(f"Snoozed until {format_day(form.until.data)}: {warning.membership.person.name}.", "success")
            return redirect(url_for("wellbeing.list_warnings"))
    return _render({warning_id: (AcknowledgeForm(prefix=f"ack{warning_id}", formdata=None), form)}, 400)


@coordinator_required
def history() -> ResponseReturnValue:
    """A month's warnings counted by episode (raised, worsened, resolved, open at its end), and the episodes."""
    org = current_org()
    now, tz = utcnow(), zone(org.timezone)
    this_month = Month.of(local_date(now, tz))
    try:
        month = Month.parse(request.args.get("month", "")) if request.args.get("month") else this_month
    except ValueError:
        month = this_month
    lo, hi = month.bounds(tz)
    load = month_load(org, lo, hi, now)
    return render_template("wellbeing/history.html", org=org, month=month, load=load, counts=COUNTS,
                           previous=month.previous(), following=month.next() if month < this_month else None,
                           window=lambda start, end: window_text(start, end, tz), units=UNITS)
