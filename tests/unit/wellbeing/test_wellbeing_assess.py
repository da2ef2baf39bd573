"""The JSON contract of ``assess``: defaults, evidence, and errors that name the field."""

from __future__ import annotations

import copy
import sys
from datetime import datetime
from typing import Any

import pytest
from wellbeing_builders import LONDON, person, shift

from volunteers.wellbeing import AssessmentError, Policy, assess, evaluate_volunteer


def payload(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "as_of": "2026-11-30T12:00:00+00:00",
        "timezone": "Europe/London",
        "policy": {},
        "volunteers": [
            {"id": "v1", "pledged_hours_per_week": 4,
             "shifts": [{"id": "s1", "start": "2026-11-02T09:00:00+00:00", "end": "2026-11-02T13:00:00+00:00",
                         "role": "Shop counter", "intensity": 1.0, "on_call": False}]},
        ],
    }
    base.update(changes)
    return base


def test_the_design_sample_gives_no_warning_and_its_figures() -> None:
    assert assess(payload()) == {
        "warnings": [],
        "organisation": {"volunteers": 1, "hours": 4.0, "top20_share": 1.0, "gini": 0.0,
                         "key_drivers": [], "bus_factor": {"Shop counter": 1}}}


def test_optional_fields_take_their_defaults() -> None:
    data = payload()
    del data["timezone"], data["policy"]
    shift_data = data["volunteers"][0]["shifts"][0]
    del shift_data["intensity"], shift_data["on_call"], shift_data["id"]
    del data["volunteers"][0]["pledged_hours_per_week"]
    assert assess(data)["organisation"]["hours"] == 4.0


def test_shift_ids_appear_in_the_evidence() -> None:
    data = payload()
    data["volunteers"][0]["shifts"] = [
        {"id": f"s{k}", "start": f"2026-11-0{2 + k}T09:00:00+00:00",
         "end": f"2026-11-0{2 + k}T15:00:00+00:00", "role": "Shop counter"} for k in range(3)]
    (warning,) = assess(data)["warnings"]
    assert warning["rule"] == "weekly_load" and warning["value"] == 18.0
    assert [s["id"] for s in warning["evidence"]["shifts"]] == ["s0", "s1", "s2"]
    assert warning["evidence"]["episode"]["shift_refs"] == ["s0", "s1", "s2"]
    assert warning["window_start"] == "2026-11-02T00:00:00+00:00"
    assert warning["window_end"] == "2026-11-09T00:00:00+00:00"


def test_policy_overrides_and_personal_limits_come_from_the_input() -> None:
    data = payload(policy={"weekly_load": {"warning": 3}})
    assert [w["rule"] for w in assess(data)["warnings"]] == ["weekly_load"]
    data = payload()
    data["volunteers"][0]["limits"] = {"long_duty": {"warning": 3.5}}
    assert [w["rule"] for w in assess(data)["warnings"]] == ["long_duty"]
    data = payload(policy={"roles": {"Shop counter": {"long_duty": {"warning": 3.5}}}})
    assert [w["rule"] for w in assess(data)["warnings"]] == ["long_duty"]


def test_windows_are_local_times_with_their_offset() -> None:
    data = payload(timezone="America/New_York")
    data["volunteers"][0]["shifts"] = [
        {"start": f"2026-07-0{1 + k}T13:00:00+00:00", "end": f"2026-07-0{1 + k}T19:00:00+00:00",
         "role": "Shop"} for k in range(3)]
    (warning,) = assess(data)["warnings"]
    assert warning["window_start"] == "2026-07-01T00:00:00-04:00"


