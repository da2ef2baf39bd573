"""Command: `person two-factor-reset EMAIL`, the way back in for someone who lost their phone and codes."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from volunteers.core.cli import fail
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.people import services, twofactor


@click.command("two-factor-reset")
@click.argument("email")
@with_appcontext
def two_factor_reset(email: str) -> None:
    """Turn two-factor sign-in off for EMAIL: the secret and recovery codes go, every session ends.

    Check who is asking first (in person, or by phone to a number you already
    had): this lets the password alone sign in again.
    """
    person = services.person_by_email(email)
    if person is None:
        fail(f"EMAIL: no person with the address {email.strip()!r}")
    was_on = person.two_factor_enabled
    twofactor.reset_by_sysadmin(person, utcnow())
    db.session.commit()
    state = "was on; it is off now" if was_on else "was already off; any half-finished set-up is cleared"
    click.echo(f"Two-factor sign-in for person #{person.id} {state}. Every session of theirs has ended.")
