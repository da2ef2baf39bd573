"""The ``load`` command group: ``flask --app wsgi load assess FILE.json``.

``assess`` needs no app or database (``with_appcontext=False``). Other
``load`` commands (``scan``) are added to this same group elsewhere.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from volunteers.wellbeing.domain.assess import AssessmentError, assess

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
