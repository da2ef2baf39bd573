"""Load from outside the rota: the ``caseload`` rule, and logged contact time in weekly_load and over_pledge.

DESIGN.md, "Peer support": open cases ÷ ``caseload_limit`` (no limit: not
judged), warning above 1.0, critical above 1.5; contact time counts like
shift time in ``weekly_load`` (daytime, intensity 1.0) and ``over_pledge``
(raw hours), and is not a duty.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from wellbeing_builders import LONDON, at, check, daily, of_rule, person, severity

from volunteers.wellbeing import Policy, VolunteerSchedule, assess
from volunteers.wellbeing.domain.model import LoggedTime
from volunteers.wellbeing.domain.next_judgement import next_judgement
from volunteers.wellbeing.domain.rules import CASELOAD_KEY


def cases(open_cases: int | None, limit: int | None) -> VolunteerSchedule:
    return replace(person(), open_cases=open_cases, caseload_limit=limit)


@pytest.mark.parametrize(("open_cases", "limit", "expected"), [
    (12, 12, None),  # at the limit: not above it
    (13, 12, "warning"),
    (18, 12, "warning"),  # 1.5 exactly is not above the critical level
    (19, 12, "critical"),
    (30, None, None),  # no limit set: not judged
    (30, 0, None),
    (None, 12, None),  # no count of open cases: not judged
    (0, 12, None),
])
def test_caseload_levels_are_designs(open_cases: int | None, limit: int | None, expected: str | None) -> None:
    assert severity(cases(open_cases, limit), "caseload") == expected


def test_caseload_warning_says_its_numbers_and_keeps_one_episode() -> None:
    first = of_rule(check(cases(14, 12), as_of="2026-11-30 12:00"), "caseload")
    later = of_rule(check(cases(14, 12), as_of="2026-12-14 09:00"), "caseload")
    assert len(first) == len(later) == 1
    warning = first[0]
    assert warning.message == ("14 open cases against a caseload limit of 12: 1.17 times the limit, "
                               "above the warning level of 1")
    assert (warning.value, warning.threshold, warning.prospective) == (pytest.approx(14 / 12), 1.0, False)
    assert warning.details == {"open_cases": 14, "caseload_limit": 12, "ratio": 1.1667}
    assert warning.shift_refs == () and warning.last_start is None
    assert warning.window_start == at("2026-11-30 00:00") and warning.window_end == at("2026-12-01 00:00")
    assert warning.episode_key == later[0].episode_key == CASELOAD_KEY  # the same row, updated


def test_caseload_follows_organisation_and_person_limits() -> None:
    looser = Policy.from_overrides({"caseload": {"warning": 1.2}})
    assert severity(cases(14, 12), "caseload", policy=looser) is None
    tighter = looser.tightened({"caseload": {"warning": 1.1}})
    assert severity(cases(14, 12), "caseload", policy=tighter) == "warning"
    assert severity(cases(30, 12), "caseload", policy=Policy.from_overrides({"caseload": {"enabled": False}})) \
        is None


def test_a_standing_caseload_warning_is_judged_again_at_the_weekly_move() -> None:
    schedule = cases(14, 12)
    as_of = at("2026-12-02 12:00")  # a Wednesday
    found = check(schedule, as_of="2026-12-02 12:00")
    due = next_judgement(schedule, found, as_of, LONDON, Policy(), history=timedelta(days=63))
    assert due == at("2026-12-06 00:00")  # the next Sunday midnight, long before it would age out


def contacts(first: str, count: int, hours: float) -> tuple[LoggedTime, ...]:
    day = date.fromisoformat(first)
    return tuple(LoggedTime(day + timedelta(days=k), hours, "contact", ref=f"c{k}") for k in range(count))


def test_logged_contact_time_counts_in_weekly_load_like_daytime_shifts() -> None:
    shifts = daily("2026-11-02", 3, "09:00", "13:00")  # 12 WLH
    assert severity(person(shifts), "weekly_load") is None
    with_contacts = replace(person(shifts), logged=contacts("2026-11-05", 2, 2.0))  # + 4 h
    warnings = of_rule(check(with_contacts), "weekly_load")
    assert [w.severity for w in warnings] == ["warning"]
    warning = warnings[0]
    assert warning.value == 16.0
    assert warning.message.endswith("; 4 of those hours were logged (contact), not rostered")
    assert warning.details["logged_hours"] == 4.0
    assert [entry["ref"] for entry in warning.details["logged"]] == ["c0", "c1"]
    assert len(warning.shifts) == 3  # the shifts are still the evidence; contacts are no shifts


def test_contact_time_alone_can_be_over_the_pledge_and_is_never_a_duty() -> None:
    alone = replace(person(pledge=2), logged=contacts("2026-11-02", 7, 3.0))  # 21 h in 7 days, 8 h allowed
    found = check(alone)
    assert {w.rule for w in found} == {"over_pledge", "weekly_load"}
    over = of_rule(found, "over_pledge")[0]
    assert over.severity == "critical" and over.details["hours"] == 21.0 and over.shift_refs == ()
    # seven days in a row of contacts are not seven duties: no consecutive_days, no long duty
    assert severity(alone, "consecutive_days") is None and severity(alone, "long_duty") is None


def test_schedules_without_logged_time_or_cases_read_as_before() -> None:
    shifts = daily("2026-11-02", 4, "09:00", "13:00")
    plain = check(person(shifts))
    padded = check(replace(person(shifts), logged=(), open_cases=3, caseload_limit=None))
    assert [w.to_dict() for w in plain] == [w.to_dict() for w in padded]
    assert all("logged_hours" not in w.details for w in plain)


def payload(**volunteer: object) -> dict[str, object]:
    return {"as_of": "2026-11-30T12:00:00+00:00",
            "volunteers": [{"id": "v1", "shifts": [], **volunteer}]}


def test_load_assess_judges_a_volunteer_carrying_both_counts() -> None:
    result = assess(payload(caseload_limit=10, open_cases=16))
    assert [(w["rule"], w["severity"], w["value"]) for w in result["warnings"]] == [("caseload", "critical", 1.6)]
    assert result["warnings"][0]["evidence"]["open_cases"] == 16
    assert assess(payload(open_cases=16))["warnings"] == []
    assert assess(payload(caseload_limit=10))["warnings"] == []


@pytest.mark.parametrize(("field", "value"), [("open_cases", -1), ("open_cases", 2.5), ("caseload_limit", "12"),
                                               ("caseload_limit", True)])
def test_load_assess_names_a_bad_count(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"volunteers\[0\]\.{field}: expected a whole number"):
        assess(payload(**{field: value}))
