"""``sql_hours.seconds_between`` on SQLite: ``unixepoch()`` gives what ``strftime('%s')`` gave (issue 13).

The candidate list's hours statement sums a shift's length in seconds for every place of a month; SQLite 3.38+
writes it with ``unixepoch()``, older libraries as before. Both read stored UTC text (microseconds and all)
as the same whole seconds.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table, create_engine, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Dialect

from volunteers.rota.sql_hours import seconds_between

_HAS_UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38, 0)
_instants = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
_STORED = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's SQLite DateTime stores an instant


def _sql(dialect: Dialect) -> str:
    table = Table("shifts", MetaData(), Column("starts_at", String), Column("ends_at", String))
    return str(select(seconds_between(table.c.starts_at, table.c.ends_at)).compile(dialect=dialect))


def test_the_sqlite_form_follows_the_library() -> None:
    assert ("unixepoch(" in _sql(create_engine("sqlite://").dialect)) == _HAS_UNIXEPOCH
    assert "strftime('%s'" in _sql(sqlite_dialect.dialect())  # a dialect without its driver: the older form


@pytest.mark.skipif(not _HAS_UNIXEPOCH, reason="this SQLite has no unixepoch()")
@given(start=_instants, length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
def test_unixepoch_gives_strftimes_seconds(start: datetime, length: timedelta) -> None:
    end = start + length
    conn = sqlite3.connect(":memory:")
    for begins, ends in ((start.strftime(_STORED), end.strftime(_STORED)),
                         (start.isoformat(" "), end.isoformat(" ")), (None, end.strftime(_STORED))):
        new, old = conn.execute(
            "SELECT unixepoch(?) - unixepoch(?), "
            "CAST(strftime('%s', ?) AS INTEGER) - CAST(strftime('%s', ?) AS INTEGER)",
            (ends, begins, ends, begins)).fetchone()
        assert new == old and (new is None or isinstance(new, int))
