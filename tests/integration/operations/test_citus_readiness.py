"""DESIGN's Citus-readiness rules, checked over the SQLAlchemy metadata (docs/SCALING.md says why each matters).

Sharded by organisation with Citus, every organisation-owned table is
distributed by ``organisation_id``: it must carry the column itself, NOT NULL;
every primary key and unique constraint must include it (Citus enforces
uniqueness only within a shard); and a foreign key between two distributed
tables must include it, so both rows sit on the same shard.

The primary keys are still the surrogate ``id`` (the ORM and every URL use
it); the rule accepted here is that ``UNIQUE (organisation_id, id)`` exists
beside it, which is the key the sharding migration promotes (SCALING.md,
"The switch"). ``id`` comes from one sequence, so that key is unique already.

Tables that are not distributed are named with the reason; a new table
without ``organisation_id`` fails until it is sharded or named here.
"""
from __future__ import annotations

from sqlalchemy import Table, UniqueConstraint

from volunteers.app import MODELS  # noqa: F401 - every model imported: the metadata holds every table
from volunteers.extensions import db

#: copied to every node: small, read with everything, shared by several organisations
REFERENCE_TABLES = {
    "organisations": "the tenants themselves; every distributed row joins to one",
    "people": "a person belongs to several organisations (memberships), so a person is no one shard's",
    "recovery_codes": "a person's two-factor codes, read at sign-in before any organisation is chosen",
}
#: kept on the coordinator only (Citus local tables): work queues of the scheduler, not tenant data
COORDINATOR_TABLES = {
    "job_runs": "run-once leases of the scheduler; the key names the organisation as text; few rows, one writer",
    "outbox_messages": "the mail queue: system mail (password resets) has no organisation; one job drains it",
    "sms_waiting_receipts": "receipts waiting for their text's provider id: the provider's call names no "
    "organisation; a day at most, applied by the outbox's job",
}
#: rules broken today, each with why it is not fixed yet and what fixes it
KNOWN_EXCEPTIONS = {
    ("api_tokens", "unique token_hash"): "a bearer token is looked up by its hash before its organisation is known; "
    "fix: put the organisation id in the token's prefix and make (organisation_id, token_hash) unique "
    "(the api package's change, with a migration)",
}


def _distributed() -> list[Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES | COORDINATOR_TABLES.keys()]


def _violations(table: Table) -> list[str]:
    found: list[str] = []
    if "organisation_id" not in table.c:
        return ["no organisation_id"]
    if table.c.organisation_id.nullable:
        found.append("organisation_id is nullable")
    key = {c.name for c in table.primary_key.columns}
    uniques = [{c.name for c in u.columns} for u in table.constraints if isinstance(u, UniqueConstraint)]
    uniques += [{c.name for c in i.columns} for i in table.indexes if i.unique]
    if "organisation_id" not in key and key | {"organisation_id"} not in uniques:
        found.append(f"primary key {sorted(key)} without unique (organisation_id, {', '.join(sorted(key))})")
    found += [f"unique {'+'.join(sorted(u))}" for u in uniques if "organisation_id" not in u]
    distributed = {t.name for t in _distributed()}
    for fk in table.foreign_key_constraints:
        if fk.referred_table.name not in distributed:
            continue
        pairs = {(e.parent.name, e.column.name) for e in fk.elements}
        if ("organisation_id", "organisation_id") not in pairs:
            found.append(f"foreign key {[e.parent.name for e in fk.elements]} -> {fk.referred_table.name} "
                         "without organisation_id")
    return found


def test_every_organisation_owned_table_can_be_distributed_by_organisation() -> None:
    broken = {(t.name, v) for t in _distributed() for v in _violations(t)}
    assert broken - KNOWN_EXCEPTIONS.keys() == set()


def test_each_known_exception_is_still_needed() -> None:
    broken = {(t.name, v) for t in _distributed() for v in _violations(t)}
    assert KNOWN_EXCEPTIONS.keys() - broken == set(), "fixed: take it off KNOWN_EXCEPTIONS"


def test_reference_and_coordinator_tables_exist_and_point_at_no_distributed_table() -> None:
    tables = db.metadata.tables
    distributed = {t.name for t in _distributed()}
    for name in REFERENCE_TABLES | COORDINATOR_TABLES:
        assert name in tables, f"{name} is gone: take it off the list"
        assert not {fk.referred_table.name for fk in tables[name].foreign_key_constraints} & distributed, name
