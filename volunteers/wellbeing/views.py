"""/warnings: coordinators see open load warnings as one card per person and rule, and acknowledge or snooze them.

/warnings/history counts a month's warnings by their episodes (as the
monthly report's load section does) and lists them.
"""
from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import abort, current_app, flash, g, get_template_attribute, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup, escape

from volunteers.core import change_marks
from volunteers.core.auth import coordinator_required
from volunteers.core.csrf_tokens import request_token
from volunteers.core.errors import ServiceError
from volunteers.core.kept_text import mark_to_keep_by
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import Month, format_day, local_date, local_to_utc, utcnow, zone
from volunteers.extensions import db
from volunteers.wellbeing import kept_page, services
from volunteers.wellbeing.forms import BLANK_FORM_TEXT, AcknowledgeForm, SnoozeForm
from volunteers.wellbeing.history import COUNTS, month_load
from volunteers.wellbeing.kept_page import TOKEN_MARK, keep, kept_content, whole_page
from volunteers.wellbeing.local_words import KEEP_AT_MOST
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.org_figures_cache import for_page
from volunteers.wellbeing.queries import (
    UNITS,
    PersonLoad,
    ShiftLine,
    WarningsPage,
    WarningView,
    driver_rows,
    visible_warnings,
    warned_ids,
    warnings_page,
    window_text,
)
from volunteers.wellbeing.schedules import org_zone
from volunteers.wellbeing.warning_cards import RuleCard, card_flips, kept_rule_cards
from volunteers.wellbeing.warning_html import SECTION_TAIL, person_card, section_head, shift_rows
from volunteers.wellbeing.warning_html import warning_section as warning_section  # its home was here
from volunteers.wellbeing.weeks import sparkline_weeks

SEVERITIES = ("critical", "warning", "notice")


def _render(failed: dict[int, tuple[AcknowledgeForm, SnoozeForm]] | None = None,
            status: int = 200) -> ResponseReturnValue:
    """Render the warnings page; ``failed`` forms (with their errors) stand in for their warning's blank ones.

    The content is kept between views (``kept_page``) and served while the rows read now, the kept figures
    and hours and ``now``'s comparisons are those it was made of; a page with refused forms is made afresh.
    At an unchanged change mark it is served as it was made there, while the clock stays where it stands.
    """
    org = current_org()
    severity = request.args.get("severity") if request.args.get("severity") in SEVERITIES else None
    now = utcnow()
    weeks = sparkline_weeks(org, now)
    token = request_token()
    week_url = escape(url_for("rota.board") + "?week=")
    # the organisation's change mark first (core.change_marks), then the rows only when none are kept at it
    # (none inside a transaction that wrote: its own changes are under no mark yet; none on a development server,
    # whose templates may change under it)
    debugging = current_app.debug or current_app.jinja_env.auto_reload
    mark = None if failed or debugging else mark_to_keep_by(org.id)
    mark_key = (org.id, g.membership.id, g.membership.role)  # the rows this viewer may see
    # the whole content at the mark: the organisation and viewer as the sign-in read loaded them (with the mark,
    # or before it where it was read on its own), the filter, the URLs and the sparkline's week
    by_mark_key = (*mark_key, change_marks.as_loaded(org, g.membership), severity, str(week_url), weeks.mondays[0])
    pieces = kept_page.content_by_mark(by_mark_key, mark, now)
    if pieces is not None:
        return whole_page("wellbeing/warnings.html", token.encode().join(pieces)), status
    read = None if failed else kept_page.rows_at(mark_key, mark)
    if read is None:
        # the page's one statement: the rows compared as the driver gave them (typed to make the page)
        read = driver_rows(org, g.membership)
    rows = read.rows
    (figures, drivers), hours, until = for_page(org, now, warned_ids(rows, severity), weeks, mark)
    tz = org_zone(org)
    key = (org.id, getattr(tz, "key", None) or tz, severity, str(week_url), weeks.mondays[0],
           tuple(row[0] for row in rows))  # the rows' ids: their text is compared, not hashed
    kept = None if failed else kept_content(key, org.id, rows, now, figures, drivers, hours)
    if kept is None:
        page = warnings_page(org, now, severity, kept=lambda *_: ((figures, drivers), hours), rows=read.typed())
        if not failed:
            made, tokens = _content(page, now, severity, week_url, TOKEN_MARK, {})
            kept = keep(key, org.id, rows, now, _flips(page), made, tokens, figures, drivers, hours)
        if kept is None:  # refused forms, or the mark typed into a warning's text
            return whole_page("wellbeing/warnings.html",
                              _content(page, now, severity, week_url, token, failed or {})[0].encode()), status
    kept_page.keep_rows_at(mark_key, mark, read)
    kept_page.keep_by_mark(by_mark_key, mark, now, until, kept)
    return whole_page("wellbeing/warnings.html", token.encode().join(kept.pieces)), status


