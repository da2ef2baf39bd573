"""The audit trail is append-only in the database itself (SQLite here, PostgreSQL with ``-m postgres``).

No entry may be edited or deleted; only the database's own foreign keys may
touch one: a deleted person's entries keep their action with no actor
(``ON DELETE SET NULL``), and an organisation's removal takes its entries
with it (``ON DELETE CASCADE``).
"""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import USING_POSTGRES
from tests.factories import make_member, make_org, utc
from volunteers.core import audit, audit_triggers
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.people.models import Membership, Person

NOW = utc(2026, 11, 30, 12)


@pytest.fixture()
def trail(db):
    org = make_org("tackley", "Tackley Village Shop")
    coordinator = make_member(org, "cora@tackley.example", role="coordinator")
    entry = audit.record(org, coordinator.person_id, "people.update", "membership", coordinator.id, None,
                         now=NOW, changes={"role": ["volunteer", "coordinator"]})
    db.session.commit()
    return org, coordinator, entry


def _refused(db, sql: str, **params) -> None:
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(sql), params)


def test_no_column_of_an_entry_can_be_edited(db, trail) -> None:
    org, coordinator, entry = trail
    other = make_member(org, "ann@example.org")
    db.session.commit()
    for column, value in (("action", "'people.create'"), ("target_id", "99"), ("reason", "'hidden'"),
                          ("details", "'{}'"), ("created_at", "'2026-01-01 00:00:00'"),
                          ("target_type", "'shift'"), ("actor_person_id", str(other.person_id))):
        _refused(db, f"UPDATE audit_log_entries SET {column} = {value} WHERE id = :id", id=entry.id)
    db.session.expire_all()
    kept = db.session.get(AuditLogEntry, entry.id)
    assert (kept.action, kept.actor_person_id, kept.details) == (
        "people.update", coordinator.person_id, {"changes": {"role": ["volunteer", "coordinator"]}})


def test_no_entry_can_be_deleted_while_its_organisation_exists(db, trail) -> None:
    org, _, entry = trail
    _refused(db, "DELETE FROM audit_log_entries WHERE id = :id", id=entry.id)
    _refused(db, "DELETE FROM audit_log_entries WHERE organisation_id = :org", org=org.id)
    assert db.session.scalar(text("SELECT count(*) FROM audit_log_entries")) == 1


def test_the_actor_may_only_be_cleared(db, trail) -> None:
    _, coordinator, entry = trail
    db.session.execute(text("UPDATE audit_log_entries SET actor_person_id = NULL WHERE id = :id"), {"id": entry.id})
    db.session.commit()
    _refused(db, "UPDATE audit_log_entries SET actor_person_id = :p WHERE id = :id", p=coordinator.person_id,
             id=entry.id)


def test_deleting_a_person_keeps_their_entries_without_an_actor(db, trail) -> None:
    _, coordinator, entry = trail
    person_id = coordinator.person_id
    db.session.execute(text("DELETE FROM memberships WHERE person_id = :p"), {"p": person_id})
    db.session.execute(text("DELETE FROM people WHERE id = :p"), {"p": person_id})
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(AuditLogEntry, entry.id)
    assert kept is not None and kept.actor_person_id is None and kept.action == "people.update"


def test_removing_an_organisation_takes_its_entries(db, trail) -> None:
    org, _, _ = trail
    other = make_org("gateshead", "Sure Start Gateshead")
    audit.record(other, None, "people.import", "organisation", other.id, now=NOW, source="cli")
    db.session.commit()
    org_id = org.id
    db.session.execute(text("DELETE FROM memberships WHERE organisation_id = :o"), {"o": org_id})
    db.session.execute(text("DELETE FROM organisations WHERE id = :o"), {"o": org_id})
    db.session.commit()
    assert db.session.get(Organisation, org_id) is None
    assert db.session.scalars(select(AuditLogEntry.action)).all() == ["people.import"]
    assert db.session.scalar(select(Membership.id).where(Membership.organisation_id == org_id)) is None
    assert db.session.scalar(select(Person.id)) is not None


def test_the_trigger_names_every_column_but_the_actor() -> None:
    columns = {c.name for c in AuditLogEntry.__table__.columns}
    assert set(audit_triggers.IMMUTABLE_COLUMNS) | {"actor_person_id"} == columns
    assert "actor_person_id" not in audit_triggers.IMMUTABLE_COLUMNS


def test_the_triggers_are_in_the_database(db) -> None:
    if USING_POSTGRES:
        names = db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log_entries'::regclass "
                                        "AND NOT tgisinternal")).all()
        assert names == ["audit_log_entries_append_only"]
    else:
        names = db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'audit_log_entries' ORDER BY name")).all()
        assert names == ["audit_log_entries_no_delete", "audit_log_entries_no_update"]
    assert "audit_log_entries" in inspect(db.engine).get_table_names()


@pytest.mark.postgres
def test_postgres_refuses_a_bulk_update_and_delete(db, trail) -> None:
    org, _, _ = trail
    audit.record(org, None, "people.import", "organisation", org.id, now=NOW, source="cli")
    db.session.commit()
    _refused(db, "UPDATE audit_log_entries SET reason = 'x' WHERE organisation_id = :org", org=org.id)
    _refused(db, "DELETE FROM audit_log_entries WHERE organisation_id = :org", org=org.id)
