"""A focus (judging only around some shifts or times) keeps exactly what the whole judgement has there.

Random schedules (test_wellbeing_properties' strategies: runs of days and
nights, on-call and intense shifts, across the October clock change in
London), with and without role limits, at random moments.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from test_wellbeing_properties import BASE, DAYS, FAST, schedules, spans
from wellbeing_builders import LONDON

from volunteers.wellbeing import RULES, Policy, ShiftSpan, VolunteerSchedule, evaluate_volunteer
from volunteers.wellbeing.domain.model import Focus
from volunteers.wellbeing.domain.prospect import judge_added, with_added
from volunteers.wellbeing.domain.rules import STANDING

POLICIES = (Policy(), Policy.from_overrides({"roles": {"Helpline": {"weekly_load": {"warning": 8},
                                                                    "long_duty": {"warning": 3},
                                                                    "load_spike": {"notice": 1.2}}}}),
            Policy().tightened({"over_pledge": {"notice": 1.0, "min_excess_hours": 0.5},
                                "consecutive_days": {"warning": 2}}))


def _full(warnings: list) -> list[tuple]:
    return [(w, dict(w.details)) for w in warnings]


def _labelled(schedule: VolunteerSchedule) -> VolunteerSchedule:
    return replace(schedule, shifts=tuple(replace(s, ref=f"held:{k}") for k, s in enumerate(schedule.shifts)),
                   pledged_hours_per_week=schedule.pledged_hours_per_week, open_cases=3, caseload_limit=2)


@FAST
@given(schedule=schedules(BASE, LONDON), added=st.lists(spans(BASE, LONDON), min_size=1, max_size=2),
       as_of_day=st.integers(0, DAYS), policy=st.sampled_from(POLICIES))
def test_judge_added_is_the_whole_judgement_of_both_schedules_filtered(
        schedule: VolunteerSchedule, added: list[ShiftSpan], as_of_day: int, policy: Policy) -> None:
    schedule = _labelled(schedule)
    added = [replace(span, ref=f"new:{k}") for k, span in enumerate(added)]
    refs = {span.ref for span in added}
    as_of = BASE + timedelta(days=as_of_day, hours=9)
    after, before = judge_added(schedule, added, as_of, LONDON, policy)
    whole = evaluate_volunteer(with_added(schedule, added), as_of, LONDON, policy)
    raised = [w for w in whole if refs.intersection(w.shift_refs)]
    assert _full(after) == _full([w for w in whole if w.rule in STANDING or w in raised])
    behind = [code for code in RULES if code in {w.rule for w in raised}]
    assert _full(before) == (_full(evaluate_volunteer(schedule, as_of, LONDON, policy, rules=behind))
                             if raised else [])


@FAST
@given(schedule=schedules(BASE, LONDON), picks=st.lists(st.integers(0, 200), min_size=1, max_size=3),
       start=st.integers(0, DAYS * 24), hours=st.integers(1, 24 * 30), as_of_day=st.integers(0, DAYS),
       policy=st.sampled_from(POLICIES))
def test_a_focus_keeps_what_the_whole_judgement_has_there(schedule: VolunteerSchedule, picks: list[int], start: int,
                                                          hours: int, as_of_day: int, policy: Policy) -> None:
    schedule = _labelled(schedule)
    as_of = BASE + timedelta(days=as_of_day, hours=9)
    whole = evaluate_volunteer(schedule, as_of, LONDON, policy)
    shifts = schedule.shifts
    refs = frozenset(shifts[k % len(shifts)].label for k in picks) if shifts else frozenset({"none"})
    begin = datetime.fromtimestamp(BASE.timestamp() + start * 3600, LONDON)
    for focus in (Focus(refs=refs), Focus(refs=refs, whole=STANDING),
                  Focus(spans=((begin, begin + timedelta(hours=hours)),)),
                  Focus(spans=tuple((w.episode_start, w.episode_end) for w in whole[::3]))):
        assert _full(evaluate_volunteer(schedule, as_of, LONDON, policy, focus=focus)) == _full(
            [w for w in whole if focus.keeps(w)])
