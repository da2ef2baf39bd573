"""Citus readiness: UNIQUE (organisation_id, id) on the six organisation-owned tables that lacked it

Sharded by organisation, a table's primary key must include organisation_id;
this constraint is the one that becomes the primary key then (docs/SCALING.md).
Adding it cannot fail on existing data: id alone is already unique.

Revision ID: 3c9e1f0a7b21
Revises: fe11586b9a17
Create Date: 2026-12-05 15:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c9e1f0a7b21'
down_revision = 'fe11586b9a17'
branch_labels = None
depends_on = None

TABLES = ('availability_windows', 'leaves', 'load_warnings', 'person_qualifications', 'rate_card_entries',
          'shift_offers')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_organisation_id_id'), ['organisation_id', 'id'])


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_organisation_id_id'), type_='unique')
