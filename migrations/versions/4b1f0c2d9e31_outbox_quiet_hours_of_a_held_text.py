"""outbox: the quiet hours a text was held by, so its retries are held by them too

Revision ID: 4b1f0c2d9e31
Revises: e8b41d0c7a5f
Create Date: 2026-12-05 18:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4b1f0c2d9e31'
down_revision = 'e8b41d0c7a5f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_hours', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('quiet_hours')
