"""Keep the query planner's statistics true after a bulk load.

A planner chooses joins and indexes from its statistics of each table.
PostgreSQL gathers them with ``ANALYZE``, which autovacuum runs only some
time after a table changed — and never where autovacuum is off. Until then
a freshly loaded table looks empty: the demo's monthly report once took
7.6 s per request on PostgreSQL (a nested loop over 1,834 × 580 rows the
planner thought were a handful) and 4 ms once analysed. SQLite has no
statistics until ``ANALYZE`` writes ``sqlite_stat1``, and plans better with
them too.

So every edge that loads many rows at once — the ``demo`` command, the
``import`` commands, ``rota fill`` — calls :func:`analyze` after its
commit, naming the tables it wrote.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session, scoped_session


def _name(table: str | Table | Any) -> str:
    if isinstance(table, str):
        return table
    if isinstance(table, Table):
        return table.name
    return str(table.__tablename__)  # a mapped class


def analyze(session: Session | scoped_session[Any], *tables: str | Table | Any) -> None:
    """Refresh the statistics of ``tables`` (names, tables or models; none: every table) and commit.

    Call it after the load's own commit: ``ANALYZE`` should see the rows the
    load wrote, and on SQLite it writes ``sqlite_stat1``, which this commits.
    """
    bind = session.get_bind()
    quote = bind.dialect.identifier_preparer.quote
    names = sorted({_name(t) for t in tables})
    if not names:
        session.execute(text("ANALYZE"))
    elif bind.dialect.name == "postgresql":
        session.execute(text("ANALYZE " + ", ".join(quote(n) for n in names)))
    else:  # SQLite analyses one table (or index, or schema) per statement
        for name in names:
            session.execute(text(f"ANALYZE {quote(name)}"))
    session.commit()
