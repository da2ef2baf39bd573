"""The ``load`` command group: ``load assess FILE.json`` and ``load scan --org SLUG``.

``assess`` needs no app or database (``with_appcontext=False``); ``scan``
needs both, and imports what it needs inside, so ``assess`` stays free of
the database layer.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from volunteers.core.cli import fail, organisation_or_fail
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.wellbeing import services
from volunteers.wellbeing.domain.assess import AssessmentError, assess
from volunteers.wellbeing.schedules import org_policy

load = AppGroup("load", help="Assess and scan volunteers' load against the burn-out rules.")


class InputError(click.ClickException):
    """Bad input: one message on stderr, exit code 2, nothing on stdout."""

    exit_code = 2


def _read(path: str) -> tuple[str, bytes]:
    """Return a display name and the bytes of ``path`` (``-`` is stdin)."""
    name = "<stdin>" if path == "-" else path
    try:
        with click.open_file(path, "rb") as handle:
            return name, handle.read()
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None


@load.command("assess", with_appcontext=False)
@click.argument("file", metavar="FILE.json")
def assess_command(file: str) -> None:
    """Assess the schedules in FILE.json (or - for stdin) and print the warnings as JSON.

    The input and output are DESIGN.md's "Load assessment interface". Bad
    input gets one message on stderr naming the field, and exit code 2.
    """
    name, raw = _read(file)
    try:
        payload = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InputError(f"{name}: invalid JSON at {where}: {error.msg}") from None
    try:
        result = assess(payload)
    except AssessmentError as error:
        raise InputError(f"{name}: {error}") from None
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))


@load.command("scan")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
def scan_command(slug: str) -> None:
    """Scan an organisation's worked and planned shifts now and update its load warnings.

    Prints how many warnings are open, new, worse and resolved.
    """
    org = organisation_or_fail(slug)
    try:
        org_policy(org)
    except ValueError as error:
        fail(f"organisation {slug} settings: {error}")
    result = services.scan(org, utcnow())
    db.session.commit()
    click.echo(f"{org.slug}: {result.people} people judged; {result.open} open warnings "
               f"({result.new} new, {result.worse} worse, {result.updated} updated), {result.resolved} resolved")
