"""Each organisation's change mark: a number the database itself changes whenever that organisation's data does.

Why: a page kept between views (the shift panel) was still checked by reading
every row it is made of, a dozen statements, on every view; that checking was
most of its cost. The database knows when anything changes, so triggers make
it say so: every INSERT, UPDATE or DELETE of a row of an organisation's
tables (those with ``organisation_id``, but :data:`UNWATCHED`), of the
organisation's own row, or of a person who is a member, gives the
organisation's row in ``organisation_changes`` a new ``mark``. A page kept
under the mark it was made at is what the rows would make again for as long
as the mark reads the same. Triggers see every write — the app's, a console's,
a migration's, raw SQL — so no code path has to remember to announce one.

* **A new mark is never an old one**: it is drawn at random (SQLite's
  ``random()``, 64 bits; PostgreSQL's, 52), not counted: a transaction that
  rolls back, or a database restored from a backup, cannot make a mark that
  stood for other data come back (a restored database's own marks stand for
  the data restored).
* **Read the mark first, then the rows**: a change committed between the two
  reads makes a page of newer rows under an older mark, which is only a page
  made again next time; the other order could keep old rows under the new mark.
* **PostgreSQL**: the triggers are deferred constraint triggers, so the mark's
  row is updated (and locked) only at COMMIT, after every other row the
  transaction changes: two transactions of one organisation queue there for
  a moment instead of taking locks in opposite orders mid-way. Each
  organisation's mark changes once a transaction (a transaction-local
  setting remembers it), however many rows a bulk insert adds.
* **SQLite** has one writer at a time and row triggers only: each row's
  change updates the mark's row (a few microseconds).
* **Known limit (PostgreSQL)**: a transaction writing several organisations
  locks their marks at COMMIT in the order it first wrote them (a person's
  row: in id order). Two such transactions at once, in opposite orders (an
  erasure across organisations and a job across them), can deadlock there;
  PostgreSQL aborts one. Noting the organisations as rows change and locking
  their marks sorted, once, at COMMIT would remove it.
* **Not watched** (:data:`UNWATCHED`): tables written on their own schedule
  that no kept page shows (the outbox, webhook deliveries, the audit trail,
  load re-checks queued, API tokens' last use). A page kept by its mark must
  read none of them.

The SQL lives here; :func:`attach` creates it after ``create_all`` (tests,
benchmarks), and the migration that added it carries a copy made when it was
written (a migration must not change when this module does): a table added
later needs its triggers in its own migration, which
tests/integration/test_migrations.py checks for every watched table.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Integer, MetaData, Table, bindparam, event, select
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql.selectable import Select

from volunteers.core import compiled_sql

TABLE = "organisation_changes"
#: tables with ``organisation_id`` whose writes leave the mark as it is (see the module's docstring)
UNWATCHED = frozenset({"audit_log_entries", "outbox_messages", "webhook_deliveries", "load_rechecks",
                       "api_tokens"})


def define(metadata: MetaData) -> Table:
    """The marks' table: one row per organisation (made by its INSERT trigger), no foreign key (its DELETE
    trigger removes it, whatever SQLite's foreign-key setting)."""
    return Table(TABLE, metadata,
                 Column("organisation_id", Integer, primary_key=True, autoincrement=False),
                 Column("mark", BigInteger, nullable=False))


def watched(metadata: MetaData) -> list[str]:
    """The tables whose rows belong to an organisation and whose writes change its mark, by name."""
    return sorted(t.name for t in metadata.tables.values()
                  if "organisation_id" in t.c and t.name not in UNWATCHED and t.name != TABLE)


def sqlite_sql(table: str) -> tuple[str, ...]:
    """SQLite's triggers for one watched table."""
    set_mark = f"UPDATE {TABLE} SET mark = random() WHERE organisation_id"
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_marks_insert AFTER INSERT ON {table}\n"
        f"BEGIN {set_mark} = NEW.organisation_id; END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_marks_update AFTER UPDATE ON {table}\n"
        f"BEGIN {set_mark} IN (OLD.organisation_id, NEW.organisation_id); END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_marks_delete AFTER DELETE ON {table}\n"
        f"BEGIN {set_mark} = OLD.organisation_id; END",
    )


