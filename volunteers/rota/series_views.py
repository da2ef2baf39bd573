"""Series pages (weekly or monthly): list, build one in a form, edit it (the future only), end it."""
from __future__ import annotations

from functools import lru_cache

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.kept_text import KeptTexts
from volunteers.core.models import Organisation
from volunteers.core.page_frame import whole_page
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import utcnow
from volunteers.rota import queries, series, site_scope
from volunteers.rota.board_views import today
from volunteers.rota.domain.recurrence import describe
from volunteers.rota.forms import SeriesForm, choices, parse_dates, parse_repeats, repeats_value
from volunteers.rota.models import ShiftSeries
from volunteers.rota.series_rows import series_rows

#: what the trail says about a series
AUDITED = ("rrule", "role_id", "site_id", "start_time", "end_time", "needed", "starts_on", "until_on", "exdates",
           "on_bank_holidays")


def _form(org: Organisation, obj: ShiftSeries | None = None) -> SeriesForm:
    form = SeriesForm()
    form.role_id.choices = choices(queries.roles(org))
    form.site_id.choices = choices(queries.sites(org, g.membership))  # a coordinator limited to some: hers only
    if request.method == "GET" and obj is not None:
        spec = series.spec_of(obj)
        form.days.data = sorted(spec.days)
        form.repeats.data = repeats_value(spec.interval_weeks, spec.month_position)
        form.on_bank_holidays.data = spec.on_bank_holidays
        form.start_time.data, form.end_time.data = spec.start_time, spec.end_time
        form.role_id.data, form.site_id.data, form.needed.data = spec.role_id, spec.site_id, spec.needed
        form.starts_on.data, form.until_on.data = spec.starts_on, spec.until_on
        form.exdates.data = ", ".join(d.isoformat() for d in spec.exdates)
    elif request.method == "GET":
        form.starts_on.data = today(org)
    return form


@lru_cache(maxsize=1024)
def _described(rrule: str) -> str:
    """A series in words (``describe``, a pure function of the rule), worked out once per rule: the list's rows."""
    return describe(rrule)


def _spec(form: SeriesForm) -> series.SeriesSpec:
    interval, month_position = parse_repeats(form.repeats.data)
    return series.SeriesSpec(
        days=frozenset(form.days.data), start_time=form.start_time.data, end_time=form.end_time.data,
        role_id=form.role_id.data, site_id=form.site_id.data, needed=form.needed.data,
        starts_on=form.starts_on.data, until_on=form.until_on.data, exdates=parse_dates(form.exdates.data),
        interval_weeks=interval, month_position=month_position, on_bank_holidays=form.on_bank_holidays.data,
    )


#: the list's content (all but the site's header and menu) kept between views while the rows read now are those it
#: was made of: a pure function of the rows (each series with its role's and site's names) and, in the key, of the
#: organisation, the viewer's role and the request's script root (the URLs). At most this many (~5 KB each, with
#: their rows), dropped together past that; the frame around it is kept by core.page_frame
SERIES_PAGES = KeptTexts("rota.series_views.pages", 64)


@coordinator_required
def list_series() -> ResponseReturnValue:
    org = current_org()
    read = series.series_list_rows(org, g.membership)  # the page's one statement, on every view
    key = (org.id, g.membership.role, request.script_root)
    made_of = (org.id, read.rows)
    content = SERIES_PAGES.get(key, made_of, "")
    if content is None:
        rows = [series.SeriesRow._make(row) for row in read.typed()]
        content = render_template("rota/_series_list_content.html", all_series=rows, describe=_described,
                                  series_rows=series_rows)
        SERIES_PAGES.keep(key, made_of, content, 0, mark=None)
    return whole_page("rota/series_list.html", content.encode())


@coordinator_required
def new_series() -> ResponseReturnValue:
    org = current_org()
    form = _form(org)
    if form.validate_on_submit():
        try:
            created = series.create_series(org, _spec(form), utcnow())
        except ServiceError as error:
            getattr(form, error.field or "days").errors = [str(error)]
        else:
            audit.record(org, g.membership.person_id, "rota.series_create", "series", created.id, now=utcnow(),
                         values=audit.snapshot(created, AUDITED).values)
            flash(f"{describe(created.rrule)} added; shifts are on the board.", "success")
            return redirect(url_for("rota.board", week=max(created.starts_on, today(org)).isoformat()))
    return render_template("rota/series_form.html", form=form, item=None), 422 if form.errors else 200


@coordinator_required
def edit_series(series_id: int) -> ResponseReturnValue:
    org = current_org()
    item = get_scoped_or_404(ShiftSeries, org, series_id)
    if site_scope.is_limited(g.membership) and item.site_id not in site_scope.site_ids_of(org, g.membership.id):
        abort(404)  # another site's series, as another site's shift: not hers to see or change
    form = _form(org, item)
    if form.validate_on_submit():
        before = audit.snapshot(item, AUDITED)
        try:
            change = series.update_series(org, item, _spec(form), utcnow(), g.membership.person_id)
        except ServiceError as error:
            getattr(form, error.field or "days").errors = [str(error)]
        else:
            audit.record(org, g.membership.person_id, "rota.series_update", "series", item.id, now=utcnow(),
                         changes=before.changes(item), shifts_updated=change.updated, shifts_remade=change.remade,
                         shifts_cancelled=change.cancelled, people_told=change.notified)
            flash(f"Saved. Future shifts: {change.updated} updated in place, {change.remade} made again, "
                  f"{change.cancelled} cancelled; {change.notified} people told.", "success")
            for warning in change.warnings:
                flash(warning, "warning")
            return redirect(url_for("rota.list_series"))
    return render_template("rota/series_form.html", form=form, item=item), 422 if form.errors else 200
