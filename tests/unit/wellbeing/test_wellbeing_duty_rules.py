"""Duty rules at their boundaries.

long_duty, short_rest, consecutive_days, consecutive_nights and early_starts.
"""

from __future__ import annotations

from datetime import date

import pytest
from wellbeing_builders import check, daily, of_rule, person, severity, shift, worst

# long_duty: warning > 6 h (> 4.5 h intense), critical > 12 h (> 8 h night or intense)


@pytest.mark.parametrize(("start", "end", "kwargs", "expected", "threshold"), [
    ("2026-11-02 08:00", "14:00", {}, None, None),
    ("2026-11-02 08:00", "14:01", {}, "warning", 6.0),
    ("2026-11-02 08:00", "20:00", {}, "warning", 6.0),
    ("2026-11-02 08:00", "20:01", {}, "critical", 12.0),
    ("2026-11-02 09:00", "13:30", {"intensity": 1.5}, None, None),
    ("2026-11-02 09:00", "13:31", {"intensity": 1.5}, "warning", 4.5),
    ("2026-11-02 09:00", "17:00", {"intensity": 1.5}, "warning", 4.5),
    ("2026-11-02 09:00", "17:01", {"intensity": 1.5}, "critical", 8.0),
    ("2026-11-02 09:00", "14:00", {"intensity": 1.4}, None, None),
    ("2026-11-02 22:00", "06:00", {}, "warning", 6.0),  # a night duty of 8 h
    ("2026-11-02 22:00", "06:01", {}, "critical", 8.0),
    ("2026-11-02 18:00", "08:00", {"on_call": True}, None, None),  # stand-by is not judged
])
def test_long_duty_levels(start: str, end: str, kwargs: dict, expected: str | None,
                          threshold: float | None) -> None:
    warnings = of_rule(check(person(shift(start, end, **kwargs))), "long_duty")
    assert [(w.severity, w.threshold) for w in warnings] == ([(expected, threshold)] if expected else [])


def test_long_duty_judges_merged_shifts_as_one_duty() -> None:
    merged = person(shift("2026-11-02 08:00", "12:00"), shift("2026-11-02 12:30", "15:00"))
    (warning,) = of_rule(check(merged), "long_duty")
    assert warning.value == 7.0
    assert len(warning.shifts) == 2
    assert warning.message == ("A duty of 7 hours from 08:00 on Mon 2 Nov 2026 to 15:00 on Mon 2 Nov 2026, "
                               "above the warning level of 6 hours")


def test_long_duty_message_says_when_the_duty_is_intense_or_at_night() -> None:
    (warning,) = of_rule(check(person(shift("2026-11-02 22:00", "07:00", role="Helpline", intensity=1.5))),
                         "long_duty")
    assert warning.message == ("An intense night duty of 9 hours from 22:00 on Mon 2 Nov 2026 to 07:00 on "
                               "Tue 3 Nov 2026, above the critical level of 8 hours")
    assert warning.details == {"hours": 9.0, "night_hours": 7.0, "night_duty": True, "intensity": 1.5}


def test_consecutive_long_duties_are_one_episode_reported_at_the_longest() -> None:
    long_days = [shift("2026-11-02 08:00", "15:00"), shift("2026-11-03 08:00", "17:00"),
                 shift("2026-11-04 08:00", "15:00")]
    (warning,) = of_rule(check(person(long_days)), "long_duty")
    assert warning.value == 9.0
    assert len(warning.shift_refs) == 3
    broken = long_days + [shift("2026-11-05 08:00", "10:00"), shift("2026-11-06 08:00", "15:00")]
    assert len(of_rule(check(person(broken)), "long_duty")) == 2


def test_long_duty_is_prospective_when_its_shift_starts_at_or_after_as_of() -> None:
    duty = person(shift("2026-11-02 08:00", "15:00"))
    assert of_rule(check(duty, as_of="2026-11-02 08:00"), "long_duty")[0].prospective is True
    assert of_rule(check(duty, as_of="2026-11-02 08:01"), "long_duty")[0].prospective is False


# short_rest: after a duty ending ≥ 19:00, across midnight or at night; warning < 11 h, critical < 8 h