SQLITE_OWNERS = (
    # the organisation's own row (its zone, settings and policy): its mark's row made, changed, removed
    f"CREATE TRIGGER IF NOT EXISTS organisations_marks_insert AFTER INSERT ON organisations\n"
    f"BEGIN INSERT OR REPLACE INTO {TABLE} (organisation_id, mark) VALUES (NEW.id, random()); END",
    f"CREATE TRIGGER IF NOT EXISTS organisations_marks_update AFTER UPDATE ON organisations\n"
    f"BEGIN UPDATE {TABLE} SET mark = random() WHERE organisation_id IN (OLD.id, NEW.id); END",
    f"CREATE TRIGGER IF NOT EXISTS organisations_marks_delete AFTER DELETE ON organisations\n"
    f"BEGIN DELETE FROM {TABLE} WHERE organisation_id = OLD.id; END",
    # a person (their name) belongs to every organisation they are a member of
    f"CREATE TRIGGER IF NOT EXISTS people_marks_update AFTER UPDATE ON people\n"
    f"BEGIN UPDATE {TABLE} SET mark = random() WHERE organisation_id IN\n"
    f"  (SELECT organisation_id FROM memberships WHERE person_id IN (OLD.id, NEW.id)); END",
    f"CREATE TRIGGER IF NOT EXISTS people_marks_delete AFTER DELETE ON people\n"
    f"BEGIN UPDATE {TABLE} SET mark = random() WHERE organisation_id IN\n"
    f"  (SELECT organisation_id FROM memberships WHERE person_id = OLD.id); END",
)

POSTGRESQL_FUNCTIONS = (
    # once per organisation and transaction: the setting is transaction-local, and holds the transaction's id
    f"""CREATE OR REPLACE FUNCTION organisation_changed(org integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  flag text := 'volunteers.changed_' || org;
BEGIN
  IF org IS NULL OR current_setting(flag, true) = txid_current()::text THEN
    RETURN;
  END IF;
  UPDATE {TABLE} SET mark = (random() * 9.2e18)::bigint WHERE organisation_id = org;
  PERFORM set_config(flag, txid_current()::text, true);
END $$""",
    """CREATE OR REPLACE FUNCTION organisation_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM organisation_changed(NEW.organisation_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM organisation_changed(OLD.organisation_id);
  ELSE
    PERFORM organisation_changed(OLD.organisation_id);
    PERFORM organisation_changed(NEW.organisation_id);
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION organisation_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {TABLE} (organisation_id, mark) VALUES (NEW.id, (random() * 9.2e18)::bigint)
      ON CONFLICT (organisation_id) DO UPDATE SET mark = EXCLUDED.mark;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM {TABLE} WHERE organisation_id = OLD.id;
  ELSE
    PERFORM organisation_changed(OLD.id);
    PERFORM organisation_changed(NEW.id);
  END IF;
  RETURN NULL;
END $$""",
    """CREATE OR REPLACE FUNCTION person_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org integer;
BEGIN
  FOR org IN SELECT DISTINCT organisation_id FROM memberships WHERE person_id = OLD.id
             ORDER BY organisation_id LOOP
    PERFORM organisation_changed(org);
  END LOOP;
  RETURN NULL;
END $$""",
)


def _pg_trigger(table: str, name: str, function: str, events: str) -> tuple[str, ...]:
    return (f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table}\n"
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()")


def postgresql_sql(table: str) -> tuple[str, ...]:
    """PostgreSQL's trigger for one watched table (the functions of :data:`POSTGRESQL_FUNCTIONS` first)."""
    return _pg_trigger(table, f"{table}_marks", "organisation_rows_changed", "INSERT OR UPDATE OR DELETE")


