"""When a person must be judged again with no change to their schedule, and schedules read in part.

The nightly scan reads only recent shifts and judges only the people
:func:`next_judgement` says are due; these tests pin both halves: a cut
schedule (``complete_since``, ``first_shift_on``, ``first_intense_on``) is
judged as the whole record would be, and nothing a person is found to have
changes before their recheck.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from wellbeing_builders import LONDON, at, daily, person, severity, shift

from volunteers.wellbeing import Policy, evaluate_volunteer
from volunteers.wellbeing.domain.model import VolunteerSchedule
from volunteers.wellbeing.domain.next_judgement import history_start, next_judgement, supervision_onset

HISTORY, REPORT = timedelta(days=63), timedelta(days=28)
POLICY = Policy.from_overrides({})


def _spike_schedule(spike_day: int, **history: object) -> VolunteerSchedule:
    first = date(2026, 9, 7)
    regular = [shift(f"{(first + timedelta(days=7 * k)).isoformat()} 09:00", "11:00") for k in range(4)]
    spike = [shift(f"{(first + timedelta(days=spike_day)).isoformat()} 09:00", hours=4.5) for _ in range(2)]
    return replace(person(regular, spike), **history)


def test_a_spike_counts_history_on_record_once_the_days_read_cover_its_baseline() -> None:
    # Shifts read from Sun 6 Sep; the person's first shift on record was in June.
    assert severity(_spike_schedule(28), "load_spike") is None  # 34 days after the first shift
    on_record = {"first_shift_on": date(2026, 6, 1)}
    assert severity(_spike_schedule(28, complete_since=date(2026, 9, 6), **on_record), "load_spike") == "warning"
    # read from the first shift's own date: the window ending on day 34 lacks a day of its baseline
    assert severity(_spike_schedule(28, complete_since=date(2026, 9, 7), **on_record), "load_spike") is None
    # read from earlier but with no earlier record: 35 days after the first shift still apply
    assert severity(_spike_schedule(28, complete_since=date(2026, 8, 1)), "load_spike") is None
    assert severity(_spike_schedule(29, complete_since=date(2026, 8, 1)), "load_spike") == "warning"


def test_never_supervised_counts_from_the_first_intense_shift_on_record() -> None:
    recent = shift("2026-11-20 18:00", "21:00", role="Helpline", intensity=1.5)
    as_of = "2026-11-25 12:00"
    assert severity(person(recent), "supervision_due", as_of=as_of) is None  # 5 days since the only one read
    on_record = replace(person(recent), first_intense_on=date(2026, 8, 1))  # 116 days
    assert severity(on_record, "supervision_due", as_of=as_of) == "critical"


def test_nothing_changes_with_the_clock_for_a_healthy_day_volunteer() -> None:
    steady = person(daily("2026-10-05", 8, "09:00", "12:00", step=7), pledge=3)
    assert next_judgement(steady, [], at("2026-11-02 12:00"), LONDON, POLICY, history=HISTORY) is None


def test_a_prospective_warning_knows_when_its_last_shift_starts_and_needs_no_judging_for_it() -> None:
    nights = [replace(s, ref=f"n{k}") for k, s in enumerate(daily("2026-11-01", 4, "23:00", "07:00", role="Helpline"))]
    schedule = person(nights)
    as_of = at("2026-11-02 12:00")  # one night worked, three planned
    found = evaluate_volunteer(schedule, as_of, LONDON, POLICY)
    assert found and all(w.prospective and w.last_start == at("2026-11-04 23:00") for w in found)
    due = next_judgement(schedule, found, as_of, LONDON, POLICY, history=HISTORY)
    assert due is None or due > at("2026-11-04 23:00")


def test_a_long_episode_is_due_when_the_weekly_history_move_reaches_it() -> None:
    driver = person(daily("2026-08-03", 100, "08:00", "17:00"), pledge=6)  # nine hours every day
    as_of = at("2026-11-02 12:00")
    found = [w for w in evaluate_volunteer(driver, as_of, LONDON, POLICY) if w.episode_end >= as_of - REPORT]
    assert any(w.rule == "over_pledge" for w in found)
    assert next_judgement(driver, found, as_of, LONDON, POLICY, history=HISTORY) == at("2026-11-08 00:00")


def test_an_open_supervision_warning_is_due_every_local_midnight() -> None:
    counsellor = person(shift("2026-10-30 18:00", "21:00", role="Helpline", intensity=1.5), supervised="2026-08-01")
    as_of = at("2026-11-02 12:00")
    found = [w for w in evaluate_volunteer(counsellor, as_of, LONDON, POLICY) if w.rule == "supervision_due"]
    assert found
    assert next_judgement(counsellor, found, as_of, LONDON, POLICY, history=HISTORY) == at(
        "2026-11-03 00:00")


def test_supervision_onset_is_no_later_than_the_first_day_it_fires() -> None:
    weekly = daily("2026-09-02", 16, "18:00", "21:00", step=7, role="Helpline", intensity=1.5)
    counsellor = person(weekly, supervised="2026-09-01")
    as_of = at("2026-09-10 12:00")
    onset = supervision_onset(counsellor, as_of, LONDON, POLICY)
    assert onset is not None and onset <= at("2026-11-02 00:00")  # 62 days after 1 Sep
    assert severity(counsellor, "supervision_due", as_of="2026-11-01 23:59") is None
    assert severity(counsellor, "supervision_due", as_of="2026-11-02 00:00") == "warning"
    # intense work that stopped long before the threshold: never
    early = person(daily("2026-09-02", 2, "18:00", "21:00", step=7, role="Helpline", intensity=1.5),
                   supervised="2026-09-01")
    assert supervision_onset(early, as_of, LONDON, POLICY) is None


# -- the property the nightly scan rests on ----------------------------------------------------------------

def _as_scanned(record: VolunteerSchedule, now: datetime) -> VolunteerSchedule:
    """Return ``record`` as the scan reads it at ``now``: shifts from 63 days back, earlier ones summed up."""
    since = history_start(now, LONDON, HISTORY)
    kept = tuple(s for s in record.shifts if s.start >= since)
    earlier = [s for s in record.shifts if s.start < since]
    intense = [s for s in earlier if s.is_intense]
    return replace(record, shifts=kept, complete_since=since.astimezone(LONDON).date(),
                   first_shift_on=min(s.start for s in earlier).astimezone(LONDON).date() if earlier else None,
                   first_intense_on=min(s.start for s in intense).astimezone(LONDON).date() if intense else None)


def _reported(record: VolunteerSchedule, now: datetime) -> list:
    return [w for w in evaluate_volunteer(_as_scanned(record, now), now, LONDON, POLICY)
            if w.episode_end >= now - REPORT]


_ROLES = [("Shop counter", 1.0, False), ("Helpline", 1.5, False), ("Helpline on call", 1.5, True)]


@st.composite
def _records(draw: st.DrawFn) -> VolunteerSchedule:
    shifts = []
    for k in range(draw(st.integers(0, 40))):
        day = draw(st.integers(0, 150))
        start = draw(st.sampled_from(["06:00", "09:00", "13:00", "18:00", "22:00", "23:00"]))
        hours = draw(st.sampled_from([2.0, 3.0, 4.0, 6.5, 9.0, 13.0]))
        role, intensity, on_call = draw(st.sampled_from(_ROLES))
        begin = datetime.combine(date(2026, 7, 1) + timedelta(days=day), datetime.strptime(start, "%H:%M").time(),
                                 tzinfo=LONDON)
        shifts.append(replace(shift(begin.strftime("%Y-%m-%d %H:%M"), hours=hours, role=role, intensity=intensity,
                                    on_call=on_call), ref=f"s{k}"))
    supervised = draw(st.one_of(st.none(), st.integers(0, 150)))
    return replace(person(sorted(shifts, key=lambda s: s.start), pledge=draw(st.sampled_from([None, 3.0, 6.0]))),
                   last_supervised_on=date(2026, 7, 1) + timedelta(days=supervised) if supervised is not None
                   else None)


@settings(max_examples=150, deadline=None)
@given(record=_records(), start=st.integers(40, 150), later=st.floats(0.0, 1.0))
def test_nothing_reported_changes_before_the_recheck_but_what_settles_without_judging(
        record: VolunteerSchedule, start: int, later: float) -> None:
    now = datetime.combine(date(2026, 7, 1) + timedelta(days=start), datetime.min.time(),
                           tzinfo=LONDON) + timedelta(hours=2, minutes=15)
    found = _reported(record, now)
    due = next_judgement(_as_scanned(record, now), found, now, LONDON, POLICY, history=HISTORY)
    horizon = due if due is not None else now + timedelta(days=60)
    if horizon <= now:
        return
    moment = now + (horizon - now) * later
    if moment >= horizon:
        return
    # what the nightly scan stores at ``moment`` without judging: found at ``now``, aged, flags settled
    settled = [replace(w, prospective=w.last_start is not None and w.last_start >= moment)
               for w in found if w.episode_end >= moment - REPORT]
    assert [w.to_dict() for w in _reported(record, moment)] == [w.to_dict() for w in settled]
