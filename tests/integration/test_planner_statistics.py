"""Bulk loads leave the planner true statistics (``core.maintenance.analyze``).

PostgreSQL plans from ``ANALYZE``'s statistics; on a server whose autovacuum
has not run (or is off) a freshly loaded table looks empty and the monthly
report's anti-join looped over thousands of rows (issue 13). SQLite keeps its
statistics in ``sqlite_stat1``. Each test loads rows through a command and
reads the row count the statistics hold, which is the true count only once
the table was analysed.
"""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select, text

from tests.clock import Clock
from tests.factories import make_member, make_org
from volunteers.contributions.models import Contribution
from volunteers.core.maintenance import GROWN_ROWS, analyze, analyze_if_grown
from volunteers.core.models import Organisation
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment

PEOPLE = (
    "name,email,phone,qualifications,pledged_hours_per_week,joined_on,availability\n"
    "Ann Archer,ann@example.org,,,4,,\n"
    "Bob Baker,bob@example.org,,,2.5,,\n"
    "Cas Cole,cas@example.org,,,2,,\n"
)


def _rows_in_statistics(db, table: str) -> int | None:
    """The row count the planner's statistics hold for ``table`` (None: never analysed)."""
    if db.engine.dialect.name == "postgresql":
        tuples = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table})
        return None if tuples is None or tuples < 0 else int(tuples)
    if db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 0:
        return None
    stats = db.session.scalars(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"), {"t": table}).all()
    return max(int(stat.split()[0]) for stat in stats) if stats else None  # a partial index counts fewer rows


def _flush_statistics(db) -> None:
    """Have PostgreSQL count this connection's changes so far (no-op on SQLite).

    A backend hands its row counts to the server's statistics when it goes
    idle, at most once a second; counts still held back when ``ANALYZE`` runs
    arrive after it and read as changes since (``n_mod_since_analyze``), so on
    a busy machine 200 loaded rows looked like 200 new ones.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_stat_force_next_flush()"))
        db.session.commit()  # idle: the counts are flushed now
        db.session.execute(text("SELECT 1"))
        db.session.commit()


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_importing_volunteers_analyses_the_tables_it_loaded(runner, db, tmp_path: Path) -> None:
    make_org("tackley")
    db.session.commit()
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")

    result = runner.invoke(args=["import", "volunteers", str(path), "--org", "tackley"])

    assert result.exit_code == 0, result.output
    assert _rows_in_statistics(db, "memberships") == _count(db, Membership) == 3


def test_loading_the_demo_analyses_every_table(runner, db, clock: Clock) -> None:
    result = runner.invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    assert _rows_in_statistics(db, "contributions") == _count(db, Contribution) > 1000
    assert _rows_in_statistics(db, "assignments") == _count(db, Assignment) > 1000


def test_analyze_takes_models_tables_and_names(db) -> None:
    org = make_org("tackley")
    for n in range(3):
        make_member(org, f"v{n}@example.org", password=None)
    db.session.commit()

    analyze(db.session, Membership, Organisation.__table__, "people")

    assert _rows_in_statistics(db, "memberships") == 3
    assert _rows_in_statistics(db, "organisations") == 1
    assert _rows_in_statistics(db, "people") == 3


def _people_csv(first: int, count: int) -> bytes:
    rows = "".join(f"Person {k},p{k}@example.org,,,2,,\n" for k in range(first, first + count))
    return (PEOPLE.splitlines()[0] + "\n" + rows).encode()


def test_importing_people_on_the_web_analyses_a_table_it_grew_before_the_commit(client, auth, db) -> None:
    org = make_org("tackley")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    db.session.commit()
    auth.login("coordinator@tackley.example")

    response = client.post("/people/import", data={"file": (io.BytesIO(_people_csv(0, 120)), "people.csv")},
                           content_type="multipart/form-data")

    assert response.status_code == 302
    db.session.rollback()
    assert _rows_in_statistics(db, "memberships") == _count(db, Membership) == 121
    assert _rows_in_statistics(db, "people") == 121


def test_a_few_rows_more_leave_the_statistics_alone_and_many_renew_them(db) -> None:
    org = make_org("tackley")
    for n in range(200):
        make_member(org, f"v{n}@example.org", password=None)
    db.session.commit()
    _flush_statistics(db)
    analyze(db.session, Membership)

    for n in range(200, 210):  # 10 rows of 200: under 50 + 10%
        make_member(org, f"v{n}@example.org", password=None)
    assert analyze_if_grown(db.session, {Membership: 10, "people": 0}) == []
    db.session.commit()
    assert _rows_in_statistics(db, "memberships") == 200

    grown = GROWN_ROWS + 30  # with the 10 before: over 50 + 10% of 200 on PostgreSQL (it counts them), and alone
    for n in range(210, 210 + grown):
        make_member(org, f"v{n}@example.org", password=None)
    assert analyze_if_grown(db.session, {Membership: grown}) == ["memberships"]
    db.session.commit()
    assert _rows_in_statistics(db, "memberships") == 210 + grown