POSTGRESQL_OWNERS = (
    # the mark's row made and removed with the organisation's (a new row: nobody else holds it), changed at COMMIT
    "DROP TRIGGER IF EXISTS organisations_marks_made ON organisations",
    "CREATE TRIGGER organisations_marks_made AFTER INSERT OR DELETE ON organisations\n"
    "FOR EACH ROW EXECUTE FUNCTION organisation_row_changed()",
    *_pg_trigger("organisations", "organisations_marks", "organisation_row_changed", "UPDATE"),
    *_pg_trigger("people", "people_marks", "person_row_changed", "UPDATE OR DELETE"),
)


def all_sql(dialect: str, tables: list[str]) -> tuple[str, ...]:
    """Every statement that makes the marks' triggers for ``tables`` on ``dialect`` (after the table exists)."""
    if dialect == "sqlite":
        return (*SQLITE_OWNERS, *(sql for table in tables for sql in sqlite_sql(table)))
    if dialect == "postgresql":
        return (*POSTGRESQL_FUNCTIONS, *POSTGRESQL_OWNERS,
                *(sql for table in tables for sql in postgresql_sql(table)))
    return ()


def trigger_names(dialect: str, tables: list[str]) -> set[str]:
    """The names of the triggers :func:`all_sql` makes for ``tables`` on ``dialect`` (tests check they exist)."""
    if dialect == "sqlite":
        return {f"{t}_marks_{e}" for t in tables for e in ("insert", "update", "delete")} | {
            "organisations_marks_insert", "organisations_marks_update", "organisations_marks_delete",
            "people_marks_update", "people_marks_delete"}
    return {f"{t}_marks" for t in (*tables, "organisations", "people")} | {"organisations_marks_made"}


def attach(metadata: MetaData) -> Table:
    """Define the marks' table on ``metadata`` and make its triggers whenever ``create_all`` makes the tables."""
    table = define(metadata)

    def make_triggers(target: MetaData, connection: Connection, **kw: Any) -> None:
        for sql in all_sql(connection.dialect.name, watched(target)):
            connection.exec_driver_sql(sql)  # no parameters, and no "%" in the SQL

    event.listen(metadata, "after_create", make_triggers)
    return table


def _mark_read(table: Table) -> Select:
    return select(table.c.mark).where(table.c.organisation_id == bindparam("org"))


def mark_of(conn: Connection, table: Table, org_id: int) -> int | None:
    """The organisation's mark now (None: it has none, and nothing may be kept by it). One statement."""
    rows = compiled_sql.driver_rows(conn, _mark_read, (table,), {"org": org_id}).rows
    return int(rows[0][0]) if rows else None


#: ``core.unit_of_work.WROTE``: the session's note that its transaction wrote (not imported: importing the models,
#: which import this module, must not import Flask; a test checks the two agree)
WROTE = "volunteers.unit_of_work.wrote"


def mark_to_keep_by(session: Session | scoped_session[Any], table: Table, org_id: int) -> int | None:
    """The organisation's mark, for a page to be kept or found by; None (keep nothing) when the session's
    transaction has written or has changes to flush (``core.unit_of_work.wrote``): its own changes are under no
    mark yet (PostgreSQL changes it at COMMIT, and the transaction may yet roll back)."""
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return None
    return mark_of(session.connection(), table, org_id)


def as_loaded(org: Any, viewer: Any) -> tuple[Any, ...]:
    """What a page kept by mark takes from the organisation and the viewer as the sign-in read loaded them, for
    its key.

    The sign-in read runs before the mark is read: a change to the organisation's row (its zone, settings,
    policy) or to the viewer's membership committed between the two would otherwise make a page of the old
    values under the new mark. With these in the key, such a page is only ever found by a request that
    loaded the same old values (none, once the change is committed).
    """
    return (org.slug, org.name, org.timezone, org.currency, org.coproduction_mode,
            json.dumps(org.settings, sort_keys=True, default=str), viewer.id, viewer.role, viewer.status)
