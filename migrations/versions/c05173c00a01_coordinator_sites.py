"""coordinator_sites: a coordinator limited to some sites (issue 16 point 2)

Revision ID: c05173c00a01
Revises: b17de11ce5e1
Create Date: 2026-12-05 16:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c05173c00a01'
down_revision = 'b17de11ce5e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coordinator_sites',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id', 'membership_id'],
                                ['memberships.organisation_id', 'memberships.id'],
                                name=op.f('fk_coordinator_sites_organisation_id_membership_id_memberships'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id', 'site_id'], ['sites.organisation_id', 'sites.id'],
                                name=op.f('fk_coordinator_sites_organisation_id_site_id_sites'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_coordinator_sites_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'membership_id', 'site_id', name=op.f('pk_coordinator_sites')),
    )
    op.create_index('ix_coordinator_sites_org_site', 'coordinator_sites', ['organisation_id', 'site_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_coordinator_sites_org_site', table_name='coordinator_sites')
    op.drop_table('coordinator_sites')
