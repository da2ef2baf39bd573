"""The ledger is append-only in the database itself: no DELETE, no UPDATE but a pending entry's decision."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import USING_POSTGRES
from tests.factories import utc
from volunteers.contributions import append_only
from volunteers.contributions import services as ledger_services
from volunteers.contributions.ledger import record_contribution
from volunteers.contributions.models import Contribution

NOW = utc(2026, 11, 2, 10)


def _approved(ledger) -> Contribution:
    entry = record_contribution(ledger.org, NOW, ledger.coordinator.person_id, kind="money", stage="delivery",
                                day=date(2026, 11, 1), contributor_type="community_group",
                                contributor_name="Tackley WI", amount="50")
    return entry


def _pending(ledger) -> Contribution:
    return ledger_services.log_hours(ledger.org, ledger.ann, date(2026, 11, 1), "2.5", None, "stock take", NOW)


def _refused(db, sql: str, **params) -> None:
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(sql), params)


def test_an_approved_entry_cannot_be_edited(db, ledger) -> None:
    entry = _approved(ledger)
    db.session.commit()
    _refused(db, "UPDATE contributions SET amount = 5000 WHERE id = :id", id=entry.id)
    _refused(db, "UPDATE contributions SET status = 'rejected' WHERE id = :id", id=entry.id)
    _refused(db, "UPDATE contributions SET note = 'changed' WHERE id = :id", id=entry.id)
    db.session.rollback()
    assert db.session.get(Contribution, entry.id).amount == 50


def test_no_entry_can_be_deleted(db, ledger) -> None:
    approved, pending = _approved(ledger), _pending(ledger)
    db.session.commit()
    _refused(db, "DELETE FROM contributions WHERE id = :id", id=approved.id)
    _refused(db, "DELETE FROM contributions WHERE id = :id", id=pending.id)
    db.session.rollback()
    assert db.session.scalar(text("SELECT count(*) FROM contributions")) == 2


def test_a_pending_entry_may_be_decided_but_not_altered(db, ledger) -> None:
    entry = _pending(ledger)
    db.session.commit()
    _refused(db, "UPDATE contributions SET hours = 8 WHERE id = :id", id=entry.id)
    _refused(db, "UPDATE contributions SET occurred_on = '2026-10-01', status = 'approved', decided_at = :now "
                 "WHERE id = :id", id=entry.id, now=NOW)
    assert ledger_services.decide(ledger.org, [entry.id], "approved", ledger.coordinator.person_id, NOW) == 1
    db.session.commit()
    # once decided, not even the decision may change
    _refused(db, "UPDATE contributions SET status = 'rejected' WHERE id = :id", id=entry.id)


def test_the_trigger_names_every_column_but_the_decision() -> None:
    columns = {c.name for c in Contribution.__table__.columns}
    assert set(append_only.IMMUTABLE_COLUMNS) | set(append_only.DECISION_COLUMNS) == columns
    assert not set(append_only.IMMUTABLE_COLUMNS) & set(append_only.DECISION_COLUMNS)


def test_the_triggers_are_in_the_database(db) -> None:
    if USING_POSTGRES:
        names = db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'contributions'::regclass "
                                        "AND NOT tgisinternal AND tgname NOT LIKE '%marks%' ORDER BY tgname")).all()
        assert names == ["contributions_append_only"]  # and the organisation's change marks' (core.change_marks)
    else:
        names = db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                        "AND tbl_name = 'contributions' AND name NOT LIKE '%marks%' "
                                        "ORDER BY name")).all()
        assert names == ["contributions_no_delete", "contributions_no_update"]
    assert "contributions" in inspect(db.engine).get_table_names()


@pytest.mark.postgres
def test_postgres_refuses_a_delete_even_through_a_bulk_statement(db, ledger) -> None:
    _approved(ledger)
    _pending(ledger)
    db.session.commit()
    _refused(db, "DELETE FROM contributions WHERE organisation_id = :org", org=ledger.org.id)
