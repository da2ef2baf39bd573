"""outbox: a text's id at the SMS provider and its last delivery receipt

Revision ID: b17de11ce5e1
Revises: a17c0de5e164
Create Date: 2026-12-05 15:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17de11ce5e1'
down_revision = 'a17c0de5e164'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('delivery_status', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_provider_ref'), ['provider_ref'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_provider_ref'))
        batch_op.drop_column('delivery_status')
        batch_op.drop_column('provider_ref')
