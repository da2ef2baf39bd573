"""The load policy: defaults as the contract, organisation overrides, role and person limits."""

from __future__ import annotations

import pytest
from wellbeing_builders import check, daily, of_rule, person, severity, shift

from volunteers.wellbeing import DEFAULT_POLICY, RULES, SEVERITIES, Policy, PolicyError
from volunteers.wellbeing.domain.severity import is_at_least, max_severity, severity_rank


def test_defaults_cover_every_rule_with_the_design_thresholds() -> None:
    assert list(DEFAULT_POLICY) == list(RULES) == [
        "over_pledge", "weekly_load", "long_duty", "short_rest", "consecutive_days", "consecutive_nights",
        "early_starts", "intense_hours", "load_spike", "supervision_due", "caseload"]
    policy = Policy()
    assert policy.levels("over_pledge") == (("critical", 2.0), ("warning", 1.5), ("notice", 1.25))
    assert policy.levels("weekly_load") == (("critical", 24.0), ("warning", 15.0))
    assert policy.levels("short_rest") == (("critical", 8.0), ("warning", 11.0))
    assert policy.levels("consecutive_days") == (("critical", 7.0), ("warning", 6.0))
    assert policy.levels("consecutive_nights") == (("critical", 4.0), ("warning", 3.0))
    assert policy.levels("early_starts") == (("warning", 3.0),)
    assert policy.levels("intense_hours") == (("critical", 12.0), ("warning", 8.0))
    assert policy.levels("load_spike") == (("warning", 2.0), ("notice", 1.5))
    assert policy.levels("supervision_due") == (("critical", 92.0), ("warning", 61.0))
    assert policy.levels("caseload") == (("critical", 1.5), ("warning", 1.0))


def test_severities_compare_in_order() -> None:
    assert SEVERITIES == ("notice", "warning", "critical")
    assert severity_rank("notice") < severity_rank("warning") < severity_rank("critical")
    assert max_severity(["warning", None, "notice"]) == "warning"
    assert max_severity([]) is None
    assert is_at_least("critical", "warning") and not is_at_least("notice", "warning")
    assert not is_at_least(None, "notice")
    with pytest.raises(ValueError, match="unknown severity"):
        severity_rank("severe")


SIXTEEN = daily("2026-11-02", 4, "09:00", "13:00")  # 16 WLH in a week


def test_an_organisation_can_loosen_or_tighten_a_rule() -> None:
    assert severity(person(SIXTEEN), "weekly_load", policy=Policy.from_overrides(
        {"weekly_load": {"warning": 20}})) is None
    assert severity(person(SIXTEEN), "weekly_load", policy=Policy.from_overrides(
        {"weekly_load": {"critical": 15.5}})) == "critical"


def test_an_organisation_can_switch_a_level_or_a_rule_off() -> None:
    assert severity(person(daily("2026-11-02", 7, "09:00", "12:00")), "consecutive_days",
                    policy=Policy.from_overrides({"consecutive_days": {"critical": None}})) == "warning"
    assert severity(person(SIXTEEN), "weekly_load",
                    policy=Policy.from_overrides({"weekly_load": {"enabled": False}})) is None


@pytest.mark.parametrize(("overrides", "message"), [
    ({"weekly_hours": {"warning": 1}}, "weekly_hours: unknown rule"),
    ({"weekly_load": {"amber": 1}}, "weekly_load.amber: unknown setting"),
    ({"weekly_load": {"warning": "15"}}, "weekly_load.warning: expected a non-negative number"),
    ({"weekly_load": {"warning": -1}}, "weekly_load.warning: expected a non-negative number"),
    ({"weekly_load": {"warning": True}}, "weekly_load.warning: expected a non-negative number"),
    ({"weekly_load": {"enabled": "no"}}, "weekly_load.enabled: expected true or false"),
    ({"weekly_load": {"min_excess_hours": 1}}, "weekly_load.min_excess_hours: unknown setting"),
    ({"weekly_load": {"warning": 30}}, "weekly_load.critical: critical level 24.0 is milder than warning"),
    ({"short_rest": {"critical": 12}}, "short_rest.critical: critical level 12 is milder than warning"),
    ({"weekly_load": 15}, "weekly_load: expected an object"),
    ({"roles": {"Helpline": {"nope": {}}}}, "roles.Helpline.nope: unknown rule"),
])
def test_bad_overrides_name_the_key(overrides: dict, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        Policy.from_overrides(overrides)
    assert message in str(caught.value)


def test_person_limits_only_tighten() -> None:
    policy = Policy.from_overrides({"weekly_load": {"warning": 12}})
    tighter = policy.tightened({"weekly_load": {"warning": 10, "critical": 30},
                                "short_rest": {"warning": 12}})
    assert tighter.levels("weekly_load") == (("critical", 24.0), ("warning", 10.0))
    assert tighter.levels("short_rest") == (("critical", 8.0), ("warning", 12.0))  # longer rest is stricter
    assert policy.tightened({"weekly_load": {"enabled": False}}).enabled("weekly_load")
    assert policy.levels("weekly_load") == (("critical", 24.0), ("warning", 12.0))  # unchanged


def test_a_role_limit_applies_where_that_role_works() -> None:
    policy = Policy().with_role_limits("Helpline", {"weekly_load": {"warning": 10}})
    helpline = daily("2026-11-02", 4, "18:00", "21:00", role="Helpline")  # 12 WLH
    shop = daily("2026-11-16", 4, "09:00", "12:00")  # 12 WLH in another week
    warnings = of_rule(check(person(helpline, shop), policy=policy), "weekly_load")
    assert [(w.window_start.day, w.threshold) for w in warnings] == [(2, 10.0)]


def test_a_looser_role_limit_is_ignored() -> None:
    policy = Policy().with_role_limits("Shop counter", {"weekly_load": {"warning": 40}})
    assert severity(person(SIXTEEN), "weekly_load", policy=policy) == "warning"


def test_role_limits_tighten_duty_rules_for_duties_of_that_role() -> None:
    policy = Policy.from_overrides({"roles": {"Helpline": {"long_duty": {"warning": 3}}}})
    helpline = person(shift("2026-11-02 09:00", "13:00", role="Helpline"))
    assert severity(helpline, "long_duty", policy=policy) == "warning"
    assert severity(person(shift("2026-11-02 09:00", "13:00")), "long_duty", policy=policy) is None


def test_policy_round_trips_to_plain_data() -> None:
    policy = Policy.from_overrides({"weekly_load": {"warning": 12},
                                    "roles": {"Helpline": {"long_duty": {"warning": 3}}}})
    data = policy.to_dict()
    assert data["weekly_load"]["warning"] == 12
    assert data["roles"] == {"Helpline": {"long_duty": {"warning": 3}}}
    assert Policy.from_overrides(data).to_dict() == data
