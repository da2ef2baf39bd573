"""audit: sign-in entries keep the client's network (/24, IPv6 /48), not its address

The app now writes the network (people.domain.addresses); this rewrites the
entries written before, once. The trail is append-only, so the triggers are
stood aside for this one UPDATE and put back exactly as migration 8377069d9121
made them (copied here: a migration must not change when audit_triggers.py does).
Downgrade changes nothing: the addresses are gone.

Revision ID: e1f3a5c7b9d2
Revises: ddab4e040a92
Create Date: 2026-12-05 19:00:00

"""
import ipaddress
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e1f3a5c7b9d2'
down_revision = 'ddab4e040a92'
branch_labels = None
depends_on = None

SQLITE_NO_UPDATE = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_entries_no_update BEFORE UPDATE ON audit_log_entries\n"
    "WHEN (NEW.actor_person_id IS NOT NULL AND NEW.actor_person_id IS NOT OLD.actor_person_id) OR NEW.id IS NOT "
    "OLD.id OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.action IS NOT OLD.action OR NEW.target_type "
    "IS NOT OLD.target_type OR NEW.target_id IS NOT OLD.target_id OR NEW.details IS NOT OLD.details OR NEW.reason "
    "IS NOT OLD.reason OR NEW.created_at IS NOT OLD.created_at\n"
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries are never edited or deleted'); END"
)

entries = sa.table('audit_log_entries', sa.column('id', sa.Integer()), sa.column('action', sa.String()),
                   sa.column('details', sa.JSON()))


def _network(address):
    """The same rule as people.domain.addresses.network_of, as it was when this was written."""
    try:
        ip = ipaddress.ip_address(str(address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False))


def upgrade():
    bind = op.get_bind()
    rows = bind.execute(sa.select(entries.c.id, entries.c.details).where(entries.c.action.like('auth.%'))).all()
    changed = []
    for entry_id, details in rows:
        details = json.loads(details) if isinstance(details, str) else details
        if isinstance(details, dict) and "ip" in details and "/" not in str(details["ip"]):
            changed.append((entry_id, {**details, "ip": _network(details["ip"])}))
    if not changed:
        return
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log_entries DISABLE TRIGGER audit_log_entries_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_entries_no_update")
    for entry_id, details in changed:
        bind.execute(entries.update().where(entries.c.id == entry_id).values(details=details))
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_log_entries ENABLE TRIGGER audit_log_entries_append_only")
    else:
        op.execute(SQLITE_NO_UPDATE)


def downgrade():
    pass
