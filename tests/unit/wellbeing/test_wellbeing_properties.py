"""Properties of the rules over generated schedules (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from wellbeing_builders import LONDON, UTC, worst

from volunteers.wellbeing import Policy, ShiftSpan, VolunteerSchedule, evaluate_volunteer, severity_rank

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAYS = 70


def spans(base: datetime, tz: ZoneInfo) -> st.SearchStrategy[ShiftSpan]:
    """Shifts within ``DAYS`` of ``base``, 15-minute aligned, 30 min to 14 h long."""
    def build(start_quarter: int, quarters: int, role: str, intensity: float, on_call: bool) -> ShiftSpan:
        start = datetime.fromtimestamp(base.timestamp() + start_quarter * 900, tz)
        return ShiftSpan(start=start, end=start + timedelta(minutes=15 * quarters), role=role,
                         intensity=intensity, on_call=on_call)
    # Half the shifts fall in one busy fortnight, so runs of days and nights happen often.
    starts = st.one_of(st.integers(0, DAYS * 96), st.integers(20 * 96, 34 * 96))
    return st.builds(build, starts, st.integers(2, 56),
                     st.sampled_from(["Shop counter", "Helpline", "Ward visit"]),
                     st.sampled_from([1.0, 1.0, 1.5, 2.0]), st.booleans())


def runs(base: datetime, tz: ZoneInfo) -> st.SearchStrategy[list[ShiftSpan]]:
    """The same shift on 1–8 consecutive dates (local wall clock): rotas come in runs."""
    def build(day: int, count: int, start_quarter: int, quarters: int, intensity: float) -> list[ShiftSpan]:
        first = base.replace(tzinfo=None) + timedelta(days=day, minutes=15 * start_quarter)
        return [ShiftSpan(start=(first + timedelta(days=k)).replace(tzinfo=tz),
                          end=(first + timedelta(days=k, minutes=15 * quarters)).replace(tzinfo=tz),
                          role="Helpline", intensity=intensity) for k in range(count)]
    return st.builds(build, st.integers(0, DAYS - 8), st.integers(1, 8), st.integers(0, 95),
                     st.integers(2, 40), st.sampled_from([1.0, 1.5]))


def schedules(base: datetime, tz: ZoneInfo) -> st.SearchStrategy[VolunteerSchedule]:
    def build(singles: list[ShiftSpan], patterns: list[list[ShiftSpan]], pledge: float | None,
              supervised: date | None) -> VolunteerSchedule:
        return VolunteerSchedule("v", pledge, (*singles, *(s for run in patterns for s in run)), supervised)
    return st.builds(
        build, st.lists(spans(base, tz), max_size=20), st.lists(runs(base, tz), max_size=3),
        st.sampled_from([None, 2.0, 6.0]),
        st.one_of(st.none(), st.dates(min_value=base.date() - timedelta(days=60),
                                      max_value=base.date() + timedelta(days=DAYS))))


def highest(schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo) -> dict[str, int]:
    found = worst(evaluate_volunteer(schedule, as_of, tz, Policy()))
    return {rule: severity_rank(severity) for rule, severity in found.items()}


def separate(new: ShiftSpan, shifts: tuple[ShiftSpan, ...]) -> bool:
    """Return whether ``new`` is at least an hour away from every shift: a duty of its own."""
    hour = timedelta(hours=1)
    return all(new.start >= s.end + hour or new.end + hour <= s.start for s in shifts)


BASE = datetime(2026, 9, 1, 0, 0, tzinfo=LONDON)


@FAST
@given(schedule=schedules(BASE, LONDON), extra=spans(BASE, LONDON), as_of_day=st.integers(0, DAYS))
def test_adding_a_shift_never_lowers_a_rules_highest_severity(schedule: VolunteerSchedule, extra: ShiftSpan,
                                                              as_of_day: int) -> None:
    """Holds for every rule but load_spike, whose chronic baseline rises with added hours.

    An added worked shift forms a duty of its own: a shift that joins two
    duties into one removes a rest or a duty start (that duty is then judged
    by long_duty instead), see the test below. Stand-by shifts are duties
    too, so the same holds for them.
    """
    assume(separate(extra, schedule.shifts))
    as_of = BASE + timedelta(days=as_of_day, hours=12)
    before = highest(schedule, as_of, LONDON)
    after = highest(VolunteerSchedule("v", schedule.pledged_hours_per_week, (*schedule.shifts, extra),
                                      schedule.last_supervised_on), as_of, LONDON)
    for rule, rank in before.items():
        if rule != "load_spike":
            assert after.get(rule, -1) >= rank, rule


def test_a_shift_bridging_two_duties_turns_a_short_rest_into_a_long_duty() -> None:
    evening = ShiftSpan(BASE.replace(day=2, hour=18), BASE.replace(day=2, hour=23), "Café")
    morning = ShiftSpan(BASE.replace(day=3, hour=6), BASE.replace(day=3, hour=10), "Café")
    bridge = ShiftSpan(BASE.replace(day=2, hour=23, minute=30), BASE.replace(day=3, hour=5, minute=30),
                       "Café")
    as_of = BASE.replace(month=12)
    assert highest(VolunteerSchedule("v", None, (evening, morning)), as_of, LONDON) == {"short_rest": 2}
    assert highest(VolunteerSchedule("v", None, (evening, morning, bridge)), as_of, LONDON)["long_duty"] == 2


def comparable(schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo,
               shift_by: timedelta) -> list[tuple]:
    return sorted((w.rule, w.severity, w.value, w.threshold, w.prospective,
                   (w.window_start + shift_by).timestamp(), (w.window_end + shift_by).timestamp(),
                   len(w.shift_refs))
                  for w in evaluate_volunteer(schedule, as_of, tz, Policy()))


def moved(schedule: VolunteerSchedule, by: timedelta) -> VolunteerSchedule:
    shifts = tuple(ShiftSpan(s.start + by, s.end + by, s.role, s.intensity, s.on_call)
                   for s in schedule.shifts)
    supervised = schedule.last_supervised_on + by if schedule.last_supervised_on else None
    return VolunteerSchedule(schedule.id, schedule.pledged_hours_per_week, shifts, supervised)


UTC_BASE = datetime(2026, 1, 5, tzinfo=UTC)
SUMMER_BASE = datetime(2026, 4, 6, tzinfo=LONDON)  # + 70 + 7 days stays within British Summer Time


@FAST
@given(schedule=schedules(UTC_BASE, UTC), as_of_day=st.integers(0, DAYS))
def test_moving_a_whole_timeline_by_a_week_changes_nothing_in_utc(schedule: VolunteerSchedule,
                                                                  as_of_day: int) -> None:
    week = timedelta(days=7)
    as_of = UTC_BASE + timedelta(days=as_of_day, hours=12)
    assert comparable(moved(schedule, week), as_of + week, UTC, timedelta(0)) == comparable(
        schedule, as_of, UTC, week)


@FAST
@given(schedule=schedules(SUMMER_BASE, LONDON), as_of_day=st.integers(0, DAYS))
def test_moving_a_whole_timeline_by_a_week_changes_nothing_in_a_london_summer(schedule: VolunteerSchedule,
                                                                             as_of_day: int) -> None:
    week = timedelta(days=7)
    as_of = SUMMER_BASE + timedelta(days=as_of_day, hours=12)
    assert comparable(moved(schedule, week), as_of + week, LONDON, timedelta(0)) == comparable(
        schedule, as_of, LONDON, week)


@FAST
@given(schedule=schedules(BASE, LONDON))
def test_every_warning_is_well_formed(schedule: VolunteerSchedule) -> None:
    as_of = BASE + timedelta(days=40)
    refs = {s.label for s in schedule.shifts}
    for warning in evaluate_volunteer(schedule, as_of, LONDON, Policy()):
        assert warning.window_start <= warning.window_end
        assert warning.episode_start <= warning.window_start and warning.window_end <= warning.episode_end
        assert set(warning.shift_refs) <= refs and warning.shift_refs
        assert set(s.label for s in warning.shifts) <= set(warning.shift_refs)
        assert warning.prospective == any(s.start >= as_of for s in schedule.shifts
                                          if s.label in warning.shift_refs)
        assert warning.to_dict()["value"] == round(warning.value, 2)
