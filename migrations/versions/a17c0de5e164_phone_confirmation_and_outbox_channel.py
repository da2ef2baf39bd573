"""people: a confirmed phone number (code texted, typed back); outbox: a channel per message

Existing messages are e-mails (server default ``email``).

Revision ID: a17c0de5e164
Revises: cf3cf16236ca
Create Date: 2026-12-05 15:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17c0de5e164'
down_revision = 'cf3cf16236ca'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('phone_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('phone_code_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('phone_code_tries', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='email', nullable=False))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('channel')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('phone_code_tries')
        batch_op.drop_column('phone_code_expires_at')
        batch_op.drop_column('phone_code_hash')
        batch_op.drop_column('phone_confirmed_at')
