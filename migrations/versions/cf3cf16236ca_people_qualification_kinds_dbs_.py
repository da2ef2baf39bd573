"""people: qualification kinds, DBS certificates, expiry reminders, supervision sessions

Existing qualifications become ``training``; a check constraint keeps the kinds known.

Revision ID: cf3cf16236ca
Revises: 6f3dcdd68ac4
Create Date: 2026-12-05 15:00:55.806005

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cf3cf16236ca'
down_revision = '6f3dcdd68ac4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supervision_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_membership_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id', 'membership_id'], ['memberships.organisation_id', 'memberships.id'], name=op.f('fk_supervision_sessions_organisation_id_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id', 'supervisor_membership_id'], ['memberships.organisation_id', 'memberships.id'], name='fk_supervision_sessions_supervisor'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_supervision_sessions_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_sessions')),
    sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_supervision_sessions_organisation_id_id'))
    )
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_sessions_org_member_held', ['organisation_id', 'membership_id', 'held_on'], unique=False)

    op.create_table('qualification_reminders',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_qualification_id', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id', 'person_qualification_id'], ['person_qualifications.organisation_id', 'person_qualifications.id'], name=op.f('fk_qualification_reminders_organisation_id_person_qualification_id_person_qualifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_qualification_reminders_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'person_qualification_id', 'expires_on', 'threshold_days', name=op.f('pk_qualification_reminders'))
    )
    with op.batch_alter_table('person_qualifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_number', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('update_service_checked_on', sa.Date(), nullable=True))

    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='training', nullable=False))
        batch_op.create_check_constraint(op.f('ck_qualifications_kind_known'), "kind in ('training', 'check', 'first_aid', 'other')")



def downgrade():
    with op.batch_alter_table('qualifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_qualifications_kind_known'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('person_qualifications', schema=None) as batch_op:
        batch_op.drop_column('update_service_checked_on')
        batch_op.drop_column('certificate_number')

    op.drop_table('qualification_reminders')
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_sessions_org_member_held')

    op.drop_table('supervision_sessions')
