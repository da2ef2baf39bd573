"""audit trail: append-only in the database, and indexes for the /audit filters

Triggers refuse UPDATE and DELETE of audit_log_entries, except what the
foreign keys themselves do: clearing the actor (ON DELETE SET NULL of a
person) and removing the entries of an organisation that is gone (ON DELETE
CASCADE). The statements are a copy of volunteers/core/audit_triggers.py at
the time of writing (a migration must not change when that module does).

Revision ID: 8377069d9121
Revises: 166c25707f87
Create Date: 2026-12-05 11:58:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '8377069d9121'
down_revision = '166c25707f87'
branch_labels = None
depends_on = None


APPEND_ONLY = {
    'sqlite': (
        "CREATE TRIGGER IF NOT EXISTS audit_log_entries_no_delete BEFORE DELETE ON audit_log_entries\nWHEN EXISTS (SELECT 1 FROM organisations WHERE organisations.id = OLD.organisation_id)\nBEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries are never edited or deleted'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_log_entries_no_update BEFORE UPDATE ON audit_log_entries\nWHEN (NEW.actor_person_id IS NOT NULL AND NEW.actor_person_id IS NOT OLD.actor_person_id) OR NEW.id IS NOT OLD.id OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.action IS NOT OLD.action OR NEW.target_type IS NOT OLD.target_type OR NEW.target_id IS NOT OLD.target_id OR NEW.details IS NOT OLD.details OR NEW.reason IS NOT OLD.reason OR NEW.created_at IS NOT OLD.created_at\nBEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries are never edited or deleted'); END",
    ),
    'postgresql': (
        "CREATE OR REPLACE FUNCTION audit_log_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'DELETE' THEN\n    IF EXISTS (SELECT 1 FROM organisations WHERE organisations.id = OLD.organisation_id) THEN\n      RAISE EXCEPTION 'the audit trail is append-only: entries are never edited or deleted' USING ERRCODE = 'restrict_violation';\n    END IF;\n    RETURN OLD;\n  END IF;\n  IF (NEW.actor_person_id IS NOT NULL AND NEW.actor_person_id IS DISTINCT FROM OLD.actor_person_id)\n     OR ROW(OLD.id, OLD.organisation_id, OLD.action, OLD.target_type, OLD.target_id, OLD.details::text, OLD.reason, OLD.created_at) IS DISTINCT FROM ROW(NEW.id, NEW.organisation_id, NEW.action, NEW.target_type, NEW.target_id, NEW.details::text, NEW.reason, NEW.created_at) THEN\n    RAISE EXCEPTION 'the audit trail is append-only: entries are never edited or deleted' USING ERRCODE = 'restrict_violation';\n  END IF;\n  RETURN NEW;\nEND $$",
        'DROP TRIGGER IF EXISTS audit_log_entries_append_only ON audit_log_entries',
        'CREATE TRIGGER audit_log_entries_append_only BEFORE UPDATE OR DELETE ON audit_log_entries\nFOR EACH ROW EXECUTE FUNCTION audit_log_entries_append_only()',
    ),
}
APPEND_ONLY_DROP = {
    'sqlite': ('DROP TRIGGER IF EXISTS audit_log_entries_no_delete', 'DROP TRIGGER IF EXISTS audit_log_entries_no_update'),
    'postgresql': ('DROP TRIGGER IF EXISTS audit_log_entries_append_only ON audit_log_entries', 'DROP FUNCTION IF EXISTS audit_log_entries_append_only()'),
}


def upgrade():
    with op.batch_alter_table('audit_log_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_entries_org_target', ['organisation_id', 'target_type', 'target_id'],
                              unique=False)
        batch_op.create_index('ix_audit_log_entries_actor', ['actor_person_id'], unique=False)
    for sql in APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(sql)


def downgrade():
    for sql in APPEND_ONLY_DROP.get(op.get_bind().dialect.name, ()):
        op.execute(sql)
    with op.batch_alter_table('audit_log_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entries_actor')
        batch_op.drop_index('ix_audit_log_entries_org_target')