@pytest.mark.parametrize(("next_start", "expected"), [
    ("2026-11-03 06:59", "warning"),  # 10:59 after 20:00
    ("2026-11-03 07:00", None),  # 11:00
    ("2026-11-03 03:59", "critical"),  # 7:59
    ("2026-11-03 04:00", "warning"),  # 8:00
])
def test_short_rest_levels_after_an_evening_duty(next_start: str, expected: str | None) -> None:
    shifts = [shift("2026-11-02 16:00", "20:00"), shift(next_start, hours=3)]
    assert severity(person(shifts), "short_rest") == expected


def test_rest_after_a_duty_ending_before_19_00_is_not_judged() -> None:
    shifts = [shift("2026-11-02 14:00", "18:59"), shift("2026-11-03 02:59", hours=3)]
    assert severity(person(shifts), "short_rest") is None


def test_rest_after_a_duty_across_midnight_and_after_a_night_duty_is_judged() -> None:
    across = [shift("2026-11-02 21:00", "00:30"), shift("2026-11-03 09:00", hours=3)]  # 8.5 h
    night = [shift("2026-11-03 01:00", "06:00"), shift("2026-11-03 15:00", hours=3)]  # 9 h
    assert severity(person(across), "short_rest") == "warning"
    assert severity(person(night), "short_rest") == "warning"


def test_rest_is_measured_in_real_hours_across_clock_changes() -> None:
    # 10 h on the clock but 11 real in October; 11 h on the clock but 10 real in March
    autumn = [shift("2026-10-24 18:00", "23:00"), shift("2026-10-25 09:00", hours=3)]
    spring = [shift("2026-03-28 18:00", "23:00"), shift("2026-03-29 10:00", hours=3)]
    assert severity(person(autumn), "short_rest") is None
    (warning,) = of_rule(check(person(spring)), "short_rest")
    assert (warning.severity, warning.value) == ("warning", 10.0)
    assert warning.message == (
        "10 hours of rest between an evening duty ending 23:00 on Sat 28 Mar 2026 and "
        "the next duty at 10:00 on Sun 29 Mar 2026, below the warning level of 11 hours")


def test_quick_returns_in_a_row_are_one_episode_at_the_shortest_rest() -> None:
    shifts = [shift("2026-11-02 15:00", "22:00"), shift("2026-11-03 07:00", "12:00"),  # 9 h
              shift("2026-11-03 15:00", "23:00"), shift("2026-11-04 06:00", "10:00")]  # 7 h
    (warning,) = of_rule(check(person(shifts)), "short_rest")
    assert (warning.severity, warning.value) == ("critical", 7.0)
    assert len(warning.shift_refs) == 4


# consecutive_days: consecutive local dates on which a duty starts; warning ≥ 6, critical ≥ 7

@pytest.mark.parametrize(("days", "expected"), [(5, None), (6, "warning"), (7, "critical")])
def test_consecutive_days_levels(days: int, expected: str | None) -> None:
    assert severity(person(daily("2026-11-02", days, "09:00", "12:00")), "consecutive_days") == expected


def test_a_duty_across_midnight_counts_on_its_start_date_only() -> None:
    shifts = daily("2026-11-02", 5, "09:00", "12:00") + [shift("2026-11-07 22:00", "02:00")]
    (warning,) = of_rule(check(person(shifts)), "consecutive_days")
    assert (warning.severity, warning.value) == ("warning", 6.0)


def test_a_day_off_breaks_the_run() -> None:
    shifts = daily("2026-11-02", 4, "09:00", "12:00") + daily("2026-11-07", 4, "09:00", "12:00")
    assert severity(person(shifts), "consecutive_days") is None


# consecutive_nights: night duties on consecutive dates (warning ≥ 3, critical ≥ 4); > 4 in any 28 days

@pytest.mark.parametrize(("nights", "expected"), [(2, None), (3, "warning"), (4, "critical")])
def test_consecutive_nights_levels(nights: int, expected: str | None) -> None:
    assert severity(person(daily("2026-11-02", nights, "23:00", "06:00")), "consecutive_nights") == expected


