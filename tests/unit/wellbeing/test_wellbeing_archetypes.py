"""Whole schedules that coordinators recognise, and the warnings each should (and should not) raise."""

from __future__ import annotations

from datetime import date, timedelta

from wellbeing_builders import check, daily, person, shift, worst

from volunteers.wellbeing import ShiftSpan

AS_OF = "2027-03-01 12:00"


def test_steady_shop_volunteer_raises_nothing() -> None:
    thursdays = daily("2026-06-04", 30, "14:00", "17:00", step=7)
    assert check(person(thursdays, pledge=3), as_of=AS_OF) == []


def test_healthy_high_capacity_volunteer_with_a_14_hour_pledge_raises_nothing() -> None:
    shifts: list[ShiftSpan] = []
    for offset in (0, 2, 4):  # Mon, Wed, Fri 09:00–13:00
        shifts += daily((date(2026, 6, 1) + timedelta(days=offset)).isoformat(), 26, "09:00", "13:00", step=7)
    shifts += daily("2026-06-06", 26, "10:00", "12:00", step=7)  # Sat 10:00–12:00
    assert check(person(shifts, pledge=14), as_of=AS_OF) == []


def test_holiday_spike_is_a_heavy_week_and_a_spike() -> None:
    wednesdays = daily("2026-06-03", 9, "10:00", "13:00", step=7)
    holiday_club = daily("2026-08-03", 5, "09:00", "15:00")  # Mon–Fri, 30 h
    found = worst(check(person(wednesdays, holiday_club, pledge=3), as_of=AS_OF))
    assert found == {"weekly_load": "critical", "over_pledge": "critical", "load_spike": "warning"}


def test_gradual_creep_goes_over_the_pledge_without_a_spike() -> None:
    shifts = []
    for week in range(9):  # 4 h a week rising by 1 h a week to 12 h, on Tue and Fri
        monday = date(2026, 6, 1) + timedelta(weeks=week)
        half = (4 + week) / 2
        shifts += [shift(f"{monday + timedelta(days=1)} 09:00", hours=half),
                   shift(f"{monday + timedelta(days=4)} 09:00", hours=half)]
    found = worst(check(person(shifts, pledge=4), as_of=AS_OF))
    assert found == {"over_pledge": "critical"}


def test_quick_return_from_closing_to_opening() -> None:
    shifts = [shift("2026-11-06 17:00", "22:00", role="Café"),
              shift("2026-11-07 07:00", "11:00", role="Café")]
    assert worst(check(person(shifts), as_of=AS_OF)) == {"short_rest": "warning"}


def test_night_run_on_the_helpline() -> None:
    nights = daily("2026-11-02", 4, "23:00", "07:00", role="Helpline", intensity=1.5)
    found = worst(check(person(nights, supervised="2026-10-20"), as_of=AS_OF))
    assert found["consecutive_nights"] == "critical"
    assert found["weekly_load"] == "critical"  # 4 × 1.5 × (8 + 0.5 × 7) = 69 WLH
    assert found["long_duty"] == "warning"  # 8 h intense: above 4.5, not above 8
    assert "short_rest" not in found  # 16 h between nights


def test_early_starts_on_the_post_office_sorting_rota() -> None:
    sorting = daily("2026-11-02", 3, "06:00", "09:00", role="Post Office counter")
    assert worst(check(person(sorting), as_of=AS_OF)) == {"early_starts": "warning"}


def test_supervision_lapse_of_a_peer_counsellor() -> None:
    ward_visits = daily("2027-01-05", 8, "10:00", "13:00", step=7, role="Hospital ward visit", intensity=1.5)
    found = check(person(ward_visits, supervised="2026-11-20"), as_of=AS_OF)
    assert worst(found) == {"supervision_due": "critical"}
    (lapse,) = found
    assert lapse.value == 101.0
    assert lapse.message.startswith("101 days since supervision on 20 Nov 2026")
