"""people: two-factor sign-in (TOTP) and recovery codes

Three nullable columns on ``people`` (nobody has two-factor sign-in on
yet, so nothing to back-fill) and the ``recovery_codes`` table, which holds
only SHA-256 hashes of the codes.

Revision ID: 9214e256518f
Revises: 8377069d9121
Create Date: 2026-12-05 11:34:59.117528

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '9214e256518f'
down_revision = '8377069d9121'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_recovery_codes_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('person_id', 'code_hash', name=op.f('uq_recovery_codes_person_id_code_hash'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))



def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')

    op.drop_table('recovery_codes')
