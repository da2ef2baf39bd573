"""Helpers every feature's commands share: fail with a clear message, read the usual options.

A command that fails prints ``Error: <file or option>: <what is wrong>`` to
stderr, exits 1 and leaves the database as it was (the session is rolled
back before exiting).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NoReturn

import click
from sqlalchemy import select

from volunteers.core.models import Organisation
from volunteers.core.params import MAX_YEAR, MIN_YEAR, parse_date
from volunteers.extensions import db


def fail(message: str) -> NoReturn:
    """Print an error to stderr and exit 1, leaving the database as it was."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def date_or_fail(value: str, option: str) -> date:
    """Return ``value`` as a date, or fail naming the option (``--from: expected a date …``)."""
    try:
        return parse_date(value)
    except ValueError:
        fail(f"{option}: expected a date as YYYY-MM-DD from {MIN_YEAR} to {MAX_YEAR}, got {value!r}")


def organisation_or_fail(slug: str) -> Organisation:
    """Return the organisation called ``slug``, or fail naming ``--org``."""
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        fail(f"--org: no organisation called {slug!r} (create it with `flask --app wsgi org create`)")
    return org


def read_file_or_fail(path: str) -> bytes:
    """Return the file's bytes, or fail naming the file."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror})")
