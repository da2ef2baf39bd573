"""Make the contributions ledger append-only in the database itself.

A report once sent must always be reproducible, so nothing in the ledger is
edited or deleted: corrections are new reversing entries. The application
never issues such statements, and triggers make the database refuse them
from anywhere else too (a console, a migration, a bug):

* DELETE is always refused;
* UPDATE is refused unless the entry is ``pending`` and only its decision
  fields change (``status``, ``approved_by_person_id``, ``decided_at``) —
  that is how an entry is approved or rejected.

The SQL lives here as plain strings. :func:`attach` runs them after
``CREATE TABLE`` so ``create_all`` (tests, benchmarks) gets them; the initial
Alembic migration carries a copy made when it was written (a migration must
not change when this module does), so a change here needs a new migration. TRUNCATE (PostgreSQL) and DROP TABLE are
schema operations, not row changes, and are not blocked.
"""
from __future__ import annotations

from sqlalchemy import DDL, FromClause, Table, event

#: fields a decision may change, and only while the entry is pending
DECISION_COLUMNS = ("status", "approved_by_person_id", "decided_at")
#: every other column: never changes after INSERT (a test checks this list covers the table)
IMMUTABLE_COLUMNS = (
    "id", "organisation_id", "membership_id", "contributor_name", "contributor_type", "kind", "stage",
    "hours", "amount", "occurred_at", "occurred_on", "role_id", "site_id", "assignment_id",
    "reverses_id", "note", "recorded_at",
)
MESSAGE = "contributions are append-only: approve or reject a pending entry, or add a reversing entry"

_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE_COLUMNS)
_PG_OLD = ", ".join(f"OLD.{c}" for c in IMMUTABLE_COLUMNS)
_PG_NEW = ", ".join(f"NEW.{c}" for c in IMMUTABLE_COLUMNS)

SQLITE = (
    f"""CREATE TRIGGER IF NOT EXISTS contributions_no_delete BEFORE DELETE ON contributions
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS contributions_no_update BEFORE UPDATE ON contributions
WHEN OLD.status != 'pending' OR {_SQLITE_CHANGED}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
)

POSTGRESQL = (
    f"""CREATE OR REPLACE FUNCTION contributions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'pending'
     OR ROW({_PG_OLD}) IS DISTINCT FROM ROW({_PG_NEW}) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS contributions_append_only ON contributions",
    """CREATE TRIGGER contributions_append_only BEFORE UPDATE OR DELETE ON contributions
FOR EACH ROW EXECUTE FUNCTION contributions_append_only()""",
)

def attach(table: FromClause) -> None:
    """Create the triggers whenever ``table`` is created (create_all, not only migrations).

    Takes a mapped class's ``__table__``, which SQLAlchemy types as any FROM clause;
    only a table can be created, so anything else is refused.
    """
    if not isinstance(table, Table):
        raise TypeError(f"only a table gets triggers, not {type(table).__name__}")
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for sql in statements:
            # DDL runs the text through %-formatting; the SQL has no placeholders.
            event.listen(table, "after_create", DDL(sql.replace("%", "%%")).execute_if(dialect=dialect))
