"""cover_requests and cover_asks: cover requests sent in waves, who was asked and when (issue 17 point 4)

Revision ID: a7c3e91d2b64
Revises: 4b1f0c2d9e31
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e91d2b64'
down_revision = '4b1f0c2d9e31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cover_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('shift_id', sa.Integer(), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=True),
        sa.Column('wave_size', sa.Integer(), nullable=False),
        sa.Column('wave_minutes', sa.Integer(), nullable=False),
        sa.Column('waves_sent', sa.Integer(), nullable=False),
        sa.Column('next_wave_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stop_reason', sa.String(length=20), nullable=True),
        sa.CheckConstraint('wave_size > 0 and wave_minutes > 0', name=op.f('ck_cover_requests_waves_positive')),
        sa.CheckConstraint(
            "stop_reason is null or stop_reason in ('taken', 'decided', 'withdrawn', 'started', 'cancelled')",
            name=op.f('ck_cover_requests_stop_reason_known')),
        sa.ForeignKeyConstraint(['organisation_id', 'offer_id'], ['shift_offers.organisation_id', 'shift_offers.id'],
                                name='fk_cover_requests_offer', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id', 'shift_id'], ['shifts.organisation_id', 'shifts.id'],
                                name='fk_cover_requests_shift', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_cover_requests_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cover_requests')),
        sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_cover_requests_organisation_id_id')),
        sa.UniqueConstraint('organisation_id', 'offer_id', name='uq_cover_requests_offer'),
    )
    with op.batch_alter_table('cover_requests', schema=None) as batch_op:
        batch_op.create_index('ix_cover_requests_due', ['next_wave_at'], unique=False)
        batch_op.create_index('ix_cover_requests_org_shift', ['organisation_id', 'shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cover_requests_organisation_id'), ['organisation_id'], unique=False)

    op.create_table(
        'cover_asks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('cover_request_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('wave', sa.Integer(), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('asked_by_person_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("channel in ('sms', 'email')", name=op.f('ck_cover_asks_channel_known')),
        sa.CheckConstraint('wave >= 0', name=op.f('ck_cover_asks_wave_not_negative')),
        sa.ForeignKeyConstraint(['asked_by_person_id'], ['people.id'],
                                name=op.f('fk_cover_asks_asked_by_person_id_people'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id', 'cover_request_id'],
                                ['cover_requests.organisation_id', 'cover_requests.id'],
                                name='fk_cover_asks_request', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id', 'membership_id'], ['memberships.organisation_id', 'memberships.id'],
                                name='fk_cover_asks_membership', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_cover_asks_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cover_asks')),
        sa.UniqueConstraint('organisation_id', 'cover_request_id', 'membership_id', name='uq_cover_asks_once'),
        sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_cover_asks_organisation_id_id')),
    )
    with op.batch_alter_table('cover_asks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cover_asks_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cover_asks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cover_asks_organisation_id'))
    op.drop_table('cover_asks')
    with op.batch_alter_table('cover_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cover_requests_organisation_id'))
        batch_op.drop_index('ix_cover_requests_org_shift')
        batch_op.drop_index('ix_cover_requests_due')
    op.drop_table('cover_requests')
