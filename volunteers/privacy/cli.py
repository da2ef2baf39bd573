"""Commands of the ``person`` group: ``export``, ``erase`` and ``retention`` (grouped in ``volunteers.cli``).

Errors go through ``core.cli.fail``: a message naming the argument or
option, exit status 1, nothing changed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from volunteers.core.cli import fail, organisation_or_fail
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.privacy import retention, services
from volunteers.privacy.domain.rules import RETENTION_SETTING, export_filename, retention_months
from volunteers.privacy.export import export_zip


def _person_or_fail(email: str) -> Person:
    person = db.session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None:
        fail(f"EMAIL: no one signs in with {email!r}")
    return person


def _membership_or_fail(person: Person, org: Organisation, email: str) -> Membership:
    membership = db.session.scalar(scoped(Membership, org).where(Membership.person_id == person.id))
    if membership is None:
        fail(f"--org: {email!r} is not a member of {org.slug!r}")
    return membership


@click.command("export")
@click.argument("email")
@click.option("--org", "slug", help="Only this organisation's data (default: every organisation).")
@click.option("--out", type=click.Path(dir_okay=False), help="The zip to write (default: volunteers-data-DATE.zip).")
@with_appcontext
def export_command(email: str, slug: str | None, out: str | None) -> None:
    """Write everything held about the person who signs in with EMAIL to a zip (JSON and CSV)."""
    person = _person_or_fail(email)
    org = organisation_or_fail(slug) if slug else None
    if org is not None:
        _membership_or_fail(person, org, email)
    now = utcnow()
    path = Path(out or export_filename(local_date(now, org.timezone if org else "Europe/London")))
    with export_zip(person, org, actor_person_id=None, source="cli", now=now) as archive:
        try:
            with path.open("wb") as handle:
                shutil.copyfileobj(archive, handle)
        except OSError as error:
            fail(f"--out {path}: cannot write the file ({error.strerror})")
    db.session.commit()  # the audit entries
    click.echo(f"Wrote the data of person #{person.id} ({org.slug if org else 'all organisations'}) to {path}.")


@click.command("erase")
@click.argument("email")
@click.option("--org", "slug", required=True, help="The organisation to erase them from.")
@click.option("--reason", default="", help="Why (kept in the audit trail); asked for when missing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_command(email: str, slug: str, reason: str, yes: bool) -> None:
    """Erase the person who signs in with EMAIL from an organisation (and everywhere, if it is their only one)."""
    org = organisation_or_fail(slug)
    person = _person_or_fail(email)
    membership = _membership_or_fail(person, org, email)
    now = utcnow()
    plan = services.plan_erasure(org, membership, now)
    if plan.already_erased:
        fail(f"EMAIL: {email!r} has already been erased from {org.slug!r}")
    if plan.scope.wipes_person:
        click.echo(f"{person.name} belongs to no other organisation: their name, e-mail and sign-in will be wiped.")
    else:
        click.echo(f"{person.name} also belongs to {', '.join(plan.scope.other_organisations)}: "
                   "only this organisation's data is erased; they keep their sign-in.")
    click.echo(f"Future places freed: {plan.future_places}; pending hours rejected: {plan.pending_entries}.")
    if not yes and not click.confirm(f"Erase {person.name} from {org.slug}? This cannot be undone"):
        db.session.rollback()
        click.echo("Nothing erased.")
        raise SystemExit(1)
    if not reason.strip():
        reason = "erased with `flask person erase`" if yes else click.prompt("Reason (for the audit trail)")
    try:
        result = services.erase_member(org, membership, actor_person_id=None, reason=reason, now=now, source="cli")
    except ServiceError as error:
        fail(f"--{error.field}: {error}" if error.field == "reason" else str(error))
    db.session.commit()
    click.echo(f"Erased membership #{result.membership_id} of person #{result.person_id} from {org.slug}"
               + (" (person wiped)." if result.person_wiped else " (sign-in kept for their other organisations)."))


@click.command("retention")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--dry-run", is_flag=True, help="Only list who would be erased.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def retention_command(slug: str, dry_run: bool, yes: bool) -> None:
    """Erase people who left the organisation more than its retention period ago (list them with --dry-run)."""
    org = organisation_or_fail(slug)
    now = utcnow()
    months = retention_months(org.setting(RETENTION_SETTING))
    due = retention.candidates(org, now)
    click.echo(f"{org.slug}: {len(due)} membership(s) left more than {months} months ago.")
    for c in due:
        how = "left on" if c.recorded else "last active on"
        click.echo(f"  #{c.membership_id}  {c.name} <{c.email}>  {how} {c.left_since.isoformat()}")
    if dry_run or not due:
        db.session.rollback()
        return
    if not yes and not click.confirm(f"Erase these {len(due)}? This cannot be undone"):
        db.session.rollback()
        click.echo("Nothing erased.")
        raise SystemExit(1)
    erased = retention.erase_due(org, now, source="cli")
    db.session.commit()
    click.echo(f"Erased {len(erased)} membership(s).")
