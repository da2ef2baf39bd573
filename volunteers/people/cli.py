"""Commands: `org create` and `import volunteers`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from volunteers.core import audit
from volunteers.core.cli import fail, organisation_or_fail, read_file_or_fail
from volunteers.core.maintenance import analyze
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.people import services
from volunteers.people.domain.volunteer_csv import CsvImportError, parse_volunteers_csv
from volunteers.people.models import AvailabilityWindow, Membership, Person, PersonQualification


@click.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The organisation's name as people know it.")
@click.option("--timezone", default="Europe/London", show_default=True, help="IANA time zone.")
@with_appcontext
def create_org(slug: str, name: str, timezone: str) -> None:
    """Create an organisation SLUG."""
    try:
        org = services.create_organisation(slug, name, timezone)
    except services.ServiceError as error:
        fail(f"{error.field}: {error}")
    audit.record(org, None, "organisation.create", "organisation", org.id, now=utcnow(), source="cli",
                 timezone=org.timezone)
    db.session.commit()
    click.echo(f"Created organisation {org.slug} ({org.name}, {org.timezone}).")


@click.command("volunteers")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@with_appcontext
def import_volunteers(file: str, slug: str) -> None:
    """Import people and memberships from FILE (CSV per DESIGN.md)."""
    org = organisation_or_fail(slug)
    data = read_file_or_fail(file)
    try:
        rows = parse_volunteers_csv(data, file)
    except CsvImportError as error:
        fail(f"nothing imported; fix these rows and run again:\n{error.describe()}")
    added, updated = services.import_volunteers(org, rows)
    audit.record(org, None, "people.import", "organisation", org.id, now=utcnow(), source="cli",
                 added=added, updated=updated)
    db.session.commit()
    analyze(db.session, Person, Membership, PersonQualification, AvailabilityWindow)  # a bulk load: fresh statistics
    click.echo(f"Imported {len(rows)} rows into {org.slug}: {added} added, {updated} updated.")
