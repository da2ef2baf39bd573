"""The national-size bench (``benchmarks/bench_national.py``) generates data the schema accepts, and measures it.

The bench is not part of the test run (full size takes half an hour); this
keeps it from rotting on PostgreSQL: at 1/1000 of the size (one
organisation) the set-based generator fills a freshly migrated database of
its own — every foreign key and unique key it dropped for the load is put
back and checked by PostgreSQL over the rows — the Sunday full scan writes
warnings, and each page and its raw SQL floor answer with rows.
"""
from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import pytest

from config import TestingConfig

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_national  # noqa: E402

NAME = "vol_national_test"


@pytest.mark.postgres
def test_the_generator_fills_a_migrated_database_and_every_page_answers() -> None:
    server = bench_national.server_url(TestingConfig.SQLALCHEMY_DATABASE_URI)
    try:
        info = bench_national.generate(server, NAME, 0.001)
        rows = bench_national.plan(0.001)
        assert info["counts"]["organisations"] == len(rows) == 1
        assert info["counts"]["memberships"] == rows[0]["size"] == 25
        assert info["counts"]["shifts"] == rows[0]["shifts"]
        assert info["counts"]["contributions"] == 20_000  # 1/1000 of the ledger
        with psycopg.connect(f"{server}/{NAME}") as conn:
            # the rules the app keeps: no shift over its places, filled = its live places, one live place each
            assert conn.execute("""SELECT count(*) FROM shifts s WHERE s.filled > s.needed OR s.filled <>
                (SELECT count(*) FROM assignments a WHERE a.organisation_id = s.organisation_id
                 AND a.shift_id = s.id AND a.status <> 'cancelled')""").fetchone() == (0,)
            assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conrelid = 'contributions'::regclass "
                                "AND contype = 'f' AND convalidated").fetchone()[0] >= 6
            assert conn.execute("SELECT count(*) FROM load_warnings").fetchone()[0] > 0  # the Sunday scan ran
        assert bench_national.described(server, NAME) == info  # kept: a later run only measures

        results = bench_national.measure(f"{server}/{NAME}", 0.001, runs=1, heavy_runs=1)
        assert set(results) == {"board week", "my shifts", "monthly report", "network report",
                                "nightly scan, all orgs"}
        for page in ("board week", "my shifts", "monthly report", "network report"):
            assert results[page]["shown"] > 0 and results[page]["floor_rows"] > 0, page
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
