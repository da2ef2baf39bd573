"""rota: series skip or flag bank holidays (existing series flag them: the shifts they made stay)

Revision ID: 6f3dcdd68ac4
Revises: 3c9e1f0a7b21
Create Date: 2026-12-05 14:51:40.847032

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6f3dcdd68ac4'
down_revision = '3c9e1f0a7b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shift_series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_bank_holidays', sa.String(length=10), server_default='flag', nullable=False))
        batch_op.create_check_constraint(op.f('ck_shift_series_on_bank_holidays_known'), "on_bank_holidays in ('flag', 'skip')")



def downgrade():
    with op.batch_alter_table('shift_series', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_shift_series_on_bank_holidays_known'), type_='check')
        batch_op.drop_column('on_bank_holidays')

