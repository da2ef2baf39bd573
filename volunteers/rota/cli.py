"""Commands: `import roles`, `import shifts` and `rota export`.

``volunteers/cli.py`` puts them in the `import` and `rota` groups.
Errors go to stderr naming the file, line and field, exit 1, and leave the
database as it was (one commit at the end, or a rollback).
"""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from volunteers.core import audit
from volunteers.core.cli import (
    date_or_fail,
    fail,
    organisation_or_fail,
    read_file_or_fail,
)
from volunteers.core.maintenance import analyze
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.rota import catalogue as setup
from volunteers.rota import import_export as transfer
from volunteers.rota.domain.rolecsv import parse_roles_csv
from volunteers.rota.domain.shiftcsv import (
    CsvImportError,
    parse_shifts_csv,
    write_shifts_csv,
    write_shifts_json,
)
from volunteers.rota.models import Assignment, Role, Shift, Site


@click.command("roles")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@with_appcontext
def import_roles(file: str, slug: str) -> None:
    """Import roles from FILE (CSV: name,intensity,requires,on_call)."""
    org = organisation_or_fail(slug)
    try:
        rows = parse_roles_csv(read_file_or_fail(file), file)
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error}")
    added, updated = setup.import_roles(org, rows)
    audit.record(org, None, "rota.import_roles", "organisation", org.id, now=utcnow(), source="cli",
                 added=added, updated=updated)
    db.session.commit()
    click.echo(f"Imported {len(rows)} roles into {org.slug}: {added} added, {updated} updated.")


@click.command("shifts")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--create-missing", is_flag=True,
              help="Create roles and sites the file names but the organisation lacks.")
@with_appcontext
def import_shifts(file: str, slug: str, create_missing: bool) -> None:
    """Import shifts, their volunteers and attendance from FILE (CSV per DESIGN.md)."""
    org = organisation_or_fail(slug)
    try:
        rows = parse_shifts_csv(read_file_or_fail(file), file)
        result = transfer.import_shifts(org, rows, file, create_missing=create_missing, now=utcnow())
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error}")
    audit.record(org, None, "rota.import_shifts", "organisation", org.id, now=utcnow(), source="cli",
                 rows=len(rows), created=result.created, updated=result.updated, placed=result.placed,
                 attended=result.attended)
    db.session.commit()
    # a bulk load: fresh statistics for the planner, also of the ledger the attendance went into (contributions
    # records it when told, see register_reactions; named here, not imported: it sits above rota)
    analyze(db.session, Shift, Assignment, Role, Site, "contributions")
    click.echo(
        f"Imported {len(rows)} rows into {org.slug}: {result.created} shifts added, {result.updated} updated, "
        f"{result.placed} people placed, {result.attended} attendances"
        + (f", {result.new_roles} new roles, {result.new_sites} new sites" if create_missing else "") + "."
    )


@click.command("export")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--from", "first", required=True, help="First local date, YYYY-MM-DD.")
@click.option("--to", "last", required=True, help="Last local date (inclusive), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@with_appcontext
def export(slug: str, first: str, last: str, fmt: str, out: str | None) -> None:
    """Export the rota: the import columns plus hours (the real length)."""
    org = organisation_or_fail(slug)
    start, end = date_or_fail(first, "--from"), date_or_fail(last, "--to")
    if end < start:
        fail(f"--to: {end} is before --from {start}")
    rows = transfer.export_rows(org, start, end)
    # the rota export names volunteers: an export of personal data, in the trail before it is written
    audit.record(org, None, "rota.export", "organisation", org.id, now=utcnow(), source="cli",
                 first=start, last=end, format=fmt, shifts=len(rows))
    db.session.commit()
    text = write_shifts_csv(rows) if fmt == "csv" else write_shifts_json(rows)
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as error:
            fail(f"{out}: cannot write the file ({error.strerror})")
        click.echo(f"Exported {len(rows)} shifts to {out}.", err=True)
    else:
        click.echo(text, nl=False)
