"""indexes: a person's memberships (read by every signed-in request) and a member's offers (/me/shifts)

memberships had no index leading with person_id, so the session's one statement
(the person and their memberships) scanned the table; shift_offers was found by
assignment through (organisation_id, status), which every offer ever taken shares.

Revision ID: f3b7c1d9a5e2
Revises: e1f3a5c7b9d2
Create Date: 2026-12-05 18:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f3b7c1d9a5e2'
down_revision = 'e1f3a5c7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_person', ['person_id'], unique=False)
    with op.batch_alter_table('shift_offers', schema=None) as batch_op:
        batch_op.create_index('ix_shift_offers_org_assignment', ['organisation_id', 'assignment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shift_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_offers_org_assignment')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_person')
