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
from volunteers.wellbeing.local_words import KEEP_AT_MOST, LocalWords
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.org_figures_cache import kept_for_page
from volunteers.wellbeing.queries import (
    UNITS,
    PersonLoad,
    ShiftLine,
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
    page = warnings_page(org, now, severity, kept=kept_for_page, viewer=g.membership)

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
    rows_seen = _kept_rows(week_url)
    hours_seen = _HOURS_SEEN
    words = page.words

    def section_of(view: WarningView, card: RuleCard | None = None) -> Markup:
        row = view.row
        return warning_section(view, card, shift_rows(view, week_url, rows_seen, hours_seen) if view.shifts else "",
                               actions_of(row.id, row.status == "acknowledged", forms.get(row.id)), words)

    return render_template("wellbeing/warnings.html", page=page, severity=severity,
                           severities=SEVERITIES, org=org, cards_of=cards_of, section_of=section_of), status


_LEADS = {"now": "going on now", "latest": "the latest", "next": "the next"}


def warning_section(view: WarningView, card: RuleCard | None, rows: str, actions: str,
                    words: LocalWords) -> Markup:
    """Return one warning's section (what a Jinja macro wrote, byte for byte): every value escaped.

    ``rows`` are its shift table's rows (:func:`shift_rows`) and ``actions`` its forms, both markup;
    ``words`` writes its times (as ``local_dt`` did, in the organisation's zone).
    """
    row = view.row
    wid = escape(row.id)
    severity = escape(row.severity)
    badges = [
        f'<small class="badge">{escape(_LEADS[card.lead_is])} of {escape(card.episodes)} episodes</small>'
        if card and card.episodes > 1 else "",
        '<small class="badge">on the planned rota</small>' if row.prospective else "",
        '<small class="badge">acknowledged</small>' if row.status == "acknowledged" else "",
        f'<small class="badge">snoozed until {escape(words.day(row.snoozed_until))}</small>'
        if view.snoozed else "",
    ]
    details = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in view.details)
    raised = escape(words.stamp(row.raised_at))
    if row.updated_at and row.updated_at != row.raised_at:
        raised = Markup(f"{raised}, updated {escape(words.stamp(row.updated_at))}")
    note = f"<dt>Note</dt><dd>{escape(row.acknowledged_note)}</dd>" if row.acknowledged_note else ""
    table = ""
    if view.shifts:
        count = len(view.shifts)
        long = count > 6
        opening = caption = closing = ""
        if long:
            more = f" ({escape(view.behind)} in the whole episode)" if view.behind > count else ""
            opening = f"<details><summary>The {count} shifts of the worst stretch{more}</summary>"
            closing = "</details>"
        else:
            more = (f" (the worst stretch; {escape(view.behind)} shifts in the whole episode)"
                    if view.behind > count else "")
            caption = f'<caption class="muted start">The shifts behind it{more}</caption>'
        table = (
            f"\n    \n    {opening}\n"
            f'    <div class="table-scroll" tabindex="0"><table>\n'
            f"      {caption}\n"
            '      <thead><tr><th scope="col">When (local time)</th><th scope="col">Role</th>'
            '<th scope="col">Hours</th></tr></thead>\n'
            f"      <tbody>\n      {rows}\n      </tbody>\n    </table></div>\n    {closing}\n    ")
    return Markup(
        f'\n  \n  <div class="load-warning" id="warning-{wid}">\n'
        f'    <h4 id="warning-{wid}-title" class="warning-title">\n'
        f'      <span class="severity {severity}">{severity}</span> {escape(view.rule_name)}\n'
        f"      {badges[0]}\n      {badges[1]}\n      {badges[2]}\n      {badges[3]}\n"
        f"    </h4>\n"
        f'    <p class="warning-message">{escape(row.message)}</p>\n'
        f"    <dl>\n"
        f"      <dt>Measured</dt><dd>{escape(view.measured)}</dd>\n"
        f"      <dt>Threshold</dt><dd>{escape(view.level)}</dd>\n"
        f"      <dt>Window</dt><dd>{escape(view.window)}</dd>\n"
        f"      {details}\n"
        f"      <dt>Raised</dt><dd>{raised}</dd>\n"
        f"      {note}\n"
        f"    </dl>\n"
        f"    {table}\n"
        f"    \n"
        f"    {actions}\n"
        f"  </div>\n")


#: shift rows' text by the board URL they link to, and hours' text: pure functions of their keys, kept between
#: views (every view names the same shifts); dropped together when they grow past ``local_words.KEEP_AT_MOST``
_ROWS_SEEN: dict[str, dict[ShiftLine, str]] = {}
_HOURS_SEEN: dict[float, str] = {}


def _kept_rows(week_url: str) -> dict[ShiftLine, str]:
    rows = _ROWS_SEEN.get(week_url)
    if rows is None or len(rows) > KEEP_AT_MOST:
        if len(_ROWS_SEEN) > 8 or len(_HOURS_SEEN) > KEEP_AT_MOST:
            _ROWS_SEEN.clear()
            _HOURS_SEEN.clear()
        rows = _ROWS_SEEN[str(week_url)] = {}
    return rows


#: stands for a warning's id in the forms rendered once a view: no id, token or URL holds this character
_ID_MARK = "\x00"


def shift_rows(view: WarningView, week_url: Markup, seen: dict[ShiftLine, str],
               hours_seen: dict[float, str] | None = None) -> Markup:
    """Return the table rows of a warning's shifts (one string), as a Jinja loop over them wrote them.

    ``seen`` keeps each row's text, and ``hours_seen`` each number of hours', between the warnings of a
    page, which name many of the same shifts.
    """
    hours_seen = {} if hours_seen is None else hours_seen
    parts = []
    for s in view.shifts:
        row = seen.get(s)
        if row is None:
            on_call = ' <small class="muted">(on call)</small>' if s.on_call else ""
            hours = hours_seen.get(s.hours)
            if hours is None:
                hours = hours_seen[s.hours] = escape(format_hours(s.hours))
            row = seen[s] = (
                f'\n        <tr><td><a href="{week_url}{escape(s.week)}" title="This shift\'s week on the rota '
                f'board">{escape(s.when)}</a></td><td>{escape(s.role)}{on_call}</td>'
                f'<td>{hours}</td></tr>\n      ')
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
