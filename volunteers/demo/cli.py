"""The ``demo`` command: load the two demo organisations into an empty database."""
from __future__ import annotations

import time

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from volunteers.core.maintenance import analyze
from volunteers.core.models import Organisation
from volunteers.core.timeutil import utcnow
from volunteers.demo.data import load_demo
from volunteers.extensions import db
from volunteers.wellbeing.services import scan

DEMO_SLUGS = ("tackley", "surestart")


def database_is_empty() -> bool:
    """Return True when there is no organisation at all (``make run`` loads the demo then)."""
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def existing_demo_slugs() -> list[str]:
    """Return the demo slugs already taken (by the demo or by anyone else)."""
    return list(db.session.scalars(
        select(Organisation.slug).where(Organisation.slug.in_(DEMO_SLUGS)).order_by(Organisation.slug)))


def existing_demo_organisations() -> list[Organisation]:
    """Return the demo organisations that exist."""
    return list(db.session.scalars(
        select(Organisation).where(Organisation.slug.in_(DEMO_SLUGS)).order_by(Organisation.slug)))


@click.command("demo")
@click.option("--if-empty", is_flag=True,
              help="Load only into a database without any organisation (what `make run` does).")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the demo organisations (Tackley shop, Sure Start peer counsellors).

    A quarter of worked history and the rota to the end of next month,
    relative to now. Does nothing if they (or any organisation, with
    --if-empty) are already there.
    """
    if if_empty and not database_is_empty():
        click.echo("The database already holds organisations; the demo was not loaded.")
        return
    taken = existing_demo_slugs()
    if taken:
        click.echo(f"The demo is already loaded (organisations {', '.join(taken)} exist); nothing changed.")
        return
    started = time.perf_counter()
    try:
        now = utcnow()
        summary = load_demo(now)
        # judge everyone's load now, as the nightly scan would, so /warnings has the evidence at once
        for org in existing_demo_organisations():
            scan(org, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    analyze(db.session)  # thousands of rows the planner has not seen: PostgreSQL plans badly until analysed
    click.echo(f"Loaded the demo in {time.perf_counter() - started:.1f} s:")
    for slug, org in summary["organisations"].items():
        click.echo(
            f"  {slug}: {org['name']} — {org['members']} members, {org['shifts']} shifts "
            f"({org['next_month_open_places']} of {org['next_month_places']} places open next month), "
            f"{org['assignments']} assignments, "
            f"{org['attended_contributions'] + org['other_contributions']} ledger entries"
        )
    click.echo(f"Sign in with any of these (password: {summary['password']}):")
    for email, what in summary["logins"].items():
        click.echo(f"  {email:32} {what}")
    watch = [e for org in summary["organisations"].values() for e in org["key_drivers"] + org["night_heavy"]]
    click.echo(f"Load warnings to look at: {', '.join(watch)} (same password).")