def test_more_than_four_night_duties_in_28_days_is_a_warning() -> None:
    five = daily("2026-11-02", 5, "23:00", "06:00", step=2)
    (warning,) = of_rule(check(person(five)), "consecutive_nights")
    assert (warning.severity, warning.value, warning.threshold) == ("warning", 5.0, 4.0)
    assert warning.episode_key.startswith("count:")
    assert severity(person(five[:4]), "consecutive_nights") is None
    assert severity(person(daily("2026-11-02", 5, "23:00", "06:00", step=7)), "consecutive_nights") is None


def test_evenings_with_only_half_an_hour_after_23_00_are_not_night_duties() -> None:
    evenings = daily("2026-11-02", 4, "19:00", "23:30", role="Helpline", intensity=1.5)
    assert severity(person(evenings), "consecutive_nights") is None


# early_starts: consecutive dates with a duty starting before 07:00; warning ≥ 3

@pytest.mark.parametrize(("days", "start", "expected"), [
    (3, "06:59", "warning"),
    (2, "06:59", None),
    (3, "07:00", None),
])
def test_early_starts_levels(days: int, start: str, expected: str | None) -> None:
    assert severity(person(daily("2026-11-02", days, start, "10:00")), "early_starts") == expected


def test_early_start_message_names_the_dates() -> None:
    (warning,) = of_rule(check(person(daily("2026-10-30", 4, "05:30", "09:00"))), "early_starts")
    assert warning.message == ("Duties starting before 07:00 on 4 consecutive days, 30 Oct – 2 Nov 2026, "
                               "at or above the warning level of 3")
    assert warning.window_start.date() == date(2026, 10, 30)


# stand-by (on call) shifts are duties (DESIGN.md); only long_duty skips a duty that is all stand-by

def test_three_consecutive_nights_on_call_are_a_consecutive_nights_warning() -> None:
    nights = daily("2026-11-02", 3, "23:00", "07:00", role="Helpline on call", on_call=True)
    (warning,) = of_rule(check(person(nights)), "consecutive_nights")
    assert (warning.severity, warning.value, warning.threshold) == ("warning", 3.0, 3)
    assert warning.message.startswith("Night duties on 3 consecutive dates, 2–4 Nov 2026")
    assert len(warning.shift_refs) == 3


def test_a_fourth_night_on_call_is_critical() -> None:
    nights = daily("2026-11-02", 4, "23:00", "07:00", role="Helpline on call", on_call=True)
    assert severity(person(nights), "consecutive_nights") == "critical"


def test_helpline_evening_and_night_on_call_merge_into_one_stand_by_night() -> None:
    shifts = []
    for k in range(3):
        day = f"2026-11-0{2 + k}"
        shifts += [shift(f"{day} 18:00", "23:00", role="Helpline on call", on_call=True),
                   shift(f"{day} 23:00", "07:00", role="Helpline on call", on_call=True)]
    found = worst(check(person(shifts)))
    assert found["consecutive_nights"] == "warning"
    assert "long_duty" not in found  # 13 h stand-by duties are not judged for length


def test_a_14_hour_stretch_on_call_is_not_a_long_duty() -> None:
    stretch = shift("2026-11-02 18:00", "08:00", role="Helpline on call", on_call=True, intensity=1.5)
    assert of_rule(check(person(stretch)), "long_duty") == []


def test_a_worked_shift_joined_to_stand_by_is_judged_over_the_whole_duty() -> None:
    shifts = [shift("2026-11-02 14:00", "18:00"), shift("2026-11-02 18:00", "23:00", on_call=True)]
    (warning,) = of_rule(check(person(shifts)), "long_duty")
    assert (warning.severity, warning.value) == ("warning", 9.0)


def test_nights_on_call_count_as_days_of_duty_and_need_rest() -> None:
    on_call = daily("2026-11-02", 7, "18:00", "08:00", role="Helpline on call", on_call=True)
    found = worst(check(person(on_call, pledge=10)))
    assert found == {"weekly_load": "critical", "over_pledge": "critical", "short_rest": "warning",
                     "consecutive_days": "critical", "consecutive_nights": "critical"}


def test_rest_after_a_night_on_call_runs_to_the_next_duty() -> None:
    shifts = [shift("2026-11-02 22:00", "07:00", on_call=True), shift("2026-11-03 15:00", "19:00")]
    (warning,) = of_rule(check(person(shifts)), "short_rest")
    assert (warning.severity, warning.value, warning.details["reason"]) == ("warning", 8.0, "a night duty")
