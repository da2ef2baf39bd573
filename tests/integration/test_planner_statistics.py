"""Bulk loads leave the planner true statistics (``core.maintenance.analyze``).

PostgreSQL plans from ``ANALYZE``'s statistics; on a server whose autovacuum
has not run (or is off) a freshly loaded table looks empty and the monthly
report's anti-join looped over thousands of rows (issue 13). SQLite keeps its
statistics in ``sqlite_stat1``. Each test loads rows through a command and
reads the row count the statistics hold, which is the true count only once
the table was analysed.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from tests.clock import Clock
from tests.factories import make_member, make_org
from volunteers.contributions.models import Contribution
from volunteers.core.maintenance import analyze
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
