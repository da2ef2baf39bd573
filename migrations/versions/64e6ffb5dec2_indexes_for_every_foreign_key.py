"""indexes: every foreign key's referencing columns lead an index (issue 13, "still open from before")

PostgreSQL indexes only the referenced side of a foreign key. These 22 had no
index on the referencing side, so deleting or re-keying a parent row (a shift
deleted with its series, an organisation, a person) scanned the child table
once per row under a lock, and filters on the column ("a member's offers",
"who holds this qualification", an organisation's outbox) had nothing to
probe. Organisation-owned keys get (organisation_id, <id>) indexes, as the
keys themselves are (DESIGN.md, "Scale-out"). Two small tables are left
without one (tests/integration/test_foreign_key_indexes.py says why).

Plain CREATE INDEX, like the earlier index migrations: migrations run in one
transaction (migrations/env.py), where CREATE INDEX CONCURRENTLY cannot run.

Revision ID: 64e6ffb5dec2
Revises: f3b7c1d9a5e2
Create Date: 2026-12-06 04:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '64e6ffb5dec2'
down_revision = 'f3b7c1d9a5e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_created_by', ['created_by_person_id'])
        batch_op.create_index('ix_announcements_org_role', ['organisation_id', 'role_id'])
        batch_op.create_index('ix_announcements_org_site', ['organisation_id', 'site_id'])
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_org_attendance', ['organisation_id', 'attendance_contribution_id'])
        batch_op.create_index('ix_contacts_org_contribution', ['organisation_id', 'contribution_id'])
        batch_op.create_index('ix_contacts_org_member', ['organisation_id', 'membership_id', 'contact_on'])
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index('ix_contributions_approved_by', ['approved_by_person_id'])
        batch_op.create_index('ix_contributions_org_role', ['organisation_id', 'role_id'])
        batch_op.create_index('ix_contributions_org_site', ['organisation_id', 'site_id'])
    with op.batch_alter_table('cover_asks', schema=None) as batch_op:
        batch_op.create_index('ix_cover_asks_asked_by', ['asked_by_person_id'])
        batch_op.create_index('ix_cover_asks_org_member', ['organisation_id', 'membership_id'])
    with op.batch_alter_table('load_warnings', schema=None) as batch_op:
        batch_op.create_index('ix_load_warnings_acknowledged_by', ['acknowledged_by_person_id'])
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_org_created', ['organisation_id', 'created_at'])
    with op.batch_alter_table('person_qualifications', schema=None) as batch_op:
        batch_op.create_index('ix_person_qualifications_org_qualification', ['organisation_id', 'qualification_id'])
    with op.batch_alter_table('shift_offers', schema=None) as batch_op:
        batch_op.create_index('ix_shift_offers_org_offered_to', ['organisation_id', 'offered_to_membership_id'])
        batch_op.create_index('ix_shift_offers_org_shift', ['organisation_id', 'shift_id'])
        batch_op.create_index('ix_shift_offers_org_taken_by', ['organisation_id', 'taken_by_membership_id'])
    with op.batch_alter_table('shift_series', schema=None) as batch_op:
        batch_op.create_index('ix_shift_series_org_role', ['organisation_id', 'role_id'])
        batch_op.create_index('ix_shift_series_org_site', ['organisation_id', 'site_id'])
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index('ix_shifts_org_role', ['organisation_id', 'role_id'])
        batch_op.create_index('ix_shifts_org_site', ['organisation_id', 'site_id'])
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_sessions_org_supervisor', ['organisation_id', 'supervisor_membership_id'])


def downgrade():
    with op.batch_alter_table('supervision_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_sessions_org_supervisor')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index('ix_shifts_org_site')
        batch_op.drop_index('ix_shifts_org_role')
    with op.batch_alter_table('shift_series', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_series_org_site')
        batch_op.drop_index('ix_shift_series_org_role')
    with op.batch_alter_table('shift_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_shift_offers_org_taken_by')
        batch_op.drop_index('ix_shift_offers_org_shift')
        batch_op.drop_index('ix_shift_offers_org_offered_to')
    with op.batch_alter_table('person_qualifications', schema=None) as batch_op:
        batch_op.drop_index('ix_person_qualifications_org_qualification')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_org_created')
    with op.batch_alter_table('load_warnings', schema=None) as batch_op:
        batch_op.drop_index('ix_load_warnings_acknowledged_by')
    with op.batch_alter_table('cover_asks', schema=None) as batch_op:
        batch_op.drop_index('ix_cover_asks_org_member')
        batch_op.drop_index('ix_cover_asks_asked_by')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index('ix_contributions_org_site')
        batch_op.drop_index('ix_contributions_org_role')
        batch_op.drop_index('ix_contributions_approved_by')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_org_member')
        batch_op.drop_index('ix_contacts_org_contribution')
        batch_op.drop_index('ix_contacts_org_attendance')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_org_site')
        batch_op.drop_index('ix_announcements_org_role')
        batch_op.drop_index('ix_announcements_created_by')
