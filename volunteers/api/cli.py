"""``flask --app wsgi token create --email EMAIL --org SLUG [--scope read|write] [--days N]``.

Prints a line saying what was made (to stderr) and the token alone on the
last line of standard output, so a script can take it with ``tail -n1``.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from volunteers.api import tokens
from volunteers.core.cli import fail, organisation_or_fail
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.people.models import Membership, Person

token_cli = AppGroup("token", help="Personal access tokens for the JSON API.")


@token_cli.command("create")
@click.option("--email", required=True, help="Whose token: the person's e-mail address.")
@click.option("--org", "slug", required=True, help="The organisation's slug: the token acts there only.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=tokens.DEFAULT_DAYS, show_default=True, help="Days until it expires.")
def create_command(email: str, slug: str, scope: str, name: str, days: int) -> None:
    """Make a token for a member of an organisation, with their role there."""
    org = organisation_or_fail(slug)
    membership = db.session.scalar(
        select(Membership).join(Person, Person.id == Membership.person_id)
        .where(Membership.organisation_id == org.id, Person.email == func.lower(email.strip())))
    if membership is None:
        fail(f"--email: {email!r} is not a member of {slug!r}")
    try:
        made = tokens.create_token(org, membership, name, scope, days, utcnow())
    except ServiceError as error:
        option = "email" if error.field == "membership" else error.field or "name"
        fail(f"--{option}: {error}")
    db.session.commit()
    click.echo(f"Made a {scope} token {made.record.name!r} for {email} at {slug}, expiring "
               f"{made.record.expires_at:%Y-%m-%d}. It is shown once:", err=True)
    click.echo(made.token)
