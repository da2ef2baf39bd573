"""Whole-period actions from the board: copy forward, publish, import and export shifts."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.params import parse_date
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.core.uploads import UNPROCESSABLE, import_upload
from volunteers.rota import import_export as transfer
from volunteers.rota import periods
from volunteers.rota.board_views import today
from volunteers.rota.domain.shiftcsv import (
    parse_shifts_csv,
    write_shifts_csv,
    write_shifts_json,
)
from volunteers.rota.forms import PlainForm


def _period() -> periods.Period:
    """Read ``kind`` (week/month) and ``day`` (any date inside it) from the form; 400 if unreadable."""
    kind = request.form.get("kind", "week")
    try:
        day = parse_date(request.form.get("day", ""))
    except ValueError:
        abort(400)
    if kind not in ("week", "month"):
        abort(400)
    return periods.Period.of(kind, day)


def _board_url(period: periods.Period) -> str:
    if period.kind == "month":
        return url_for("rota.board", view="month", month=f"{period.first:%Y-%m}")
    return url_for("rota.board", week=period.first.isoformat())


@coordinator_required
def copy_forward() -> ResponseReturnValue:
    org = current_org()
    source = _period()
    result = periods.copy_forward(org, source.kind, source.first, utcnow())
    audit.record(org, g.membership.person_id, "rota.copy_forward", "organisation", org.id, now=utcnow(),
                 kind=source.kind, source_first=source.first, target_first=result.target.first,
                 copied=result.copied, skipped=len(result.skipped))
    return render_template("rota/copy_result.html", result=result, board_url=_board_url(result.target))


@coordinator_required
def publish() -> ResponseReturnValue:
    """Publish a period, after one confirmation: without ``confirm=1`` show what would happen (no JS needed)."""
    org = current_org()
    period = _period()
    if request.form.get("confirm") != "1":
        plan = periods.plan_publish(org, period, utcnow())
        return render_template("rota/publish_confirm.html", plan=plan, period=period,
                               board_url=_board_url(period))
    result = periods.publish(org, period, utcnow())
    audit.record(org, g.membership.person_id, "rota.publish", "organisation", org.id, now=utcnow(),
                 kind=period.kind, first=period.first, last=period.last, shifts=result.shifts,
                 messages=result.messages)
    flash(f"Published {period.label}: {result.shifts} shifts; "
          f"{result.messages} {'volunteer' if result.messages == 1 else 'volunteers'} will get an e-mail.", "success")
    return redirect(_board_url(period))


@coordinator_required
def import_shifts() -> ResponseReturnValue:
    org = current_org()
    form = PlainForm()
    errors: list[str] = []
    if form.validate_on_submit():
        def run(data: bytes, name: str) -> tuple[int, transfer.ImportResult]:
            rows = parse_shifts_csv(data, name)
            return len(rows), transfer.import_shifts(
                org, rows, name, create_missing=request.form.get("create_missing") == "1", now=utcnow(),
                actor_person_id=g.membership.person_id)

        done, errors = import_upload(request.files.get("file"), run)
        if done is not None:
            count, result = done
            audit.record(org, g.membership.person_id, "rota.import_shifts", "organisation", org.id, now=utcnow(),
                         source="web", rows=count, created=result.created, updated=result.updated,
                         placed=result.placed, attended=result.attended)
            flash(f"Imported {count} rows: {result.created} shifts added, {result.updated} updated, "
                  f"{result.placed} people placed.", "success")
            return redirect(url_for("rota.board"))
    return render_template("rota/import.html", form=form, errors=errors), UNPROCESSABLE if errors else 200


@coordinator_required
def export() -> ResponseReturnValue:
    org = current_org()
    try:
        first = parse_date(request.args.get("from", ""))
        last = parse_date(request.args.get("to", ""))
    except ValueError:
        return render_template("rota/import.html", form=PlainForm(), errors=[],
                               export_error="Give both dates as YYYY-MM-DD.", today=today(org)), 400
    fmt = request.args.get("format", "csv")
    if last < first or fmt not in ("csv", "json"):
        return render_template("rota/import.html", form=PlainForm(), errors=[],
                               export_error="The last date is before the first, or the format is unknown."), 400
    rows = transfer.export_rows(org, first, last)
    # the rota export names volunteers (their e-mail addresses): an export of personal data
    audit.record(org, g.membership.person_id, "rota.export", "organisation", org.id, now=utcnow(), source="web",
                 first=first, last=last, format=fmt, shifts=len(rows))
    body = write_shifts_csv(rows) if fmt == "csv" else write_shifts_json(rows)
    name = f"{org.slug}-rota-{first.isoformat()}-{last.isoformat()}.{fmt}"
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
