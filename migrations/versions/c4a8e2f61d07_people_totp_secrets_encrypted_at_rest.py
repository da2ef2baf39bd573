"""people: two-factor secrets encrypted at rest (a longer column, existing secrets encrypted in place)

Also joins the two heads that landed side by side (9d2e4a6c8f10 and a7c3e91d2b64).
The keys come from the app's configuration (people.totp_secrets: TOTP_ENCRYPTION_KEYS,
else one derived from SECRET_KEY), so run it with the production settings, as
`flask --app wsgi db upgrade` is. Existing enrolments keep working: each secret is
encrypted as it is; downgrading decrypts them again.

Revision ID: c4a8e2f61d07
Revises: 9d2e4a6c8f10, a7c3e91d2b64
Create Date: 2026-12-05 18:40:00

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from volunteers.people.totp_secrets import is_sealed, seal, unseal

# revision identifiers, used by Alembic.
revision = 'c4a8e2f61d07'
down_revision = ('9d2e4a6c8f10', 'a7c3e91d2b64')
branch_labels = None
depends_on = None

people = sa.table('people', sa.column('id', sa.Integer()), sa.column('totp_secret', sa.String()))


def _rewrite(change):
    bind = op.get_bind()
    rows = bind.execute(sa.select(people.c.id, people.c.totp_secret).where(people.c.totp_secret.is_not(None)))
    for person_id, stored in rows.all():
        new = change(stored)
        if new != stored:
            bind.execute(people.update().where(people.c.id == person_id).values(totp_secret=new))


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=200),
                              existing_nullable=True)
    config = current_app.config
    _rewrite(lambda stored: stored if is_sealed(stored) else seal(stored, config))


def downgrade():
    config = current_app.config
    _rewrite(lambda stored: unseal(stored, config))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=200), type_=sa.String(length=64),
                              existing_nullable=True)
