"""PostgreSQL plans the monthly report well on a freshly loaded demo (issue 13).

Un-analysed, the demo's tables looked empty to the planner, and the report's
"new volunteers" anti-join read the ledger's index 1,894 times over (about a
million rows for a 1,142-row table): 5 requests a second. The ``demo`` command
now analyses what it loaded (``core.maintenance.analyze``). This test loads
the demo through that command, captures every statement the report page's
service runs (the same functions, the same parameters) and runs each under
``EXPLAIN (ANALYZE, FORMAT JSON)``: no scan of the ledger or of the places may
read more than twice the table's rows in all its loops, and none may scan
the whole table more than once.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select

from tests.clock import Clock
from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, local_date
from volunteers.reports import services
from volunteers.rota.models import Assignment

WATCHED = {"contributions": Contribution, "assignments": Assignment}


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _rows_read(node: dict[str, Any]) -> float:
    removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return (node["Actual Rows"] + removed) * node["Actual Loops"]


@pytest.mark.postgres
def test_the_monthly_report_reads_each_table_about_once(db, runner, clock: Clock) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    org = db.session.scalars(select(Organisation).where(Organisation.slug == "tackley")).one()
    sizes = {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in WATCHED.items()}
    assert min(sizes.values()) > 1000  # a size where a bad plan shows
    month = Month.of(local_date(clock.now, org.timezone))
    statements: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for wanted in (month.previous(), month):  # a whole month of history, and this month's draft
            services.monthly_report(org, wanted, clock.now)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(statements) >= 5

    bad = []
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    for statement, parameters in statements:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        plan = cursor.fetchone()[0][0]["Plan"]
        for node in _nodes(plan):
            table = node.get("Relation Name")
            if table not in WATCHED:
                continue
            if _rows_read(node) > 2 * sizes[table]:
                bad.append(f"{node['Node Type']} on {table} read {_rows_read(node):.0f} rows "
                           f"({node['Actual Loops']} loops) of {sizes[table]}: {statement[:120]}")
            if node["Node Type"] == "Seq Scan" and node["Actual Loops"] > 1:
                bad.append(f"Seq Scan on {table} repeated {node['Actual Loops']} times: {statement[:120]}")
    cursor.close()
    assert not bad, "\n".join(bad)
