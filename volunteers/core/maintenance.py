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
commit, naming the tables it wrote; the migrations analyse what they
changed (``migrations/env.py``). The services behind the web's bulk
writes (a CSV import of people or shifts, the auto-rota's accepted places)
call :func:`analyze_if_grown` before the request's one commit: it analyses
only a table the write grew by autovacuum's own measure (50 rows and a
tenth of the table), so a few rows added to a national database cost
nothing, and a first import into a fresh one is planned on true figures.
"""
from __future__ import annotations

from collections.abc import Mapping
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


#: autovacuum's defaults (``autovacuum_analyze_threshold``, ``autovacuum_analyze_scale_factor``): a table is
#: analysed again once more rows than this changed since its statistics were taken
GROWN_ROWS = 50
GROWN_SHARE = 0.1


def analyze_if_grown(session: Session | scoped_session[Any], written: Mapping[str | Table | Any, int]) -> list[str]:
    """Analyse, inside the current transaction, each table grown past autovacuum's threshold; return their names.

    ``written`` gives the rows this transaction wrote to each table (names,
    tables or models). A table is analysed when those rows, plus the changes
    the server counted since its last ``ANALYZE`` (PostgreSQL's
    ``n_mod_since_analyze``), exceed 50 rows and a tenth of the rows its
    statistics know — or when it has never been analysed. Flushes first;
    never commits: PostgreSQL's ``ANALYZE`` inside a transaction samples the
    transaction's own new rows, and its statistics become visible with the
    commit (a rollback drops them with the rows).
    """
    wanted = {_name(t): n for t, n in written.items() if n > 0}
    if not wanted:
        return []
    session.flush()
    bind = session.get_bind()
    quote = bind.dialect.identifier_preparer.quote
    if bind.dialect.name == "postgresql":
        known = {name: (tuples, changed) for name, tuples, changed in session.execute(text(
            "SELECT c.relname, c.reltuples, coalesce(s.n_mod_since_analyze, 0) FROM pg_class c "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid) AND c.relname = ANY(:names)"),
            {"names": sorted(wanted)})}
    else:  # SQLite: the row count ANALYZE last wrote to sqlite_stat1 (none: never analysed)
        stat1 = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
        counts: dict[str, float] = {}
        if stat1 is not None:
            for table, stat in session.execute(text("SELECT tbl, stat FROM sqlite_stat1")):
                counts[table] = max(counts.get(table, 0.0), float(str(stat).split()[0]))
        known = {name: (counts.get(name, -1.0), 0) for name in wanted}
    due = sorted(name for name, rows in wanted.items()
                 if name in known and (known[name][0] < 0
                                       or rows + known[name][1] > GROWN_ROWS + GROWN_SHARE * known[name][0]))
    if due and bind.dialect.name == "postgresql":
        session.execute(text("ANALYZE " + ", ".join(quote(n) for n in due)))
    else:
        for name in due:
            session.execute(text(f"ANALYZE {quote(name)}"))
    return due
