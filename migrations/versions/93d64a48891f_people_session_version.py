"""people session version: raising it ends every session a person signed in before

Existing people start at 0 (server default), so the column is added NOT NULL
in one step on SQLite (batch mode) and PostgreSQL alike. Cookies signed before
this release carry no version and are refused once: everyone signs in again.

Revision ID: 93d64a48891f
Revises: 95f62f641796
Create Date: 2026-12-05 10:26:26.943411

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '93d64a48891f'
down_revision = '95f62f641796'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('session_version')
