"""Make the audit trail append-only in the database itself, like the contributions ledger.

The application never edits or deletes an entry, and triggers make the
database refuse it from anywhere else too (a console, a migration, a bug).
Two changes stay possible, both made by the database's own foreign keys:

* ``actor_person_id`` may become NULL (``ON DELETE SET NULL`` when a person
  row is deleted; the app never deletes people, it erases their fields);
  no other column may change, and the actor may not change to someone else;
* an entry may be deleted once its organisation no longer exists (the
  ``ON DELETE CASCADE`` of an organisation's removal), never otherwise.

The SQL lives here as plain strings. :func:`attach` runs them after ``CREATE
TABLE`` so ``create_all`` (tests, benchmarks) gets them; the Alembic
migration that added them carries a copy made when it was written (a
migration must not change when this module does), so a change here needs a
new migration. TRUNCATE (PostgreSQL) and DROP TABLE are schema operations,
not row changes, and are not blocked.
"""
from __future__ import annotations

from sqlalchemy import DDL, FromClause, Table, event

TABLE = "audit_log_entries"
#: every column but the actor: never changes after INSERT (a test checks this list covers the table)
IMMUTABLE_COLUMNS = ("id", "organisation_id", "action", "target_type", "target_id", "details", "reason",
                     "created_at")
MESSAGE = "the audit trail is append-only: entries are never edited or deleted"

_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE_COLUMNS)
# PostgreSQL's json type has no equality: compare its text (the column is never rewritten, so the text is stable)
_PG_COLUMNS = [f"{{row}}.{c}::text" if c == "details" else f"{{row}}.{c}" for c in IMMUTABLE_COLUMNS]
_PG_OLD = ", ".join(c.format(row="OLD") for c in _PG_COLUMNS)
_PG_NEW = ", ".join(c.format(row="NEW") for c in _PG_COLUMNS)

SQLITE = (
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_entries_no_delete BEFORE DELETE ON {TABLE}
WHEN EXISTS (SELECT 1 FROM organisations WHERE organisations.id = OLD.organisation_id)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_entries_no_update BEFORE UPDATE ON {TABLE}
WHEN (NEW.actor_person_id IS NOT NULL AND NEW.actor_person_id IS NOT OLD.actor_person_id) OR {_SQLITE_CHANGED}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
)

POSTGRESQL = (
    f"""CREATE OR REPLACE FUNCTION audit_log_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM organisations WHERE organisations.id = OLD.organisation_id) THEN
      RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.actor_person_id IS NOT NULL AND NEW.actor_person_id IS DISTINCT FROM OLD.actor_person_id)
     OR ROW({_PG_OLD}) IS DISTINCT FROM ROW({_PG_NEW}) THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$""",
    f"DROP TRIGGER IF EXISTS audit_log_entries_append_only ON {TABLE}",
    f"""CREATE TRIGGER audit_log_entries_append_only BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION audit_log_entries_append_only()""",
)

#: what undoes the triggers (the migration's downgrade)
DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_log_entries_no_delete",
               "DROP TRIGGER IF EXISTS audit_log_entries_no_update"),
    "postgresql": (f"DROP TRIGGER IF EXISTS audit_log_entries_append_only ON {TABLE}",
                   "DROP FUNCTION IF EXISTS audit_log_entries_append_only()"),
}


def attach(table: FromClause) -> None:
    """Create the triggers whenever ``table`` is created (create_all, not only migrations)."""
    if not isinstance(table, Table):
        raise TypeError(f"only a table gets triggers, not {type(table).__name__}")
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for sql in statements:
            # DDL runs the text through %-formatting; the SQL has no placeholders.
            event.listen(table, "after_create", DDL(sql.replace("%", "%%")).execute_if(dialect=dialect))
