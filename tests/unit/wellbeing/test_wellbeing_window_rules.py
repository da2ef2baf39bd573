"""Window rules at their boundaries: over_pledge, weekly_load, intense_hours, load_spike, supervision_due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from wellbeing_builders import check, daily, of_rule, person, severity, shift

from volunteers.wellbeing import ShiftSpan


def week_of_days(hours: list[float], first: str = "2026-11-02", **kwargs: object) -> list[ShiftSpan]:
    """Return one daytime shift a day from ``first`` with the given real hours."""
    day = date.fromisoformat(first)
    return [shift(f"{day + timedelta(days=k)} 08:00", hours=h, **kwargs)
            for k, h in enumerate(hours) if h]


# weekly_load: WLH in any 7 days, warning > 15, critical > 24

@pytest.mark.parametrize(("hours", "expected"), [
    ([5, 5, 5], None),
    ([5, 5, 5.01], "warning"),
    ([6, 6, 6, 6], "warning"),
    ([6, 6, 6, 6.01], "critical"),
])
def test_weekly_load_levels_are_strictly_above_15_and_24(hours: list[float], expected: str | None) -> None:
    assert severity(person(week_of_days(hours)), "weekly_load") == expected


def test_weekly_load_windows_are_any_seven_local_dates_not_calendar_weeks() -> None:
    # Thu–Wed: no Monday-based week holds more than 10 h, one 7-day window holds 20.
    shifts = week_of_days([5, 5, 0, 0, 5, 5], first="2026-11-05")
    (warning,) = of_rule(check(person(shifts)), "weekly_load")
    assert warning.value == 20.0
    assert warning.message == "20 weighted hours in the 7 days 5–11 Nov 2026, above the warning level of 15"


def test_weekly_load_counts_night_minutes_one_and_a_half_times() -> None:
    nights = daily("2026-11-02", 2, "23:00", "06:00")  # 2 × 7 h × 1.5 = 21
    (warning,) = of_rule(check(person(nights)), "weekly_load")
    assert warning.value == 21.0


def test_weekly_load_counts_stand_by_at_a_quarter() -> None:
    on_call = daily("2026-11-02", 7, "18:00", "08:00", on_call=True, intensity=1.5)  # 7 × 14 h × 0.25 = 24.5
    (warning,) = of_rule(check(person(on_call)), "weekly_load")
    assert (warning.severity, warning.value) == ("critical", 24.5)


def test_clock_change_night_weighs_its_real_seven_hours() -> None:
    shifts = [shift("2026-10-25 00:00", "06:00"), shift("2026-10-26 09:00", hours=4.51)]  # 10.5 + 4.51
    (warning,) = of_rule(check(person(shifts)), "weekly_load")
    assert warning.value == 15.01


def test_weekly_load_episode_is_one_warning_at_its_worst_window() -> None:
    shifts = week_of_days([4] * 14, first="2026-11-02")  # 28 h in every full week for two weeks
    warnings = of_rule(check(person(shifts)), "weekly_load")
    assert len(warnings) == 1
    assert (warnings[0].severity, warnings[0].value) == ("critical", 28.0)
    assert warnings[0].window_start.date() == date(2026, 11, 2)


def test_separate_heavy_weeks_are_separate_episodes() -> None:
    shifts = week_of_days([8, 8], first="2026-11-02") + week_of_days([8, 8], first="2026-11-23")
    warnings = of_rule(check(person(shifts)), "weekly_load")
    assert [w.window_start.date() for w in warnings] == [date(2026, 11, 2), date(2026, 11, 23)]
    assert len({w.episode_key for w in warnings}) == 2


# over_pledge: raw hours in any 28 days ÷ (4 × pledge)

@pytest.mark.parametrize(("hours", "pledge", "expected"), [
    ([3.75] * 4, 3, None),  # 15 / 12 = 1.25
    ([3.75, 3.75, 3.75, 3.76], 3, "notice"),
    ([4.5] * 4, 3, "notice"),  # 1.5
    ([4.5, 4.5, 4.5, 4.51], 3, "warning"),
    ([6] * 4, 3, "warning"),  # 2.0
    ([6, 6, 6, 6.01], 3, "critical"),
    ([5.9], 1, None),  # ratio 1.475 but only 1.9 h over the pledge
    ([6.0], 1, "notice"),  # 2 h over: judged; 1.5 is not above 1.5
    ([40], None, None),  # no pledge
    ([40], 0, None),
])
def test_over_pledge_levels_and_the_two_hour_rule(hours: list[float], pledge: float | None,
                                                   expected: str | None) -> None:
    day = date(2026, 11, 2)
    shifts = [shift(f"{day + timedelta(days=7 * k)} 09:00", hours=h) for k, h in enumerate(hours)]
    assert severity(person(shifts, pledge=pledge), "over_pledge") == expected


def test_over_pledge_message_gives_the_hours_the_pledge_and_the_window() -> None:
    day = date(2026, 11, 2)
    shifts = [shift(f"{(day + timedelta(days=7 * k)).isoformat()} 09:00", hours=5) for k in range(4)]
    (warning,) = of_rule(check(person(shifts, pledge=3)), "over_pledge")
    assert warning.value == 1.67
    assert warning.details["hours"] == 20.0
    assert "20 hours in the 28 days 2–29 Nov 2026 against a pledge of 12 (3 a week)" in warning.message
    assert warning.message.endswith("above the warning level of 1.5")


# intense_hours: hours of shifts with intensity > 1.0, not on call, in any 7 days

@pytest.mark.parametrize(("hours", "kwargs", "expected"), [
    ([4, 4], {"intensity": 1.5}, None),
    ([4, 4.01], {"intensity": 1.5}, "warning"),
    ([4, 4, 4], {"intensity": 1.5}, "warning"),
    ([4, 4, 4.01], {"intensity": 1.5}, "critical"),
    ([4, 4, 4.01], {"intensity": 1.0}, None),
    ([4, 4, 4.01], {"intensity": 1.01}, "critical"),
    ([4, 4, 4.01], {"intensity": 2.0, "on_call": True}, None),
])
def test_intense_hours_levels(hours: list[float], kwargs: dict, expected: str | None) -> None:
    assert severity(person(week_of_days(hours, role="Helpline", **kwargs)), "intense_hours") == expected


# load_spike: acute 7-day WLH against the mean weekly WLH of the 28 days before

def steady_then_spike(spike_hours: float) -> list[ShiftSpan]:
    """Mon and Thu 4 h for six weeks from Mon 7 Sep 2026 (8 a week), then ``spike_hours`` on Mon 19 Oct."""
    mondays = daily("2026-09-07", 6, "09:00", "13:00", step=7)
    regular = mondays + daily("2026-09-10", 6, "09:00", "13:00", step=7)
    spike = []
    start, left = date(2026, 10, 19), spike_hours
    while left > 0:  # 5-hour daytime pieces on consecutive days
        hours = min(5.0, left)
        spike.append(shift(f"{start.isoformat()} 09:00", hours=hours))
        start += timedelta(days=1)
        left -= hours
    return regular + spike


@pytest.mark.parametrize(("spike", "expected"), [
    (8.0, None),  # (8 + 4) / 8 = 1.5
    (8.01, "notice"),
    (12.0, "notice"),  # 2.0
    (12.01, "warning"),
    (76.0, "warning"),  # ten times: still never critical
])
def test_load_spike_levels_and_never_critical(spike: float, expected: str | None) -> None:
    assert severity(person(steady_then_spike(spike)), "load_spike") == expected


def test_load_spike_needs_35_days_after_the_first_shift() -> None:
    first = date(2026, 9, 7)
    regular = [shift(f"{(first + timedelta(days=7 * k)).isoformat()} 09:00", "11:00") for k in range(4)]

    def spike_on(offset: int) -> list[ShiftSpan]:
        return [shift(f"{(first + timedelta(days=offset)).isoformat()} 09:00", hours=4.5) for _ in range(2)]

    # A spike on day 28 is last seen by the window ending on day 34; on day 29, by the one ending on day 35.
    assert severity(person(regular, spike_on(28)), "load_spike") is None
    assert severity(person(regular, spike_on(29)), "load_spike") == "warning"


def test_load_spike_needs_chronic_of_an_hour_and_a_rise_of_four() -> None:
    first = date(2026, 9, 7)

    def weekly(hours: float) -> list[ShiftSpan]:
        return [shift(f"{(first + timedelta(days=7 * k)).isoformat()} 09:00", hours=hours) for k in range(5)]

    def spike(hours: float) -> ShiftSpan:
        return shift(f"{(first + timedelta(days=38)).isoformat()} 09:00", hours=hours)

    # weekly shifts on days 0–28, spike on day 38: the window ending on day 38 has 4 of them as chronic
    # chronic 0.75 a week: silent whatever the spike
    assert severity(person(weekly(0.75), spike(9)), "load_spike") is None
    # chronic 1.0: a rise of 3.99 h is not enough, 4.0 is (and 5 / 1 is far above 2)
    assert severity(person(weekly(1.0), spike(4.99)), "load_spike") is None
    assert severity(person(weekly(1.0), spike(5.0)), "load_spike") == "warning"


def test_steady_load_raises_no_spike() -> None:
    assert severity(person(daily("2026-09-07", 20, "09:00", "13:00", step=7)), "load_spike") is None


# supervision_due: days since last supervision, for people with intense shifts in the 28 days before as_of

AS_OF = "2026-11-25 12:00"


@pytest.mark.parametrize(("supervised", "expected"), [
    ("2026-09-25", None),  # 61 days
    ("2026-09-24", "warning"),  # 62
    ("2026-08-25", "warning"),  # 92
    ("2026-08-24", "critical"),  # 93
])
def test_supervision_due_levels(supervised: str, expected: str | None) -> None:
    counsellor = person(shift("2026-11-20 18:00", "21:00", role="Helpline", intensity=1.5),
                        supervised=supervised)
    assert severity(counsellor, "supervision_due", as_of=AS_OF) == expected


@pytest.mark.parametrize(("start", "kwargs", "expected"), [
    ("2026-10-28 12:00", {"intensity": 1.5}, "critical"),  # exactly 28 days before as_of
    ("2026-10-28 11:59", {"intensity": 1.5}, None),
    ("2026-11-20 18:00", {"intensity": 1.0}, None),  # not intense
    ("2026-11-20 18:00", {"intensity": 1.5, "on_call": True}, None),  # stand-by is not intense
    ("2026-11-25 18:00", {"intensity": 1.5}, None),  # planned: not yet worked
])
def test_supervision_due_needs_intense_work_in_the_last_28_days(start: str, kwargs: dict,
                                                                 expected: str | None) -> None:
    counsellor = person(shift(start, hours=3, role="Helpline", **kwargs), supervised="2026-06-01")
    assert severity(counsellor, "supervision_due", as_of=AS_OF) == expected


def test_never_supervised_counts_from_the_first_intense_shift() -> None:
    counsellor = person(shift("2026-09-01 18:00", "21:00", role="Helpline", intensity=1.5),
                        shift("2026-11-20 18:00", "21:00", role="Helpline", intensity=1.5))
    (warning,) = of_rule(check(counsellor, as_of=AS_OF), "supervision_due")
    assert (warning.severity, warning.value) == ("warning", 85.0)
    assert "no supervision recorded" in warning.message
    assert warning.prospective is False
