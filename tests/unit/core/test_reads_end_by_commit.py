"""Only SQLite's driver is spared ending a read's transaction by COMMIT (``core.unit_of_work.reads_end_by_commit``):
psycopg forgets its prepared statements at a rollback, and a driver not known to keep none is treated like it."""
from __future__ import annotations

from sqlalchemy import create_engine

from volunteers.core.unit_of_work import reads_end_by_commit


def test_sqlite_alone_ends_reads_without_the_commit() -> None:
    sqlite, postgres = create_engine("sqlite://"), create_engine("postgresql+psycopg://nobody@127.0.0.1/none")
    try:
        assert reads_end_by_commit([sqlite]) is False
        assert reads_end_by_commit([postgres]) is True
        assert reads_end_by_commit([sqlite, postgres]) is True
    finally:
        sqlite.dispose()
        postgres.dispose()
