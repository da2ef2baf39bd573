"""PostgreSQL plans every page's statements well on a freshly loaded demo, by itself (issue 13 point 4).

The server this runs on has autovacuum off, as a fresh or badly tuned
production one may: statistics come only from the ``ANALYZE`` that each bulk
load runs (``core.maintenance``). This test loads the demo through its
command, signs in as each demo login and requests each page of issue 13's
table, capturing every statement the app sends (``before_cursor_execute``),
then runs each under ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` with the
same parameters. It fails on what hurts once the data grows:

* a sequential scan of a table of more than :data:`LARGE` rows that keeps
  less than a tenth of what it reads, or that runs more than once (a scan
  inside a loop), and that stays a sequential scan when the planner is told
  to avoid them (``enable_seqscan = off``): no index serves the statement.
  (Where one does, a scan of a demo-sized table is the planner's fair
  choice: a few pages read at once beat many index probes, and with a
  national organisation's statistics it takes the index — the national
  bench shows it does);
* any scan (sequential or index) whose loops read in all more than twice
  the table's rows, such as a nested loop over an unfiltered index.

The first catches a missing index; the second, a statement planned on
wrong statistics (the monthly report's anti-join read a million index rows
for a 1,142-row table before the demo was analysed).

Each statement is also judged in the plan that PostgreSQL may come to share
between all organisations: psycopg prepares a statement once it has run five
times on a connection (``core.unit_of_work`` ends a read so it keeps them),
and after five runs of a prepared statement the server may switch to one
*generic* plan, made without the parameters' values. The test forces that
plan (``plan_cache_mode = force_generic_plan``) and applies the same rules.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select

from tests.clock import Clock
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, local_date
from volunteers.demo.data import PASSWORD
from volunteers.people.models import Membership
from volunteers.rota.models import Shift

#: a table with more rows than this is large enough for a wasted scan to show (the demo's ledger: ~2,000)
LARGE = 1000
#: a sequential scan of a large table must keep at least this share of the rows it reads
KEPT = 0.1
#: what each demo login opens: issue 13's pages (coordinator pages in the coordinator's own organisation)
COORDINATOR_PAGES = ("/rota", "/rota?view=month", "/rota/shifts/{shift}", "/warnings", "/reports/monthly/{month}",
                     "/people", "/people/{member}", "/rota/series", "/me/shifts", "/me/hours")
VOLUNTEER_PAGES = ("/me/shifts", "/me/shifts/open", "/me/hours")
LOGINS = {"coordinator@tackley.example": ("tackley", COORDINATOR_PAGES),
          "volunteer@tackley.example": ("tackley", VOLUNTEER_PAGES),
          "coordinator@surestart.example": ("surestart", COORDINATOR_PAGES),
          "counsellor@surestart.example": ("surestart", VOLUNTEER_PAGES)}


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _read(node: dict[str, Any]) -> float:
    """Rows a scan node looked at in all its loops: those it kept and those its filter threw away."""
    removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return (node["Actual Rows"] + removed) * node["Actual Loops"]


def _urls(db, slug: str, pages: tuple[str, ...], now) -> list[str]:
    org = db.session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
    today = local_date(now, org.timezone)
    shift = db.session.scalar(select(Shift.id).where(Shift.organisation_id == org.id, Shift.filled > 0,
                                                     Shift.local_date >= today,
                                                     Shift.local_date < today + timedelta(days=7))
                              .order_by(Shift.filled.desc(), Shift.id).limit(1))
    member = db.session.scalar(select(Membership.id).where(Membership.organisation_id == org.id,
                                                           Membership.role == "volunteer")
                               .order_by(Membership.id).limit(1))
    month = Month.of(today).previous()
    return [page.format(shift=shift, member=member, month=month) for page in pages]


def problems(plan: dict[str, Any], sizes: dict[str, int], indexed: dict[str, Any] | None = None) -> list[str]:
    """What in one statement's plan would hurt at scale (see the module's docstring).

    ``indexed`` is the plan of the same statement with sequential scans discouraged: a wasteful
    sequential scan, or one repeated in a loop, counts only if it is still there (no index could serve
    it). Where one could, scanning a demo-sized table (a loop over a one-page table of roles, as a
    generic plan may do) is the planner's fair choice at this size.
    """
    unavoidable = {n.get("Relation Name") for n in _nodes(indexed or plan) if n["Node Type"] == "Seq Scan"}
    found = []
    for node in _nodes(plan):
        table = node.get("Relation Name")
        if table is None or "Actual Loops" not in node:
            continue
        size = max(sizes.get(table, 0), 1)
        read = _read(node)
        kept = node["Actual Rows"] * node["Actual Loops"]
        where = f"{node['Node Type']} on {table} ({size} rows)"
        if node["Node Type"] == "Seq Scan" and size > LARGE and table in unavoidable:
            if kept < KEPT * read:
                found.append(f"{where} kept {kept:.0f} of {read:.0f} rows read: an index is wanted")
            if node["Actual Loops"] > 1:
                found.append(f"{where} ran {node['Actual Loops']} times")
        if read > 2 * size and read > LARGE and (node["Node Type"] != "Seq Scan" or table in unavoidable):
            found.append(f"{where} read {read:.0f} rows in {node['Actual Loops']} loops")
    return found


def _explain(cursor: Any, statement: str, parameters: Any) -> dict[str, Any]:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
    return cursor.fetchone()[0][0]["Plan"]


def _explain_generic(cursor: Any, statement: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The plan of the statement prepared as psycopg prepares it, run with the generic plan the server may choose."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    body = re.sub(r"%\((\w+)\)s", number, statement).replace("%%", "%")
    cursor.execute(f"PREPARE page_statement AS {body}")
    try:
        arguments = psycopg.ClientCursor(cursor.connection).mogrify(
            ", ".join(["%s"] * len(names)), [parameters[name] for name in names]) if names else ""
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE page_statement({arguments})"
                       if names else "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE page_statement")
        return cursor.fetchone()[0][0]["Plan"]
    finally:
        cursor.execute("DEALLOCATE page_statement")


@pytest.mark.postgres
def test_every_page_plans_well_on_a_freshly_loaded_demo(app, db, client, auth, runner, clock: Clock) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    sizes = {t.name: db.session.scalar(select(func.count()).select_from(t)) or 0 for t in db.metadata.sorted_tables}
    assert sizes["contributions"] > LARGE and sizes["assignments"] > LARGE  # a size where a bad plan shows
    visits = [(email, url) for email, (slug, pages) in LOGINS.items() for url in _urls(db, slug, pages, clock.now)]
    db.session.rollback()

    statements: dict[tuple[str, str], tuple[str, Any, str]] = {}
    page = {"now": ""}

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.setdefault((statement, repr(parameters)), (statement, parameters, page["now"]))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for email in LOGINS:
            auth.login(email, PASSWORD)
            for who, url in visits:
                if who == email:
                    page["now"] = f"{url} as {email}"
                    assert client.get(url).status_code == 200, page["now"]
            auth.logout()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(statements) > 40

    bad = []
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        for statement, parameters, where in statements.values():
            for generic, explain in ((False, _explain), (True, _explain_generic)):
                cursor.execute(f"SET plan_cache_mode = {'force_generic_plan' if generic else 'auto'}")
                plan = explain(cursor, statement, parameters)
                if problems(plan, sizes):
                    cursor.execute("SET enable_seqscan = off")
                    indexed = explain(cursor, statement, parameters)
                    cursor.execute("RESET enable_seqscan")
                    kind = " (generic plan)" if generic else ""
                    bad += [f"{where}{kind}: {problem}\n    {' '.join(statement.split())[:300]}"
                            for problem in problems(plan, sizes, indexed)]
        cursor.execute("RESET plan_cache_mode")
        cursor.close()
        conn.rollback()
    assert not bad, "\n".join(bad)


def test_the_rules_tell_a_wasted_scan_from_a_fitting_one() -> None:
    """The thresholds themselves, on plans as PostgreSQL writes them (no database needed)."""
    sizes = {"contributions": 20_000, "roles": 12}
    wasted = {"Node Type": "Seq Scan", "Relation Name": "contributions", "Actual Rows": 40, "Actual Loops": 1,
              "Rows Removed by Filter": 19_960}
    looped = {"Node Type": "Nested Loop", "Plans": [
        {"Node Type": "Seq Scan", "Relation Name": "roles", "Actual Rows": 12, "Actual Loops": 1},
        {"Node Type": "Index Scan", "Relation Name": "contributions", "Actual Rows": 5_000, "Actual Loops": 12}]}
    fitting = {"Node Type": "Hash Join", "Plans": [
        {"Node Type": "Seq Scan", "Relation Name": "contributions", "Actual Rows": 19_000, "Actual Loops": 1,
         "Rows Removed by Filter": 1_000},
        {"Node Type": "Seq Scan", "Relation Name": "roles", "Actual Rows": 1, "Actual Loops": 1,
         "Rows Removed by Filter": 11}]}
    assert [p.split(" kept")[0] for p in problems(wasted, sizes)] == ["Seq Scan on contributions (20000 rows)"]
    assert problems(looped, sizes) == ["Index Scan on contributions (20000 rows) read 60000 rows in 12 loops"]
    assert problems(fitting, sizes) == []
    served = {"Node Type": "Index Scan", "Relation Name": "contributions", "Actual Rows": 40, "Actual Loops": 1}
    assert problems(wasted, sizes, indexed=served) == []  # an index serves it: the planner's choice at this size
    small_loop = {"Node Type": "Seq Scan", "Relation Name": "roles", "Actual Rows": 2, "Actual Loops": 500,
                  "Rows Removed by Filter": 10}
    assert problems(small_loop, sizes) == ["Seq Scan on roles (12 rows) read 6000 rows in 500 loops"]
    probed = {"Node Type": "Index Scan", "Relation Name": "roles", "Actual Rows": 2, "Actual Loops": 500}
    assert problems(small_loop, sizes, indexed=probed) == []  # told to, the planner probes an index instead
    assert problems(small_loop, sizes, indexed=small_loop) == [  # no index can serve it: still a problem
        "Seq Scan on roles (12 rows) read 6000 rows in 500 loops"]