SHIFT = "volunteers[0].shifts[0]"


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("as_of"), "input: missing field 'as_of'"),
    (lambda d: d.pop("volunteers"), "input: missing field 'volunteers'"),
    (lambda d: d.update(as_of="2026-11-30T12:00:00"), "as_of: '2026-11-30T12:00:00' has no UTC offset"),
    (lambda d: d.update(as_of="yesterday"), "as_of: 'yesterday' is not an ISO 8601 date-time"),
    (lambda d: d.update(timezone="Mars/Olympus"), "timezone: unknown time zone 'Mars/Olympus'"),
    (lambda d: d.update(volunteers={}), "volunteers: expected an array, got an object"),
    (lambda d: d.update(policy={"weekly_load": {"warning": "x"}}), "policy.weekly_load.warning: expected"),
    (lambda d: d["volunteers"][0].pop("id"), "volunteers[0]: missing field 'id'"),
    (lambda d: d["volunteers"][0].pop("shifts"), "volunteers[0]: missing field 'shifts'"),
    (lambda d: d["volunteers"][0].update(pledged_hours_per_week=-1), "volunteers[0].pledged_hours_per_week"),
    (lambda d: d["volunteers"][0].update(last_supervised_on="1 Sep"),
     "volunteers[0].last_supervised_on: '1 Sep'"),
    (lambda d: d["volunteers"][0].update(limits={"weekly_load": {"warning": None, "x": 1}}),
     "volunteers[0].limits.weekly_load.x: unknown setting"),
    (lambda d: d["volunteers"].append(copy.deepcopy(d["volunteers"][0])),
     "volunteers[1].id: 'v1' is also volunteers[0]"),
    (lambda d: d["volunteers"][0]["shifts"][0].pop("start"), f"{SHIFT}: missing field 'start'"),
    (lambda d: d["volunteers"][0]["shifts"][0].pop("role"), f"{SHIFT}: missing field 'role'"),
    (lambda d: d["volunteers"][0]["shifts"][0].update(end="2026-11-02T08:00:00+00:00"),
     f"{SHIFT}: end 2026-11-02T08:00:00+00:00 is before start 2026-11-02T09:00:00+00:00"),
    (lambda d: d["volunteers"][0]["shifts"][0].update(end="2026-11-02T09:00:00+00:00"),
     f"{SHIFT}: end 2026-11-02T09:00:00+00:00 is the same instant as start"),
    (lambda d: d["volunteers"][0]["shifts"][0].update(intensity="high"), f"{SHIFT}.intensity: expected"),
    (lambda d: d["volunteers"][0]["shifts"][0].update(on_call="no"),
     f"{SHIFT}.on_call: expected true or false"),
    (lambda d: d["volunteers"][0]["shifts"][0].update(start=20261102),
     f"{SHIFT}.start: expected an ISO 8601"),
])
def test_bad_input_names_the_field(change: Any, message: str) -> None:
    data = payload()
    change(data)
    with pytest.raises(AssessmentError) as caught:
        assess(data)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_input_must_be_an_object() -> None:
    with pytest.raises(AssessmentError, match="input: expected an object, got an array"):
        assess([])


def test_evaluate_volunteer_can_judge_chosen_rules_only() -> None:
    schedule = person([shift(f"2026-11-0{2 + k} 08:00", "15:00") for k in range(3)])
    as_of = datetime(2026, 12, 1, tzinfo=LONDON)
    everything = evaluate_volunteer(schedule, as_of, LONDON, Policy())
    assert {w.rule for w in everything} == {"weekly_load", "long_duty"}
    chosen = evaluate_volunteer(schedule, as_of, LONDON, Policy(), rules=["long_duty"])
    assert [w.rule for w in chosen] == ["long_duty"]
    with pytest.raises(ValueError, match="unknown rule"):
        evaluate_volunteer(schedule, as_of, LONDON, Policy(), rules=["weekly_hours"])
    with pytest.raises(ValueError, match="aware"):
        evaluate_volunteer(schedule, datetime(2026, 12, 1), LONDON, Policy())


def test_importing_the_public_api_does_not_import_flask() -> None:
    import subprocess
    code = "import sys, volunteers.wellbeing; assert 'flask' not in sys.modules, 'flask imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
