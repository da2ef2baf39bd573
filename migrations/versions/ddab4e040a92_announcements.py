"""announcements and announcement_recipients: a coordinator's short message to many people (issue 17 point 6)

Revision ID: ddab4e040a92
Revises: c4a8e2f61d07, 5e0d7a1c3b92
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ddab4e040a92'
down_revision = ('c4a8e2f61d07', '5e0d7a1c3b92')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'announcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=80), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('audience', sa.String(length=10), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=True),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('shifts_on', sa.Date(), nullable=True),
        sa.Column('created_by_person_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("audience in ('everyone', 'role', 'site', 'date')",
                           name=op.f('ck_announcements_audience_known')),
        sa.CheckConstraint("(audience = 'role') = (role_id is not null) and (audience = 'site') = (site_id is not null)"
                           " and (audience = 'date') = (shifts_on is not null)",
                           name=op.f('ck_announcements_audience_complete')),
        sa.ForeignKeyConstraint(['created_by_person_id'], ['people.id'],
                                name=op.f('fk_announcements_created_by_person_id_people'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_announcements_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id', 'role_id'], ['roles.organisation_id', 'roles.id'],
                                name='fk_announcements_role'),
        sa.ForeignKeyConstraint(['organisation_id', 'site_id'], ['sites.organisation_id', 'sites.id'],
                                name='fk_announcements_site'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements')),
        sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_announcements_organisation_id_id')),
    )
    op.create_index('ix_announcements_org_created', 'announcements', ['organisation_id', 'created_at'], unique=False)
    op.create_table(
        'announcement_recipients',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('outbox_key', sa.String(length=200), nullable=False),
        sa.Column('dismissed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel in ('email', 'sms')", name=op.f('ck_announcement_recipients_channel_known')),
        sa.ForeignKeyConstraint(['organisation_id', 'announcement_id'],
                                ['announcements.organisation_id', 'announcements.id'],
                                name='fk_announcement_recipients_announcement', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id', 'membership_id'],
                                ['memberships.organisation_id', 'memberships.id'],
                                name='fk_announcement_recipients_membership', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_announcement_recipients_organisation_id_organisations'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'announcement_id', 'membership_id',
                                name=op.f('pk_announcement_recipients')),
    )
    op.create_index('ix_announcement_recipients_member', 'announcement_recipients',
                    ['organisation_id', 'membership_id'], unique=False)


def downgrade():
    op.drop_index('ix_announcement_recipients_member', table_name='announcement_recipients')
    op.drop_table('announcement_recipients')
    op.drop_index('ix_announcements_org_created', table_name='announcements')
    op.drop_table('announcements')
