"""privacy: when a person was erased, and the date a membership was left

Both columns are nullable and not back-filled: nobody has been erased yet,
and the date existing ``left`` memberships were left is not known (the
retention rule falls back to the last shift, contribution or the
membership's creation for those; see ``volunteers.privacy.retention``).

Revision ID: 166c25707f87
Revises: 93d64a48891f
Create Date: 2026-12-05 11:33:12.210766

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '166c25707f87'
down_revision = '93d64a48891f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('left_on')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
