"""Commands: `cases import`, `contacts import`, `cases due` (DESIGN.md, "Peer support"), `cases plan`.

``volunteers/cli.py`` puts them in the `cases` and `contacts` groups. Errors
go to stderr naming the file, line and field, exit 1, and leave the database
as it was (one commit at the end, or a rollback).
"""
from __future__ import annotations

import csv
import io
import json

import click
from flask.cli import with_appcontext

from volunteers.core import audit
from volunteers.core.cli import date_or_fail, fail, organisation_or_fail, read_file_or_fail
from volunteers.core.csv_errors import CsvImportError
from volunteers.core.errors import ServiceError
from volunteers.core.maintenance import analyze
from volunteers.core.spreadsheets import safe_cell
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.peersupport import services
from volunteers.peersupport.domain.csvfiles import parse_cases_csv, parse_contacts_csv
from volunteers.peersupport.domain.due import CSV_COLUMNS
from volunteers.peersupport.models import Contact, SupportedPerson


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@with_appcontext
def import_cases(file: str, slug: str) -> None:
    """Import supported people from FILE (CSV: reference,first_name,born_on,area,phone,language,supporter
    [,closed_on,closed_reason]); re-importing updates by reference."""
    org = organisation_or_fail(slug)
    try:
        rows = parse_cases_csv(read_file_or_fail(file), file)
        result = services.import_cases(org, rows, file, now=utcnow())
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error}")
    audit.record(org, None, "peersupport.import_cases", "organisation", org.id, now=utcnow(), source="cli",
                 rows=len(rows), added=result.added, updated=result.updated, closed=result.closed)
    db.session.commit()
    analyze(db.session, SupportedPerson)  # a bulk load: fresh statistics for the planner
    click.echo(f"Imported {len(rows)} cases into {org.slug}: {result.added} added, {result.updated} updated, "
               f"{result.closed} closed.")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@with_appcontext
def import_contacts(file: str, slug: str) -> None:
    """Import contacts from FILE (CSV: reference,date,supporter,mode,minutes,outcome); their time goes to the
    ledger."""
    org = organisation_or_fail(slug)
    try:
        rows = parse_contacts_csv(read_file_or_fail(file), file)
        result = services.import_contacts(org, rows, file, now=utcnow())
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error}")
    audit.record(org, None, "peersupport.import_contacts", "organisation", org.id, now=utcnow(), source="cli",
                 rows=len(rows), added=result.added, skipped=result.skipped, hours=result.hours)
    db.session.commit()
    analyze(db.session, Contact, "contributions")  # a bulk load, also of the ledger
    click.echo(f"Imported {result.added} contacts into {org.slug} ({result.hours} hours)"
               + (f"; {result.skipped} already recorded were skipped" if result.skipped else "") + ".")


@click.command("due")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--on", "on", required=True, help="The day (YYYY-MM-DD, local).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def cases_due(slug: str, on: str, fmt: str) -> None:
    """List each open case's contact-plan steps due or overdue on a day."""
    org = organisation_or_fail(slug)
    day = date_or_fail(on, "--on")
    try:
        items = services.due_on(org, day)
    except ServiceError as error:
        fail(str(error))
    # who is due a visit is read from special-category records: the export is in the trail like `rota export`
    audit.record(org, None, "peersupport.cases_due", "organisation", org.id, now=utcnow(), source="cli",
                 on=day, format=fmt, items=len(items))
    db.session.commit()
    if fmt == "json":
        click.echo(json.dumps([item.as_json() for item in items], indent=2))
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        data = item.as_json()
        writer.writerow([safe_cell(data[c]) if data[c] is not None else "" for c in CSV_COLUMNS])
    click.echo(out.getvalue(), nl=False)


@click.command("plan")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--set", "file", type=click.Path(dir_okay=False),
              help='A JSON file: a list of steps {"step", "opens", "due_by", "modes", "done_from"}.')
@click.option("--default", "default", is_flag=True, help="Go back to DESIGN's default plan.")
@with_appcontext
def contact_plan(slug: str, file: str | None, default: bool) -> None:
    """Print the organisation's contact plan as JSON; with --set or --default, replace it first.

    A changed plan applies to every open case at once: what is due is worked
    out from the plan each time it is asked.
    """
    org = organisation_or_fail(slug)
    if file and default:
        fail("give --set FILE or --default, not both")
    if file or default:
        data = None
        if file:
            try:
                data = json.loads(read_file_or_fail(file).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                fail(f"{file}: not JSON ({error})")
        try:
            services.set_contact_plan(org, data, now=utcnow(), actor_person_id=None)
        except ServiceError as error:
            fail(f"{file}: {error}; nothing changed")
        db.session.commit()
    try:
        plan = services.contact_plan(org)
    except ServiceError as error:
        fail(str(error))
    click.echo(json.dumps(plan.as_data(), indent=2))
