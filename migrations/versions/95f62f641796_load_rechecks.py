"""load rechecks: when the nightly scan must judge a person again, and until when a warning is prospective

Revision ID: 95f62f641796
Revises: 153d5809425b
Create Date: 2026-11-29 20:33:31.065571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '95f62f641796'
down_revision = '153d5809425b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('load_rechecks',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id', 'membership_id'], ['memberships.organisation_id', 'memberships.id'], name=op.f('fk_load_rechecks_organisation_id_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_load_rechecks_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'membership_id', name=op.f('pk_load_rechecks'))
    )
    with op.batch_alter_table('load_rechecks', schema=None) as batch_op:
        batch_op.create_index('ix_load_rechecks_org_due', ['organisation_id', 'due_at'], unique=False)

    with op.batch_alter_table('load_warnings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_shift_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('load_warnings', schema=None) as batch_op:
        batch_op.drop_column('last_shift_at')

    with op.batch_alter_table('load_rechecks', schema=None) as batch_op:
        batch_op.drop_index('ix_load_rechecks_org_due')

    op.drop_table('load_rechecks')
