"""Report pages: the monthly report and its downloads, issuing, recipients, network figures.

Only coordinators and admins of an organisation see its reports: a
volunteer gets 403, and another organisation (``?org=slug`` of one the
person is not a member of) is a 404, as if it did not exist.
"""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from volunteers.core import audit
from volunteers.core.auth import admin_required, refuse_until_enrolled
from volunteers.core.errors import ServiceError
from volunteers.core.headers import allow_inline_styles
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, utcnow
from volunteers.reports import render, report_page, services
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
    refuse_until_enrolled(membership)
    return membership.organisation


def _month_or_404(text: str) -> Month:
    """Parse the month in the URL once, here; anything but ``YYYY-MM`` is a page that does not exist."""
    try:
        return Month.parse(text)
    except ValueError:
        abort(404)


def _index(org: Organisation, error: str | None = None, typed: str | None = None) -> str:
    current = Month.containing(utcnow(), org.timezone)
    issued = {r.month: r for r in services.issued_months(org)}
    # the template matches these against the issued months' stored text
    months = [str(current.previous(i)) for i in range(0, 13)]
    return render_template("reports/index.html", org=org, months=months, issued=issued, current=str(current),
                           recipients=services.report_recipients(org), error=error, typed=typed,
                           configured=bool(org.setting("report_recipients")), fmt=render.FORMATTERS)


@login_required
def index() -> ResponseReturnValue:
    """List the last 13 months' reports, issued or not, and the report recipients."""
    return _index(report_org())


@login_required
def recipients() -> ResponseReturnValue:
    """Save who the issued reports are e-mailed to; a bad address re-shows the page with a 400."""
    org = report_org()
    typed = request.form.get("recipients", "")[:5000]
    try:
        services.set_recipients(org, typed)
    except ServiceError as error:
        return _index(org, str(error), typed), 400
    # addresses are personal data: the trail says how many, not whose
    audit.record(org, current_user.id, "settings.report_recipients", "organisation", org.id, now=utcnow(),
                 recipients=len(org.setting("report_recipients") or []))
    flash("Report recipients saved.", "success")
    return redirect(url_for("reports.index"))


@login_required
def monthly(month: str) -> ResponseReturnValue:
    """Show a month's report: the issued one, or a draft as of now."""
    org = report_org()
    wanted, now = _month_or_404(month), utcnow()
    report = services.monthly_report(org, wanted, now)
    ended = now >= services.window_of(org, wanted)[1]
    return report_page.page(org, wanted, report, ended)  # its content kept while the report is the same


@login_required
def download(month: str, fmt: str) -> ResponseReturnValue:
    """Send a month's report as CSV, XLSX, JSON or a standalone HTML document."""
    org = report_org()
    wanted = _month_or_404(month)
    report = services.monthly_report(org, wanted, utcnow())
    body: str | bytes
    if fmt == "csv":
        body = render.csv_text(report.figures)
    elif fmt == "xlsx":
        body = render.xlsx_bytes(report.figures)
    elif fmt == "json":
        body = report.text
    else:
        body = render.document_html(report)
    filename = f"{org.slug}-{wanted}{'' if report.issued else '-draft'}.{fmt}"
    # the report names volunteers (by volunteer, new volunteers, thank-yous): an export of personal data
    audit.record(org, current_user.id, "reports.export", "monthly_report", report.issued.id if report.issued else None,
                 now=utcnow(), month=str(wanted), format=fmt, issued=report.issued is not None)
    disposition = "inline" if fmt == "html" else "attachment"
    response = Response(body, content_type=CONTENT_TYPES[fmt],
                        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})
    # the document carries its own <style> (it is also read from disk and in mail): allow that one text
    return allow_inline_styles(response, render.document_css()) if fmt == "html" else response


@login_required
def issue(month: str) -> ResponseReturnValue:
    """Issue (freeze) a month that is over, and with ``send=1`` queue it to the recipients.

    Asks once: without ``confirm=1`` it shows what issuing does (the month
    frozen for good, how many recipients are e-mailed) and changes nothing.
    """
    org = report_org()
    wanted = _month_or_404(month)
    if request.form.get("confirm") != "1":
        try:
            services.check_issuable(org, wanted, utcnow())
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for("reports.monthly", month=str(wanted))), 303
        if services.issued_report(org, wanted) is not None:
            flash(f"{wanted.name} is already issued.", "info")
            return redirect(url_for("reports.monthly", month=str(wanted))), 303
        send = request.form.get("send") == "1"
        return render_template("reports/issue_confirm.html", month=wanted, send=send,
                               recipients=len(services.report_recipients(org)) if send else 0)
    try:
        stored = services.issue_report(org, wanted, utcnow(), current_user.id)
    except ServiceError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.monthly", month=str(wanted))), 303
    if request.form.get("send") == "1":
        queued = services.send_report(org, stored, utcnow())
        audit.record(org, current_user.id, "reports.send", "monthly_report", stored.id, now=utcnow(),
                     month=str(wanted), recipients=queued)
        flash("Issued and queued to the report recipients.", "success")
    else:
        flash("Issued: these figures are now frozen.", "success")
    return redirect(url_for("reports.monthly", month=str(wanted)))


@admin_required
def network(month: str) -> ResponseReturnValue:
    """Show (or with ``?format=json`` send) a month's figures summed over the organisations one coordinates."""
    orgs = [m.organisation for m in g.memberships if m.is_coordinator]
    wanted = _month_or_404(month)
    figures = network_figures(orgs, wanted, utcnow())
    if request.args.get("format") == "json":
        return Response(canonical_json(figures), content_type=CONTENT_TYPES["json"])
    return render_template("reports/network.html", figures=figures, month=str(wanted), fmt=render.FORMATTERS,
                           previous=str(wanted.previous()), following=str(wanted.next()))


@admin_required
def network_latest() -> ResponseReturnValue:
    """Redirect to the network figures of last month (the admin's own organisation's calendar)."""
    last = Month.containing(utcnow(), g.membership.organisation.timezone).previous()
    return redirect(url_for("reports.network", month=str(last)))
