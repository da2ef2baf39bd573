"""Commands: `org create` and `import volunteers`."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from volunteers.extensions import db
from volunteers.people import services
from volunteers.people.domain.volunteer_csv import CsvImportError, parse_volunteers_csv

org_cli = AppGroup("org", help="Organisations (tenants).")
import_cli = AppGroup("import", help="Import spreadsheets (CSV) — all rows or none.")


def fail(message: str) -> None:
    """Print an error to stderr and exit 1, leaving the database as it was."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def date_or_fail(value: str, option: str) -> date:
    """Return ``value`` as a date, or fail naming the option (``--from: expected a date …``)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: expected a date as YYYY-MM-DD, got {value!r}")
    raise AssertionError  # fail() does not return


def organisation_or_fail(slug: str):  # type: ignore[no-untyped-def]
    org = services.organisation_by_slug(slug)
    if org is None:
        fail(f"--org: no organisation called {slug!r} (create it with `flask --app wsgi org create`)")
    return org


def read_file_or_fail(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror})")
    raise AssertionError


@org_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's name as people know it.")
@click.option("--timezone", default="Europe/London", show_default=True, help="IANA time zone.")
def create_org(slug: str, name: str, timezone: str) -> None:
    """Create an organisation SLUG."""
    try:
        org = services.create_organisation(slug, name, timezone)
    except services.ServiceError as error:
        fail(f"{error.field}: {error}")
    db.session.commit()
    click.echo(f"Created organisation {org.slug} ({org.name}, {org.timezone}).")


@import_cli.command("volunteers")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
def import_volunteers(file: str, slug: str) -> None:
    """Import people and memberships from FILE (CSV per DESIGN.md)."""
    org = organisation_or_fail(slug)
    data = read_file_or_fail(file)
    try:
        rows = parse_volunteers_csv(data, file)
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error.describe()}")
    added, updated = services.import_volunteers(org, rows)
    db.session.commit()
    click.echo(f"Imported {len(rows)} rows into {org.slug}: {added} added, {updated} updated.")
