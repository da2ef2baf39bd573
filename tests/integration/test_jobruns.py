"""Run-once keys: a job for the same key runs once, even with a second process or a crash."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import utc
from volunteers.core import jobruns


def test_second_claim_for_the_same_key_is_refused_while_running(db) -> None:
    now = utc(2026, 12, 1, 6)
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now) is not None
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(minutes=1)) is None


def test_a_finished_run_is_never_repeated(db) -> None:
    now = utc(2026, 12, 1, 6)
    run = jobruns.claim("reports.monthly", "tackley:2026-11", now)
    jobruns.finish(run, now)
    db.session.commit()
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(days=3)) is None


def test_a_run_whose_process_died_is_taken_over_after_its_lease(db) -> None:
    now = utc(2026, 12, 1, 6)
    jobruns.claim("reports.monthly", "tackley:2026-11", now, lease=timedelta(minutes=10))
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(minutes=5)) is None
    taken = jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(minutes=11))
    assert taken is not None
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(minutes=12)) is None


def test_a_failed_run_may_be_retried(db) -> None:
    now = utc(2026, 12, 1, 6)
    run = jobruns.claim("reports.monthly", "tackley:2026-11", now)
    jobruns.fail(run.id, "boom", now)
    assert jobruns.claim("reports.monthly", "tackley:2026-11", now + timedelta(minutes=1)) is not None


def test_run_once_commits_the_work_with_the_finished_run(db) -> None:
    now = utc(2026, 12, 1, 6)
    assert jobruns.run_once("demo.job", "k", now, lambda: 42) == (True, 42)
    assert jobruns.run_once("demo.job", "k", now, lambda: 43) == (False, None)


def test_run_once_records_a_failure_so_a_later_run_retries(db) -> None:
    import pytest

    now = utc(2026, 12, 1, 6)

    def boom() -> None:
        raise RuntimeError("SMTP down")

    with pytest.raises(RuntimeError):
        jobruns.run_once("demo.job", "k", now, boom)
    assert jobruns.run_once("demo.job", "k", now + timedelta(minutes=1), lambda: "ok") == (True, "ok")
