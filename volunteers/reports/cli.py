"""Commands: ``report monthly`` (print or save a month's report) and ``report issue``."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from volunteers.core import audit
from volunteers.core.cli import fail, organisation_or_fail
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import Month, utcnow
from volunteers.extensions import db
from volunteers.reports import render, services

report_cli = AppGroup("report", help="Monthly contribution reports.")


def _month_or_fail(text: str) -> Month:
    """Parse ``--month`` once, here; bad text exits 1 naming the option."""
    try:
        return Month.parse(text)
    except ValueError:
        fail(f"--month: expected a month as YYYY-MM, got {text!r}")


@report_cli.command("monthly")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--month", required=True, help="The month, YYYY-MM (organisation time zone).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "html", "json"]), default="json",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
def monthly(slug: str, month: str, fmt: str, out: str | None) -> None:
    """Print the monthly contribution report: the issued one, or a draft as of now."""
    org = organisation_or_fail(slug)
    wanted = _month_or_fail(month)
    report = services.monthly_report(org, wanted, utcnow())
    if fmt == "csv":
        body = render.csv_text(report.figures).encode("utf-8")
    elif fmt == "xlsx":
        body = render.xlsx_bytes(report.figures)
    elif fmt == "html":
        body = render.document_html(report).encode("utf-8")
    else:
        body = (report.text + "\n").encode("utf-8")
    db.session.rollback()  # read only
    if out:
        try:
            with open(out, "wb") as handle:
                handle.write(body)
        except OSError as error:
            fail(f"--out {out}: cannot write the file ({error.strerror})")
        state = "issued" if report.issued else "draft, not issued"
        click.echo(f"Wrote {org.slug} {wanted} ({state}) as {fmt} to {out}.", err=True)
    else:
        click.echo(body, nl=False)  # bytes go to the binary stream (XLSX too)


@report_cli.command("issue")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--month", required=True, help="The month, YYYY-MM; it must be over.")
@click.option("--send/--no-send", default=False, help="Also e-mail it to the report recipients.")
def issue(slug: str, month: str, send: bool) -> None:
    """Issue (freeze) a month's report now, as the job does on the 1st at 06:00."""
    org = organisation_or_fail(slug)
    wanted = _month_or_fail(month)
    now = utcnow()
    try:
        stored = services.issue_report(org, wanted, now, None)
    except ServiceError as error:
        fail(f"--{error.field}: {error}")
    queued = services.send_report(org, stored, now) if send else 0
    if send:
        audit.record(org, None, "reports.send", "monthly_report", stored.id, now=now, source="cli",
                     month=str(wanted), recipients=queued)
    db.session.commit()
    click.echo(f"Issued {org.slug} {wanted}: sha256 {stored.figures_hash}"
               + (f"; queued to {queued} recipient(s)." if send else "."))
