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
  A signed-in request's first statement, the sign-in read, reads the marks of
  the viewer's organisations with their memberships (``core.kept_text.
  mark_to_keep_by`` takes them from there): no statement of their own.
* **PostgreSQL**: the triggers are deferred constraint triggers, so the marks'
  rows are updated (and locked) only at COMMIT, after every other row the
  transaction changes: two transactions of one organisation queue there for
  a moment instead of taking locks in opposite orders mid-way. As a row
  changes, its trigger's WHEN notes its organisation(s) in transaction-local
  settings (``organisation_noted``; a person's row: those they are a member
  of) and queues the deferred event only for an organisation new to the
  transaction, so a bulk insert's rows after the first cost one check of a
  setting each. The first event to fire changes the marks of every
  organisation noted, one UPDATE each in ``organisation_id`` order, and
  empties the list; the later ones find nothing to do. So each mark changes
  once a transaction, and every transaction takes the marks' rows in the same
  order: two transactions writing several organisations in opposite orders
  (an erasure across organisations and a job across them) wait for each other
  there instead of deadlocking, as they did while each took its marks in the
  order it first wrote its organisations. A transaction whose triggers fire
  before COMMIT (``SET CONSTRAINTS ALL IMMEDIATE``) and that goes on to write
  organisations not noted yet changes their marks when their events fire: it
  takes its marks in two sorted runs, the one case left where a lock order
  is not global.
