"""peersupport: supported people, contacts, caseload limit

Two new organisation-owned tables (every foreign key includes
organisation_id) and one nullable column on memberships (no limit set: the
caseload rule does not judge), so nothing to back-fill.

Revision ID: afe36af83781
Revises: 9214e256518f
Create Date: 2026-12-05 12:58:21.445387

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'afe36af83781'
down_revision = '9214e256518f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supported_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('born_on', sa.Date(), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('language', sa.String(length=60), nullable=True),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('consent_to', sa.String(length=300), nullable=True),
    sa.Column('supporter_membership_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'closed') = (closed_on is not null)", name=op.f('ck_supported_people_closed_has_date')),
    sa.CheckConstraint("closed_reason is null or closed_reason in ('moved_away', 'declined', 'plan_complete', 'other')", name=op.f('ck_supported_people_closed_reason_known')),
    sa.CheckConstraint("status in ('open', 'closed')", name=op.f('ck_supported_people_status_known')),
    sa.CheckConstraint('length(reference) > 0', name=op.f('ck_supported_people_reference_not_empty')),
    sa.ForeignKeyConstraint(['organisation_id', 'supporter_membership_id'], ['memberships.organisation_id', 'memberships.id'], name='fk_supported_people_supporter_memberships'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_supported_people_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supported_people')),
    sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_supported_people_organisation_id_id')),
    sa.UniqueConstraint('organisation_id', 'reference', name=op.f('uq_supported_people_organisation_id_reference'))
    )
    with op.batch_alter_table('supported_people', schema=None) as batch_op:
        batch_op.create_index('ix_supported_people_org_born', ['organisation_id', 'born_on'], unique=False)
        batch_op.create_index('ix_supported_people_org_supporter', ['organisation_id', 'supporter_membership_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('supported_person_id', sa.Integer(), nullable=False),
    sa.Column('contact_on', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('contribution_id', sa.Integer(), nullable=True),
    sa.Column('attendance_contribution_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mode in ('ward', 'home', 'phone', 'group', 'helpline')", name=op.f('ck_contacts_mode_known')),
    sa.CheckConstraint('minutes > 0 and minutes <= 720', name=op.f('ck_contacts_minutes_in_range')),
    sa.ForeignKeyConstraint(['organisation_id', 'attendance_contribution_id'], ['contributions.organisation_id', 'contributions.id'], name='fk_contacts_attendance_contributions'),
    sa.ForeignKeyConstraint(['organisation_id', 'contribution_id'], ['contributions.organisation_id', 'contributions.id'], name=op.f('fk_contacts_organisation_id_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['organisation_id', 'membership_id'], ['memberships.organisation_id', 'memberships.id'], name=op.f('fk_contacts_organisation_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['organisation_id', 'supported_person_id'], ['supported_people.organisation_id', 'supported_people.id'], name='fk_contacts_supported_people', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contacts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_contacts_organisation_id_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_org_case', ['organisation_id', 'supported_person_id', 'contact_on'], unique=False)
        batch_op.create_index('ix_contacts_org_on', ['organisation_id', 'contact_on'], unique=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caseload_limit', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_memberships_caseload_limit_not_negative'),
                                         'caseload_limit is null or caseload_limit >= 0')



def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_memberships_caseload_limit_not_negative'), type_='check')
        batch_op.drop_column('caseload_limit')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_org_on')
        batch_op.drop_index('ix_contacts_org_case')

    op.drop_table('contacts')
    with op.batch_alter_table('supported_people', schema=None) as batch_op:
        batch_op.drop_index('ix_supported_people_org_supporter')
        batch_op.drop_index('ix_supported_people_org_born')

    op.drop_table('supported_people')
