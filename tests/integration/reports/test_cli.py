"""`flask report monthly` prints or saves a month's report; `report issue` freezes one; bad input exits 1."""
from __future__ import annotations

import json

import openpyxl
import pytest

from tests.integration.reports import dataset


@pytest.fixture()
def october(db, ledger):
    built = dataset.build(ledger)
    db.session.commit()
    return built


def test_json_to_standard_output_has_designs_keys(runner, october) -> None:
    result = runner.invoke(args=["report", "monthly", "--org", "tackley", "--month", "2026-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["hours"] == 29.5 and figures["places_needed"] == 10 and figures["month"] == "2026-10"
    assert {"by_volunteer", "by_role", "by_site", "by_kind", "by_stage"} <= set(figures)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_every_format_to_a_file(runner, october, tmp_path, fmt) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(args=["report", "monthly", "--org", "tackley", "--month", "2026-10", "--format", fmt,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out)["Summary"]["B6"].value == 29.5
    elif fmt == "csv":
        assert "summary,hours,,29.5" in out.read_text()
    else:
        assert out.read_text().count("<svg") == 3


def test_issue_then_print_the_frozen_report(runner, october) -> None:
    issued = runner.invoke(args=["report", "issue", "--org", "tackley", "--month", "2026-10"])
    assert issued.exit_code == 0 and "sha256" in issued.output
    again = runner.invoke(args=["report", "monthly", "--org", "tackley", "--month", "2026-10"])
    assert json.loads(again.stdout)["hours"] == 29.5


@pytest.mark.parametrize("args, message", [
    (["--org", "nowhere", "--month", "2026-10"], "--org: no organisation called 'nowhere'"),
    (["--org", "tackley", "--month", "10/2026"], "--month: expected a month as YYYY-MM"),
    (["--org", "tackley", "--month", "2026-10", "--out", "/nonexistent/dir/x.json"], "--out /nonexistent/dir/x.json"),
])
def test_bad_input_exits_1_with_a_clear_message(runner, october, args, message) -> None:
    result = runner.invoke(args=["report", "monthly", *args])
    assert result.exit_code == 1 and message in result.stderr


def test_a_month_not_over_cannot_be_issued(runner, october) -> None:
    result = runner.invoke(args=["report", "issue", "--org", "tackley", "--month", "2999-01"])
    assert result.exit_code == 1 and "--month" in result.stderr
