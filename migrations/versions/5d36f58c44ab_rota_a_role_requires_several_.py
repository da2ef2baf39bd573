"""rota: a role requires several qualifications (all of them), linked through role_qualifications

Each role's one required qualification becomes its first link; a downgrade
keeps one of them (the lowest id) and drops the rest. The pairs are read
into memory before the tables change: SQLite's batch mode rebuilds ``roles``
by dropping it, and with foreign keys on, that drop would cascade to any
link already written.

Revision ID: 5d36f58c44ab
Revises: afe36af83781
Create Date: 2026-12-05 14:41:58.477431

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d36f58c44ab'
down_revision = 'afe36af83781'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    pairs = bind.execute(sa.text("SELECT organisation_id, id, required_qualification_id FROM roles "
                                 "WHERE required_qualification_id IS NOT NULL")).all()
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_roles_organisation_id_required_qualification_id_qualifications'), type_='foreignkey')
        batch_op.drop_column('required_qualification_id')

    links = op.create_table('role_qualifications',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id', 'qualification_id'], ['qualifications.organisation_id', 'qualifications.id'], name=op.f('fk_role_qualifications_organisation_id_qualification_id_qualifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id', 'role_id'], ['roles.organisation_id', 'roles.id'], name=op.f('fk_role_qualifications_organisation_id_role_id_roles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_role_qualifications_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'role_id', 'qualification_id', name=op.f('pk_role_qualifications'))
    )
    with op.batch_alter_table('role_qualifications', schema=None) as batch_op:
        batch_op.create_index('ix_role_qualifications_org_qualification', ['organisation_id', 'qualification_id'], unique=False)
    if pairs:
        op.bulk_insert(links, [{'organisation_id': o, 'role_id': r, 'qualification_id': q} for o, r, q in pairs])


def downgrade():
    bind = op.get_bind()
    kept = bind.execute(sa.text("SELECT organisation_id, role_id, min(qualification_id) FROM role_qualifications "
                                "GROUP BY organisation_id, role_id")).all()
    with op.batch_alter_table('role_qualifications', schema=None) as batch_op:
        batch_op.drop_index('ix_role_qualifications_org_qualification')

    op.drop_table('role_qualifications')
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_qualification_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_roles_organisation_id_required_qualification_id_qualifications'), 'qualifications', ['organisation_id', 'required_qualification_id'], ['organisation_id', 'id'])
    for org_id, role_id, qualification_id in kept:
        bind.execute(sa.text("UPDATE roles SET required_qualification_id = :q WHERE organisation_id = :o AND id = :r"),
                     {'q': qualification_id, 'o': org_id, 'r': role_id})
