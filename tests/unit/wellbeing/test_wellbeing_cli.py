"""``load assess`` on the click group itself (no app): JSON out, or one message and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from volunteers.wellbeing import assess
from volunteers.wellbeing.cli import load

EXAMPLE = Path(__file__).parent / "data" / "load-assess-input.json"


def test_assess_prints_the_assessment_of_a_file() -> None:
    result = CliRunner().invoke(load, ["assess", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == assess(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert result.stdout.startswith('{\n  "warnings": [')


def test_assess_reads_stdin_for_a_dash() -> None:
    result = CliRunner().invoke(load, ["assess", "-"], input=EXAMPLE.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["organisation"]["gini"] == 0.0417


def bad(text: str, tmp_path: Path) -> tuple[int, str, str]:
    path = tmp_path / "schedule.json"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(load, ["assess", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_bad_json_is_one_message_and_exit_code_2(tmp_path: Path) -> None:
    code, out, err = bad('{"as_of": ', tmp_path)
    assert (code, out) == (2, "")
    assert "schedule.json: invalid JSON at line 1, column 11" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(("text", "message"), [
    ('{"volunteers": []}', "input: missing field 'as_of'"),
    ('{"as_of": "2026-11-30T12:00:00+00:00", "volunteers": [{"id": "v", "shifts": [{"start": '
     '"2026-11-02T09:00:00+00:00", "end": "2026-11-02T08:00:00+00:00", "role": "Shop"}]}]}',
     "volunteers[0].shifts[0]: end 2026-11-02T08:00:00+00:00 is before start 2026-11-02T09:00:00+00:00"),
])
def test_bad_input_names_the_file_and_field(text: str, message: str, tmp_path: Path) -> None:
    code, out, err = bad(text, tmp_path)
    assert (code, out) == (2, "")
    assert "schedule.json: " in err and message in err


def test_missing_file_is_exit_code_2() -> None:
    result = CliRunner().invoke(load, ["assess", "/nonexistent/schedule.json"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "cannot read" in result.stderr


def test_the_group_is_named_load_for_the_app_to_register() -> None:
    assert load.name == "load"
    assert "assess" in load.commands