* **A person's organisations** are looked up as their row changes (the WHEN's
  ``person_noted``, a VOLATILE function: under READ COMMITTED its SELECT
  takes a snapshot of its own, after the row is locked), not at COMMIT. A
  membership made then by another transaction would be missed — its COMMIT
  changes the new organisation's mark, and a page read before the rename
  commits keeps the old name under it — so a membership inserted, or moved to
  another person or organisation, first takes its person's row ``FOR SHARE``
  (``membership_person_held``). That conflicts with the NO KEY UPDATE a change
  of the person holds until COMMIT (the foreign key's KEY SHARE does not): a
  membership made while the person is being changed waits for that COMMIT and
  changes its organisation's mark after it; a change of the person made while
  a membership of theirs is uncommitted waits for it, then looks the
  memberships up afresh and finds it. So no window is left between the lookup
  and the COMMIT. Deadlocks: a transaction that changes a person and makes
  their membership itself holds their row already (the unit of work flushes
  people before memberships), and memberships made for one person by two
  transactions share the lock; two transactions that each make a membership
  of one person and *then*, in a later flush, change that person both hold
  it shared and both want it exclusively, and PostgreSQL aborts one (before,
  the second waited for the first). A REPEATABLE READ or SERIALIZABLE
  transaction looks memberships up in its own snapshot and may miss one made
  since it began: the app runs READ COMMITTED.
* **The settings' cost**: each organisation noted is one custom setting name
  (``volunteers.noted_<id>``), kept for the connection's life, not the
  transaction's. PostgreSQL 15 keeps those names in a sorted array, sorted
  again for each new one, so noting organisations new to a connection slows
  quadratically with how many it has noted: one INSERT … SELECT into 5,000
  new organisations took 2.2 s, into 20,000 111 s. Committing in batches on
  the same connection does not help (20,000 organisations noted in 4
  transactions of 5,000 on one connection: 3.4, 6.4, 40.5, 49.4 s; in one:
  97 s; 5,000 on a new connection: 3.1 s), so a backfill across every
  organisation should commit in batches of a few thousand organisations,
  each batch on a new connection (closed after it). A web worker's
  connections gather one name per organisation they have written for.
* **SQLite** has one writer at a time and row triggers only: each row's
  change updates the mark's row (a few microseconds).
* **Not watched** (:data:`UNWATCHED`): tables written on their own schedule
  that no kept page shows (the outbox, webhook deliveries, the audit trail,
  load re-checks queued, API tokens' last use). A page kept by its mark must
  read none of them.

The SQL lives here; :func:`attach` creates it after ``create_all`` (tests,
benchmarks), and the migrations that added it (7c2d5e8f1a34) and changed it
(b4f03ceb0f49: the marks taken in order; ca7daf78430a: a membership holds
its person) carry copies made when they were
written (a migration must not change when this module does): a table added
later needs its triggers in its own migration, which
tests/integration/test_migrations.py checks for every watched table.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
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
    # a row's organisation(s) noted, once a transaction (a transaction-local setting per organisation holds the
    # transaction's id): true only when one is new to the transaction, so that its trigger queues one event at
    # most per organisation and the rows after it cost this check alone
    """CREATE OR REPLACE FUNCTION organisation_noted(org integer, other integer DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  tx text := txid_current()::text;
  fresh boolean := false;
BEGIN
  IF org IS NOT NULL AND current_setting('volunteers.noted_' || org, true) IS DISTINCT FROM tx THEN
    PERFORM set_config('volunteers.noted_' || org, tx, true);
    PERFORM set_config('volunteers.marks_due',
                       concat_ws(',', nullif(current_setting('volunteers.marks_due', true), ''), org), true);
    fresh := true;
  END IF;
  IF other IS NOT NULL AND other IS DISTINCT FROM org THEN
    IF organisation_noted(other) THEN
      fresh := true;
    END IF;
  END IF;
  RETURN fresh;
END $$""",
    # a person (their name) belongs to every organisation they are a member of
    """CREATE OR REPLACE FUNCTION person_noted(person integer) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  org integer;
  fresh boolean := false;
BEGIN
  FOR org IN SELECT organisation_id FROM memberships WHERE person_id = person LOOP
    IF organisation_noted(org) THEN
      fresh := true;
    END IF;
  END LOOP;
  RETURN fresh;
END $$""",
    # at COMMIT (or SET CONSTRAINTS ... IMMEDIATE): every organisation noted and not yet given its new mark, in
    # organisation_id order (each UPDATE locks its row before the next one), so that two transactions writing
    # several organisations take their marks' rows in one order; the next firings find none due, or only those
    # noted since
    f"""CREATE OR REPLACE FUNCTION organisation_marks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  due text := nullif(current_setting('volunteers.marks_due', true), '');
  org integer;
BEGIN
  IF due IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('volunteers.marks_due', '', true);
  FOR org IN SELECT DISTINCT unnest(string_to_array(due, ',')::integer[]) ORDER BY 1 LOOP
    UPDATE {TABLE} SET mark = (random() * 9.2e18)::bigint WHERE organisation_id = org;
  END LOOP;
  RETURN NULL;
END $$""",
    # a membership made (or moved to another person or organisation) holds its person's row FOR SHARE until
    # COMMIT: it waits for a transaction that changed the person, and one that goes on to change the person
    # waits for it, so that the person's organisations, looked up as their row changes, include this one
    """CREATE OR REPLACE FUNCTION membership_person_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM people WHERE id = NEW.person_id FOR SHARE;
  RETURN NEW;
END $$""",
    # the mark's row made and removed with the organisation's (a new row: nobody else holds it)
    f"""CREATE OR REPLACE FUNCTION organisation_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {TABLE} (organisation_id, mark) VALUES (NEW.id, (random() * 9.2e18)::bigint)
      ON CONFLICT (organisation_id) DO UPDATE SET mark = EXCLUDED.mark;
  ELSE
    DELETE FROM {TABLE} WHERE organisation_id = OLD.id;
  END IF;
  RETURN NULL;
END $$""",
)

#: the SQL of each event's WHEN, by event: the row's organisation(s), noted (see ``organisation_noted``)
_NOTED = {"insert": "organisation_noted(NEW.{0})", "update": "organisation_noted(OLD.{0}, NEW.{0})",
          "delete": "organisation_noted(OLD.{0})"}


def _pg_trigger(table: str, name: str, events: str, when: str) -> tuple[str, ...]:
    """A deferred trigger queued (WHEN, evaluated as the row changes) only by a row that noted an organisation new
    to the transaction: one event per organisation, whatever the number of rows."""
    return (f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table} DEFERRABLE INITIALLY DEFERRED\n"
            f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION organisation_marks_changed()")


def postgresql_sql(table: str) -> tuple[str, ...]:
    """PostgreSQL's triggers for one watched table (the functions of :data:`POSTGRESQL_FUNCTIONS` first): one an
    event, as a WHEN may not name the OLD row of an INSERT nor the NEW of a DELETE."""
    return tuple(sql for event, when in _NOTED.items()
                 for sql in _pg_trigger(table, f"{table}_marks_{event}", event.upper(),
                                        when.format("organisation_id")))


POSTGRESQL_OWNERS = (
    # the mark's row made and removed with the organisation's (a new row: nobody else holds it), changed at COMMIT
    "DROP TRIGGER IF EXISTS organisations_marks_made ON organisations",
    "CREATE TRIGGER organisations_marks_made AFTER INSERT OR DELETE ON organisations\n"
    "FOR EACH ROW EXECUTE FUNCTION organisation_row_changed()",
    *_pg_trigger("organisations", "organisations_marks", "UPDATE", _NOTED["update"].format("id")),
    *_pg_trigger("people", "people_marks", "UPDATE OR DELETE", "person_noted(OLD.id)"),
    "DROP TRIGGER IF EXISTS memberships_marks_person ON memberships",
    "CREATE TRIGGER memberships_marks_person BEFORE INSERT OR UPDATE OF organisation_id, person_id ON memberships\n"
    "FOR EACH ROW EXECUTE FUNCTION membership_person_held()",
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
    return {f"{t}_marks_{e}" for t in tables for e in ("insert", "update", "delete")} | {
        "organisations_marks_made", "organisations_marks", "people_marks", "memberships_marks_person"}


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


def mark_to_keep_by(session: Session | scoped_session[Any], table: Table, org_id: int,
                    known: Mapping[int, int] | None = None) -> int | None:
    """The organisation's mark, for a page to be kept or found by; None (keep nothing) when the session's
    transaction has written or has changes to flush (``core.unit_of_work.wrote``): its own changes are under no
    mark yet (PostgreSQL changes it at COMMIT, and the transaction may yet roll back).

    ``known``: marks by organisation read earlier in the request, before any of the page's rows (the sign-in
    read's); one found there is not read again.
    """
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return None
    if known is not None and org_id in known:
        return known[org_id]
    return mark_of(session.connection(), table, org_id)


def as_loaded(org: Any, viewer: Any) -> tuple[Any, ...]:
    """What a page kept by mark takes from the organisation and the viewer as the sign-in read loaded them, for
    its key.

    A signed-in request reads its organisations' marks with these values, in one statement
    (``people.sessions.signed_in``); where a mark is read later, in a statement of its own (an organisation the
    sign-in read did not bring), a change to the organisation's row (its zone, settings, policy) or to the
    viewer's membership committed between the two would otherwise make a page of the old values under the new
    mark. With these in the key, such a page is only ever found by a request that loaded the same old values
    (none, once the change is committed).
    """
    return (org.slug, org.name, org.timezone, org.currency, org.coproduction_mode,
            json.dumps(org.settings, sort_keys=True, default=str), viewer.id, viewer.role, viewer.status)
