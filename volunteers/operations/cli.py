"""`flask --app wsgi backup FILE` and `flask --app wsgi restore FILE`.

Restore replaces everything in the configured database, so it refuses a
database that holds organisations unless told ``--replace``: restoring into
a fresh database is the normal case (and the one the tests prove).
"""
from __future__ import annotations

import logging
from pathlib import Path

import click
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.operations.backups import BackupError, back_up, check_restorable, database_exists, restore
from volunteers.reports import draft_cache
from volunteers.wellbeing import org_figures_cache

log = logging.getLogger(__name__)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE (SQLite: online backup; PostgreSQL: pg_dump -Fc)."""
    try:
        made = back_up(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up the {made.kind} database to {made.path} ({made.size} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Restore over a database that already holds organisations.")
def restore_command(file: Path, replace: bool) -> None:
    """Replace the database's contents with the backup in FILE."""
    if not file.is_file():
        raise click.ClickException(f"{file}: no such backup file")
    try:
        check_restorable(db.engine, file)
        if not replace and _holds_organisations():
            raise click.ClickException("the database already holds organisations; restore into a fresh database, "
                                       "or add --replace to overwrite it")
        db.session.remove()
        kind = restore(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise click.ClickException(f"the database cannot be reached: {reason}") from error
    click.echo(f"restored the {kind} database from {file}")
    # the kept figures and drafts were made from the old tables, and the restore wrote past the session
    for cache in (draft_cache, org_figures_cache):
        try:
            cache.forget_all()
        except Exception:  # a cache that does not answer: its entries expire within ten minutes anyway
            log.warning("%s unreachable after the restore; its entries expire by themselves", cache.__name__,
                        exc_info=True)


def _holds_organisations() -> bool:
    if not database_exists(db.engine):
        return False
    if not inspect(db.engine).has_table(Organisation.__tablename__):
        return False
    found = db.session.scalar(select(Organisation.id).limit(1)) is not None
    db.session.rollback()
    return found
