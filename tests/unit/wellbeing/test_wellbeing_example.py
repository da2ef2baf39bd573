"""The worked example of DESIGN.md (shared/examples) comes out as load-assess-expected.json says."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from volunteers.wellbeing import SEVERITIES, assess, max_severity

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def result() -> dict:
    return assess(json.loads((DATA / "load-assess-input.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((DATA / "load-assess-expected.json").read_text(encoding="utf-8"))


def test_highest_severity_per_rule_and_volunteer_matches_the_example(result: dict, expected: dict) -> None:
    found: dict[str, dict[str, str]] = {who: {} for who in expected["highest_severity_per_rule"]}
    for warning in result["warnings"]:
        rules = found[warning["volunteer"]]
        rules[warning["rule"]] = max_severity([rules.get(warning["rule"]), warning["severity"]])
    assert found == expected["highest_severity_per_rule"]


def test_organisation_figures_match_the_example_to_four_decimals(result: dict, expected: dict) -> None:
    organisation = result["organisation"]
    for name, value in expected["organisation"].items():
        assert round(organisation[name], 4) == value
    assert organisation["volunteers"] == 2
    assert organisation["hours"] == 72.0  # 11 shop shifts of 3 h; 10 × 3 h + 2 × 4.5 h on the helpline


def test_counsellor_numbers_are_the_ones_worked_by_hand(result: dict) -> None:
    by_rule = {w["rule"]: w for w in result["warnings"] if w["volunteer"] == "helpline-evenings"}
    assert by_rule["weekly_load"]["value"] == 24.38  # 3 × 7.125 + 3
    assert by_rule["intense_hours"]["value"] == 13.5
    assert by_rule["over_pledge"]["value"] == 1.88  # 22.5 / 12
    assert by_rule["short_rest"]["value"] == 7.5
    assert by_rule["supervision_due"]["value"] == 85.0
    assert by_rule["weekly_load"]["message"] == (
        "24.4 weighted hours in the 7 days 23–29 Nov 2026, above the critical level of 24")


def test_every_warning_has_the_contract_fields(result: dict) -> None:
    assert set(result) == {"warnings", "organisation"}
    assert set(result["organisation"]) >= {"volunteers", "hours", "top20_share", "gini", "key_drivers",
                                           "bus_factor"}
    for warning in result["warnings"]:
        assert set(warning) >= {"volunteer", "rule", "severity", "window_start", "window_end", "value",
                                "threshold", "prospective", "message", "evidence"}
        assert warning["severity"] in SEVERITIES
        start = datetime.fromisoformat(warning["window_start"])
        end = datetime.fromisoformat(warning["window_end"])
        assert start.utcoffset() is not None and start < end
        assert warning["evidence"]["shifts"], warning["rule"]
        assert isinstance(warning["message"], str) and warning["message"]


def test_warnings_from_the_planned_evenings_are_prospective(result: dict) -> None:
    by_rule = {w["rule"]: w for w in result["warnings"] if w["volunteer"] == "helpline-evenings"}
    assert by_rule["short_rest"]["prospective"] is True  # 25 Nov 19:00 is after as_of
    assert by_rule["supervision_due"]["prospective"] is False


def test_output_is_json_serialisable(result: dict) -> None:
    assert json.loads(json.dumps(result)) == result
