"""Backups that restore: a consistent copy of the live database, and putting one back.

Why these tools: SQLite's online backup API copies a live database page by
page under its own locking, so the copy is one consistent state even while
web workers write (a plain file copy can catch a half-written page or miss
the WAL). For PostgreSQL, ``pg_dump`` takes its snapshot in one repeatable-read
transaction, so the dump is consistent without stopping anybody; the custom
format (``-Fc``) is compressed and lets ``pg_restore`` recreate tables, data,
indexes and triggers in the right order.

A backup is written under a temporary name and renamed when complete, so a
crash never leaves a half-written file that looks like a good copy. Restoring
checks what kind of file it was given before touching the database.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """A finished backup: where it is, what it holds and its size."""

    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int


def kind_of_engine(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def kind_of_file(path: Path) -> str:
    """Tell a SQLite database file from a pg_dump custom-format archive by their first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"{path}: cannot be read ({error.strerror})") from error
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path}: not a backup made by `flask --app wsgi backup` (neither SQLite nor pg_dump -Fc)")


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The database as pg_dump/pg_restore take it: a libpq URL without the password, which goes in the environment."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def back_up(engine: Engine, destination: Path) -> Backup:
    """Write a consistent copy of the database behind ``engine`` to ``destination`` (replaced if it exists)."""
    kind = kind_of_engine(engine)
    destination = destination.resolve()
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent}: no such directory")
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if kind == "sqlite":
            _sqlite_copy(engine, partial)
        else:
            url, env = _libpq(engine)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}",
                  f"--dbname={url}"], env)
        partial.replace(destination)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite backup failed: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Backup(destination, kind, destination.stat().st_size)


def _sqlite_file(engine: Engine) -> Path | None:
    """The database file, or None for an in-memory database."""
    name = engine.url.database
    return Path(name) if name and name != ":memory:" and not name.startswith("file:") else None


def _sqlite_copy(engine: Engine, target_path: Path) -> None:
    """Copy through the engine's own connection, so an in-memory database can be backed up too."""
    live = _sqlite_file(engine)
    if live is not None and not live.is_file():  # connecting would create an empty one and back that up
        raise BackupError(f"{live}: no such database (run flask --app wsgi db upgrade first?)")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        raw.close()


def check_restorable(engine: Engine, source: Path) -> str:
    """Refuse a file that is no backup, or one of the other database's kind; return the kind."""
    kind = kind_of_engine(engine)
    found = kind_of_file(source)
    if found != kind:
        raise BackupError(f"{source}: a {found} backup cannot be restored into a {kind} database")
    return kind


def database_exists(engine: Engine) -> bool:
    """False for a SQLite file not made yet (connecting would make it); True otherwise."""
    live = _sqlite_file(engine) if engine.dialect.name == "sqlite" else None
    return live is None or live.is_file()


def restore(engine: Engine, source: Path) -> str:
    """Replace the database behind ``engine`` with the backup at ``source``; return its kind.

    PostgreSQL: ``pg_restore --clean --if-exists --single-transaction``, so a
    failure half-way leaves the database as it was.
    """
    kind = check_restorable(engine, source)
    if kind == "sqlite":
        live = _sqlite_file(engine)
        if live is not None:  # a fresh machine: instance/ may not exist yet
            live.parent.mkdir(parents=True, exist_ok=True)
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            backup.backup(target)
        finally:
            raw.close()
            backup.close()
        engine.dispose()  # pooled connections may hold the old schema's cached statements
    else:
        url, env = _libpq(engine)
        engine.dispose()  # our own idle connections would hold locks pg_restore's DROPs wait for
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={url}", str(source)], env)
    return kind


def rotate(directory: Path, pattern: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` files matching ``pattern`` (names sort by time); return those deleted."""
    if keep < 1:
        raise BackupError("BACKUP_KEEP must be at least 1: rotating must never delete the last copy")
    copies = sorted(directory.glob(pattern))
    doomed = copies[:-keep]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
