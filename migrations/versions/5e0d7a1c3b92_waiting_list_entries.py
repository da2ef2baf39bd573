"""waiting lists: a volunteer queued for a full shift, and the place offered to them when one frees

Revision ID: 5e0d7a1c3b92
Revises: 9d2e4a6c8f10, a7c3e91d2b64 (also merges those two heads into one)
Create Date: 2026-12-05 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e0d7a1c3b92'
down_revision = ('9d2e4a6c8f10', 'a7c3e91d2b64')
branch_labels = None
depends_on = None

ON_LIST = sa.text("status in ('waiting', 'offered')")
OFFERED = sa.text("status = 'offered'")


def upgrade():
    op.create_table('waiting_list_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_slot', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status in ('waiting', 'offered', 'accepted', 'left', 'declined', 'expired', 'closed')", name=op.f('ck_waiting_list_entries_status_known')),
    sa.CheckConstraint("status != 'offered' or (offer_slot is not null and offer_expires_at is not null)", name=op.f('ck_waiting_list_entries_offer_complete')),
    sa.ForeignKeyConstraint(['organisation_id', 'membership_id'], ['memberships.organisation_id', 'memberships.id'], name='fk_waiting_list_entries_membership', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id', 'shift_id'], ['shifts.organisation_id', 'shifts.id'], name='fk_waiting_list_entries_shift', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_waiting_list_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_list_entries')),
    sa.UniqueConstraint('organisation_id', 'id', name=op.f('uq_waiting_list_entries_organisation_id_id'))
    )
    with op.batch_alter_table('waiting_list_entries', schema=None) as batch_op:
        batch_op.create_index('ix_waiting_list_entries_member', ['organisation_id', 'membership_id', 'status'], unique=False)
        batch_op.create_index('ix_waiting_list_entries_status', ['status', 'organisation_id', 'shift_id'], unique=False)
        batch_op.create_index('uq_waiting_list_entries_once', ['organisation_id', 'shift_id', 'membership_id'], unique=True, sqlite_where=ON_LIST, postgresql_where=ON_LIST)
        batch_op.create_index('uq_waiting_list_entries_slot', ['organisation_id', 'shift_id', 'offer_slot'], unique=True, sqlite_where=OFFERED, postgresql_where=OFFERED)


def downgrade():
    with op.batch_alter_table('waiting_list_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_waiting_list_entries_slot')
        batch_op.drop_index('uq_waiting_list_entries_once')
        batch_op.drop_index('ix_waiting_list_entries_status')
        batch_op.drop_index('ix_waiting_list_entries_member')
    op.drop_table('waiting_list_entries')
