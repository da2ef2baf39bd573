"""Duties, night time and weighted load hours, including the clock-change nights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from wellbeing_builders import LONDON, at, shift

from volunteers.wellbeing import ShiftSpan
from volunteers.wellbeing.domain.duties import merge_duties, shift_load


def duties_of(*spans: ShiftSpan) -> list:
    loads = sorted((shift_load(s, LONDON) for s in spans), key=lambda load: load.start_ts)
    return merge_duties(loads, LONDON)


def test_day_shift_weighs_its_intensity_per_hour() -> None:
    load = shift_load(shift("2026-11-02 09:00", "13:00", intensity=1.5), LONDON)
    assert (load.hours, load.night_hours, load.weighted, load.intense_hours) == (4.0, 0.0, 6.0, 4.0)


def test_minutes_after_23_00_count_one_and_a_half_times() -> None:
    load = shift_load(shift("2026-11-02 22:00", "00:00"), LONDON)
    assert load.night_hours == 1.0
    assert load.weighted == 2.5


def test_night_shift_across_clock_change_in_october_lasts_seven_hours() -> None:
    load = shift_load(shift("2026-10-25 00:00", "06:00"), LONDON)
    assert load.hours == 7.0
    assert load.night_hours == 7.0
    assert load.weighted == 10.5


def test_night_shift_across_clock_change_in_march_lasts_five_hours() -> None:
    load = shift_load(shift("2026-03-29 00:00", "06:00"), LONDON)
    assert load.hours == 5.0
    assert load.night_hours == 5.0
    assert load.weighted == 7.5


def test_whole_october_night_23_to_06_is_eight_real_hours() -> None:
    load = shift_load(shift("2026-10-24 23:00", "06:00"), LONDON)
    assert load.hours == load.night_hours == 8.0


def test_on_call_counts_a_quarter_per_hour_whatever_its_intensity_or_time() -> None:
    load = shift_load(shift("2026-11-02 22:00", "08:00", intensity=2.0, on_call=True), LONDON)
    assert load.hours == 10.0
    assert load.weighted == 2.5
    assert load.intense_hours == 0.0


def test_hours_count_on_the_local_start_date() -> None:
    load = shift_load(shift("2026-11-02 23:30", "02:00"), LONDON)
    assert load.day == at("2026-11-02 12:00").toordinal()


def test_shifts_59_minutes_apart_are_one_duty() -> None:
    (duty,) = duties_of(shift("2026-11-02 09:00", "12:00"), shift("2026-11-02 12:59", "15:00"))
    assert duty.hours == 6.0
    assert len(duty.shifts) == 2


def test_shifts_60_minutes_apart_are_two_duties() -> None:
    assert len(duties_of(shift("2026-11-02 09:00", "12:00"), shift("2026-11-02 13:00", "15:00"))) == 2


def test_overlapping_shifts_merge_and_their_night_counts_once() -> None:
    (duty,) = duties_of(shift("2026-11-02 22:00", "04:00"),
                        shift("2026-11-03 01:00", "05:00", role="Helpline"))
    assert duty.hours == 7.0
    assert duty.night_hours == 6.0
    assert duty.roles == {"Shop counter", "Helpline"}


def test_night_duty_needs_three_hours_between_23_and_06() -> None:
    (short,) = duties_of(ShiftSpan(at("2026-11-02 20:00"), at("2026-11-03 01:59"), "Helpline"))
    (enough,) = duties_of(ShiftSpan(at("2026-11-02 20:00"), at("2026-11-03 02:00"), "Helpline"))
    assert short.night_hours == pytest.approx(2 + 59 / 60)
    assert not short.is_night
    assert enough.is_night


def test_early_morning_night_time_counts_towards_a_night_duty() -> None:
    (duty,) = duties_of(shift("2026-11-03 03:00", "09:00"))
    assert duty.night_hours == 3.0 and duty.is_night


def test_a_night_on_call_is_a_stand_by_night_duty() -> None:
    (duty,) = duties_of(shift("2026-11-02 23:00", "07:00", on_call=True, intensity=1.5))
    assert duty.stand_by and duty.is_night and duty.needs_rest
    assert (duty.hours, duty.night_hours) == (8.0, 7.0)


def test_stand_by_merges_with_the_worked_shifts_around_it() -> None:
    (duty,) = duties_of(shift("2026-11-02 14:00", "18:00"), shift("2026-11-02 18:00", "08:00", on_call=True),
                        shift("2026-11-03 08:00", "12:00"))
    assert (duty.hours, len(duty.shifts), duty.stand_by) == (22.0, 3, False)


def test_a_duty_of_on_call_shifts_only_is_stand_by() -> None:
    (duty,) = duties_of(shift("2026-11-02 18:00", "23:00", on_call=True),
                        shift("2026-11-02 23:00", "07:00", on_call=True))
    assert duty.stand_by and duty.hours == 13.0 and duty.is_night


def test_a_mixed_duty_takes_its_intensity_from_its_worked_shifts() -> None:
    (duty,) = duties_of(shift("2026-11-02 18:00", "22:00", on_call=True, intensity=2.0),
                        shift("2026-11-02 22:00", "23:00", intensity=1.2))
    assert (duty.hours, duty.intensity, len(duty.shifts), duty.stand_by) == (5.0, 1.2, 2, False)


def test_stand_by_still_weighs_a_quarter_per_hour_in_a_duty() -> None:
    loads = [shift_load(s, LONDON) for s in (shift("2026-11-02 18:00", "23:00", on_call=True),
                                               shift("2026-11-02 23:00", "07:00", on_call=True))]
    assert sum(load.weighted for load in loads) == pytest.approx(13 * 0.25)


@pytest.mark.parametrize(("start", "end", "needs_rest"), [
    ("2026-11-02 14:00", "18:59", False),
    ("2026-11-02 14:00", "19:00", True),
    ("2026-11-02 21:00", "00:00", True),  # ends on the next date
    ("2026-11-02 03:00", "06:00", True),  # a night duty
    ("2026-11-02 04:00", "06:30", False),  # 2 h of night only
])
def test_rest_is_judged_after_evening_midnight_and_night_duties(start: str, end: str,
                                                                needs_rest: bool) -> None:
    (duty,) = duties_of(shift(start, end))
    assert duty.needs_rest is needs_rest


def test_a_shift_must_be_aware_and_end_after_it_starts() -> None:
    start = at("2026-11-02 09:00")
    with pytest.raises(ValueError, match="aware"):
        ShiftSpan(start.replace(tzinfo=None), start.replace(tzinfo=None) + timedelta(hours=1), "Shop")
    with pytest.raises(ValueError, match="not after"):
        ShiftSpan(start, start, "Shop")
    with pytest.raises(ValueError, match="intensity"):
        ShiftSpan(start, start + timedelta(hours=1), "Shop", intensity=-1)


def test_a_shift_is_labelled_by_its_ref_or_its_start() -> None:
    assert shift("2026-11-02 09:00", "10:00", ref="s-1").label == "s-1"
    assert shift("2026-11-02 09:00", "10:00").label == "2026-11-02T09:00:00+00:00"
