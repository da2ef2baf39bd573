"""Reads run as SQL compiled once (``core.compiled_sql``) give ``execute``'s rows: values, types and zones,
in one statement each, on the demo's data (SQLite here, PostgreSQL under ``.ci/run``)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from sqlalchemy import bindparam, func, literal, select

from tests.querycount import statements_run
from tests.rows import typed
from volunteers.contributions.models import Contribution
from volunteers.core import compiled_sql, sql_lists
from volunteers.demo.data import load_demo
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Shift

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@cache
def _shifts(listed: int, expanding: bool) -> Any:
    """Instants (UTCDateTime), a date, a number, a flag, text, a literal, a code-constant list and parameters."""
    ids: Any = (Shift.id.in_(bindparam("ids", expanding=True)) if expanding
               else sql_lists.any_of(Shift.id, "ids", listed))
    return (select(Shift.id, Shift.starts_at, Shift.local_date, Role.intensity, Role.on_call, Role.name,
                   literal("fixed"), func.count().over())
            .join(Role, Role.id == Shift.role_id)
            .where(Shift.organisation_id == bindparam("org"), Shift.starts_at >= bindparam("since"),
                   sql_lists.one_of(Shift.status, ["planned", "cancelled"]), ids)
            .order_by(Shift.starts_at, Shift.id))


@cache
def _hours() -> Any:
    """Decimals and dates of an aggregate, by a date parameter."""
    return (select(Contribution.membership_id, func.sum(Contribution.hours), func.max(Contribution.occurred_on))
            .where(Contribution.organisation_id == bindparam("org"),
                   Contribution.occurred_on >= bindparam("from_day", type_=Contribution.occurred_on.type))
            .group_by(Contribution.membership_id).order_by(Contribution.membership_id))


@pytest.fixture()
def demo(app, db) -> Any:
    load_demo(NOW)
    db.session.commit()
    with statements_run() as seen:
        yield db.session.connection(), seen


def test_compiled_reads_give_executes_rows_types_and_zones(demo) -> None:
    conn, seen = demo
    compared = 0
    for org in sorted({row[0] for row in conn.execute(select(Membership.organisation_id))}):
        shift_ids = [row[0] for row in conn.execute(select(Shift.id).where(Shift.organisation_id == org))]
        for ids in (shift_ids[:1], shift_ids[:40], shift_ids[::3][:64]):
            params = {"org": org, "since": NOW - timedelta(days=60), **sql_lists.bound("ids", ids)}
            old = conn.execute(_shifts(len(ids), False), params).all()
            seen.clear()
            new = compiled_sql.rows_of(conn, _shifts, (len(ids), False), params)
            assert len(seen) == 1 and typed(new) == typed(old)
            assert compiled_sql.driver_rows(conn, _shifts, (len(ids), False), params).typed() == new
            assert compiled_sql.compiled(_shifts, (len(ids), False), conn.dialect) is not None
            compared += len(new)
        for day in (date(2026, 9, 1), date(2026, 11, 1), date(2027, 1, 1)):
            params = {"org": org, "from_day": day}
            old = conn.execute(_hours(), params).all()
            seen.clear()
            new = compiled_sql.rows_of(conn, _hours, (), params)
            assert len(seen) == 1 and typed(new) == typed(old)
            compared += len(new)
    assert compared > 100


def test_a_read_with_an_expanding_list_is_run_by_execute(demo) -> None:
    conn, seen = demo
    org, ids = conn.execute(select(Shift.organisation_id, Shift.id).limit(1)).one()
    params = {"org": org, "since": NOW - timedelta(days=400), "ids": [ids]}
    assert compiled_sql.compiled(_shifts, (0, True), conn.dialect) is None
    rows = compiled_sql.driver_rows(conn, _shifts, (0, True), params)
    assert rows.conversions == () and typed(rows.rows) == typed(conn.execute(_shifts(0, True), params).all())
