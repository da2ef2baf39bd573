"""Report pages: the monthly report and its downloads, issuing, recipients, network figures.

Only coordinators and admins of an organisation see its reports: a
volunteer gets 403, and another organisation (``?org=slug`` of one the
person is not a member of) is a 404, as if it did not exist.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from volunteers.core.auth import admin_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date, parse_month, previous_month, utcnow
from volunteers.reports import render, services
from volunteers.reports.domain.canonical import canonical_json
from volunteers.reports.network import network_figures

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}


def report_org() -> Organisation:
    """Return the organisation whose reports are asked for, or abort 403/404."""
    slug = request.args.get("org")
    membership = g.membership
    if slug:
        membership = next((m for m in g.memberships if m.organisation.slug == slug), None)
        if membership is None:
            abort(404)
    if membership is None or not membership.is_coordinator:
        abort(403)
    return membership.organisation


def _month_or_404(month: str) -> str:
    try:
        parse_month(month)
    except ValueError:
        abort(404)
    return month


def _this_month(org: Organisation) -> str:
    today = local_date(utcnow(), org.timezone)
    return f"{today.year:04d}-{today.month:02d}"


def _index(org: Organisation, error: str | None = None, typed: str | None = None):  # type: ignore[no-untyped-def]
    current = _this_month(org)
    issued = {r.month: r for r in services.issued_months(org)}
    months = [previous_month(current, i) for i in range(0, 13)]
    return render_template("reports/index.html", org=org, months=months, issued=issued, current=current,
                           recipients=services.report_recipients(org), error=error, typed=typed,
                           configured=bool(org.setting("report_recipients")), fmt=render.FORMATTERS)


@login_required
def index():  # type: ignore[no-untyped-def]
    return _index(report_org())


@login_required
def recipients():  # type: ignore[no-untyped-def]
    org = report_org()
    typed = request.form.get("recipients", "")[:5000]
    try:
        services.set_recipients(org, typed)
    except ServiceError as error:
        return _index(org, str(error), typed), 400
    flash("Report recipients saved.", "success")
    return redirect(url_for("reports.index"))


@login_required
def monthly(month: str):  # type: ignore[no-untyped-def]
    org = report_org()
    report = services.monthly_report(org, _month_or_404(month), utcnow())
    ended = utcnow() >= services.window_of(org, month)[1]
    return render_template("reports/monthly.html", report=report, org=org, ended=ended,
                           previous=previous_month(month), following=previous_month(month, -1),
                           **render.body_context(report))


@login_required
def download(month: str, fmt: str):  # type: ignore[no-untyped-def]
    org = report_org()
    report = services.monthly_report(org, _month_or_404(month), utcnow())
    body: str | bytes
    if fmt == "csv":
        body = render.csv_text(report.figures)
    elif fmt == "xlsx":
        body = render.xlsx_bytes(report.figures)
    elif fmt == "json":
        body = report.text
    else:
        body = render.document_html(report)
    filename = f"{org.slug}-{month}{'' if report.issued else '-draft'}.{fmt}"
    disposition = "inline" if fmt == "html" else "attachment"
    return Response(body, content_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@login_required
def issue(month: str):  # type: ignore[no-untyped-def]
    org = report_org()
    try:
        stored = services.issue_report(org, _month_or_404(month), utcnow(), current_user.id)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.monthly", month=month)), 303
    if request.form.get("send") == "1":
        services.send_report(org, stored, utcnow())
        flash("Issued and queued to the report recipients.", "success")
    else:
        flash("Issued: these figures are now frozen.", "success")
    return redirect(url_for("reports.monthly", month=month))


@admin_required
def network(month: str):  # type: ignore[no-untyped-def]
    orgs = [m.organisation for m in g.memberships if m.is_coordinator]
    figures = network_figures(orgs, _month_or_404(month), utcnow())
    if request.args.get("format") == "json":
        return Response(canonical_json(figures), content_type=CONTENT_TYPES["json"])
    return render_template("reports/network.html", figures=figures, month=month, fmt=render.FORMATTERS,
                           previous=previous_month(month), following=previous_month(month, -1))


@admin_required
def network_latest():  # type: ignore[no-untyped-def]
    last = local_date(utcnow(), g.membership.organisation.timezone).replace(day=1) - timedelta(days=1)
    return redirect(url_for("reports.network", month=f"{last.year:04d}-{last.month:02d}"))


