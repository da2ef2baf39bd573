"""sms_waiting_receipts: a delivery receipt that came before its text's provider id was stored waits for it

Revision ID: 9d2e4a6c8f10
Revises: 4b1f0c2d9e31
Create Date: 2026-12-05 18:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9d2e4a6c8f10'
down_revision = '4b1f0c2d9e31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_waiting_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_ref', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_waiting_receipts'))
    )
    with op.batch_alter_table('sms_waiting_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_waiting_receipts_provider_ref'), ['provider_ref'], unique=False)


def downgrade():
    with op.batch_alter_table('sms_waiting_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_waiting_receipts_provider_ref'))
    op.drop_table('sms_waiting_receipts')
