"""memberships: a membership made or moved holds its person FOR SHARE, so their rename reaches it (PostgreSQL)

Since b4f03ceb0f49 a person's organisations are looked up as their row
changes, not at COMMIT: a transaction that renamed a person, not yet
committed, and another that made them a member of a second organisation and
committed first (the foreign key's KEY SHARE does not wait for the rename's
NO KEY UPDATE) left that organisation's mark as it was, so its pages kept the
old name. Now a membership inserted, or moved to another person or
organisation, takes its person's row FOR SHARE first: it waits for a
transaction that changed the person, and one that changes the person later
waits for it and then looks their memberships up afresh
(volunteers.core.change_marks says why and how). The SQL is change_marks.py's
as this was written (copied: a migration must not change when that module
does); the downgrade leaves b4f03ceb0f49's triggers and functions. SQLite
(one writer at a time) is left as it is.

Revision ID: ca7daf78430a
Revises: b4f03ceb0f49
Create Date: 2026-12-06 16:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ca7daf78430a'
down_revision = 'b4f03ceb0f49'
branch_labels = None
depends_on = None

# this revision's function and trigger (in change_marks.all_sql('postgresql', ...) when it was written)
POSTGRESQL = ('CREATE OR REPLACE FUNCTION membership_person_held() RETURNS trigger LANGUAGE plpgsql AS $$\n'
              'BEGIN\n'
              '  PERFORM 1 FROM people WHERE id = NEW.person_id FOR SHARE;\n'
              '  RETURN NEW;\n'
              'END $$',
              'DROP TRIGGER IF EXISTS memberships_marks_person ON memberships',
              'CREATE TRIGGER memberships_marks_person BEFORE INSERT OR UPDATE OF organisation_id, person_id ON '
              'memberships\n'
              'FOR EACH ROW EXECUTE FUNCTION membership_person_held()')


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for sql in POSTGRESQL:
        bind.exec_driver_sql(sql)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    bind.exec_driver_sql('DROP TRIGGER IF EXISTS memberships_marks_person ON memberships')
    bind.exec_driver_sql('DROP FUNCTION IF EXISTS membership_person_held()')