def _flips(page: WarningsPage) -> set[float]:
    """The instants at which the page's comparisons with ``now`` change: snoozes' ends and the cards' flips."""
    ends = {view.row.snoozed_until.timestamp() for view in page.judged if view.row.snoozed_until is not None}
    return ends | card_flips(page.judged)


def _content(page: WarningsPage, now: datetime, severity: str | None, week_url: Markup, token: str,
             failed: dict[int, tuple[AcknowledgeForm, SnoozeForm]]) -> tuple[str, int]:
    """The page's content (all but the site's header and menu), with ``token`` in its forms; and how many
    times it put ``token`` there."""
    # blank forms are written as plain HTML (two WTForms objects a warning were a third of the page's time);
    # the forms' and shifts' URLs are joined from pieces made once (url_for per warning and shift was a fifth)
    actions = get_template_attribute("wellbeing/_warning_actions.html", "actions")
    shared = (BLANK_FORM_TEXT, token, _around_id("wellbeing.acknowledge"), _around_id("wellbeing.snooze"))
    # the blank forms of every warning differ only by its id: rendered once (for each of the two shapes)
    blank = {acknowledged: str(actions(_ID_MARK, acknowledged, None, *shared)) for acknowledged in (False, True)}

    pieces = {acknowledged: text.split(_ID_MARK) for acknowledged, text in blank.items()}
    tokens = {acknowledged: text.count(token) for acknowledged, text in blank.items()}
    written = [0]

    def actions_of(warning_id: int, acknowledged: bool, refused: Any) -> str:
        if refused:
            return str(actions(warning_id, acknowledged, refused, *shared))
        written[0] += tokens[acknowledged]
        return str(warning_id).join(pieces[acknowledged])

    rows_seen = _kept_rows(week_url)
    hours_seen = _HOURS_SEEN
    words = page.words

    url_key = str(week_url)

    def section_of(view: WarningView, card: RuleCard | None) -> str:
        # the text before the forms is kept with the (kept) view, by its card's badge and the board URL
        key = (card.lead_is, card.episodes, url_key) if card and card.episodes > 1 else url_key
        head = view.sections.get(key)
        if head is None:
            rows = shift_rows(view, week_url, rows_seen, hours_seen) if view.shifts else ""
            head = view.sections[key] = section_head(view, card, rows, words)
        row = view.row
        return head + actions_of(row.id, row.status == "acknowledged", failed.get(row.id)) + SECTION_TAIL

    def card_of(person: PersonLoad) -> Markup:
        return person_card(person, kept_rule_cards(person.warnings, now), section_of)

    text = current_app.jinja_env.get_template("wellbeing/_warnings_content.html").render(
        page=page, severity=severity, severities=SEVERITIES, person_card=card_of)
    return text, written[0]


#: shift rows' text by the board URL they link to, and hours' text: pure functions of their keys, kept between
#: views (every view names the same shifts); dropped together when they grow past ``local_words.KEEP_AT_MOST``
_ROWS_SEEN: dict[str, dict[ShiftLine, str]] = {}
_HOURS_SEEN: dict[float, str] = {}


def _kept_rows(week_url: str) -> dict[ShiftLine, str]:
    rows = _ROWS_SEEN.get(week_url)
    if rows is None or len(rows) > KEEP_AT_MOST:
        if len(_ROWS_SEEN) >= 2 or len(_HOURS_SEEN) > KEEP_AT_MOST:  # ~0.8 KB a row: ~5 MB at most (review)
            _ROWS_SEEN.clear()
            _HOURS_SEEN.clear()
        rows = _ROWS_SEEN[str(week_url)] = {}
    return rows


#: stands for a warning's id in the forms rendered once a view: no id, token or URL holds this character
_ID_MARK = "\x00"


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
