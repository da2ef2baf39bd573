"""The fast prospective judgement is the straightforward one: same warnings, to the last field.

The straightforward judgement of a schedule with shifts added is
:func:`evaluate_volunteer` of the whole schedule with them, and of the whole
schedule without them, each filtered as :func:`judge_added` promises; the
fast one (:func:`judge_added`: a focus on the new shifts, windows summed only
where graded, local conversions kept between calls) must give the very same
warnings — rule, severity, value, threshold, windows, episode, message,
details, shifts — and so the same verdict of ``prospective.newly_raised``.

Schedules are random, dense around a clock change in Europe/London (the
October one, when 01:00–02:00 comes twice, and the March one, when it never
comes), with many night shifts across it, stand-by and intense shifts, logged
time, and the role and person limits that make the rules grade by role.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wellbeing_builders import LONDON

from volunteers.wellbeing import RULES, Policy, ShiftSpan, VolunteerSchedule, evaluate_volunteer
from volunteers.wellbeing.domain.model import LoggedTime
from volunteers.wellbeing.domain.prospect import judge_added, with_added
from volunteers.wellbeing.domain.rules import STANDING
from volunteers.wellbeing.prospective import newly_raised

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: the local dates of the two clock changes judged, each with the weeks around it
CHANGES = (date(2026, 10, 25), date(2027, 3, 28))
SPREAD = 40  #: days judged before and after the change
ROLES = ("Shop counter", "Helpline", "Ward visit")
POLICIES = (Policy(),
            Policy.from_overrides({"roles": {"Helpline": {"weekly_load": {"warning": 8}, "long_duty": {"warning": 3},
                                                          "load_spike": {"notice": 1.2},
                                                          "consecutive_nights": {"warning": 2}}}}),
            Policy().tightened({"over_pledge": {"notice": 1.0, "min_excess_hours": 0.5},
                                "consecutive_days": {"warning": 2}, "short_rest": {"warning": 13}}))


@st.composite
def shift(draw: st.DrawFn, change: date, night: bool) -> ShiftSpan:
    """A shift near ``change``: at night (19:00–03:00 wall clock, over the change often), or any time."""
    day = change + timedelta(days=draw(st.integers(-SPREAD, SPREAD) if not night else st.integers(-12, 6)))
    minute = draw(st.integers(19 * 4, 27 * 4) if night else st.integers(0, 95)) * 15
    wall = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    start = wall.replace(tzinfo=LONDON, fold=draw(st.integers(0, 1)))  # the repeated hour, either time
    # the end counted in real time from the start, so the shift always has its drawn length; in UTC, as the
    # database gives it (two London times compare by wall clock: 01:00 BST is not before 01:00 GMT)
    end = datetime.fromtimestamp(start.timestamp() + draw(st.integers(2, 52)) * 900, UTC)
    if draw(st.booleans()):
        start = start.astimezone(UTC)
    return ShiftSpan(start=start, end=end, role=draw(st.sampled_from(ROLES)),
                     intensity=draw(st.sampled_from([1.0, 1.0, 1.5, 2.0])), on_call=draw(st.booleans()))


@st.composite
def cases(draw: st.DrawFn) -> tuple[VolunteerSchedule, list[ShiftSpan], datetime, Policy]:
    change = draw(st.sampled_from(CHANGES))
    shifts = draw(st.lists(st.one_of(shift(change, True), shift(change, False)), max_size=28))
    # runs of nights: the same wall-clock shift on consecutive dates over the change
    first = change - timedelta(days=draw(st.integers(0, 6)))
    hour = draw(st.sampled_from([21, 22, 23, 0, 1]))
    for k in range(draw(st.integers(0, 6))):
        start = datetime.combine(first + timedelta(days=k), datetime.min.time()).replace(hour=hour, tzinfo=LONDON)
        shifts.append(ShiftSpan(start, datetime.fromtimestamp(start.timestamp() + 8 * 3600, UTC), "Helpline", 1.5))
    logged = draw(st.lists(st.builds(LoggedTime, st.dates(change - timedelta(days=SPREAD),
                                                          change + timedelta(days=SPREAD)),
                                     st.sampled_from([0.5, 1.0, 2.5, 6.0]), st.just("contact")), max_size=4))
    schedule = VolunteerSchedule(
        "v", draw(st.sampled_from([None, 2.0, 6.0])),
        tuple(sorted((replace(s, ref=f"held:{k}") for k, s in enumerate(shifts)), key=lambda s: s.start)),
        last_supervised_on=draw(st.one_of(st.none(), st.dates(change - timedelta(days=120), change))),
        logged=tuple(sorted(logged, key=lambda entry: entry.on)))
    added = [replace(s, ref=f"new:{k}") for k, s in
             enumerate(draw(st.lists(st.one_of(shift(change, True), shift(change, False)), min_size=1, max_size=2)))]
    as_of = datetime.combine(change + timedelta(days=draw(st.integers(-SPREAD, SPREAD))),
                             datetime.min.time()).replace(hour=9, tzinfo=LONDON)
    return schedule, added, as_of, draw(st.sampled_from(POLICIES))


def _full(warnings: list) -> list[tuple]:
    """Every field of each warning, the details too (a LoadWarning's equality leaves them out), and the order."""
    return [(w, dict(w.details), w.to_dict()) for w in warnings]


@SETTINGS
@given(case=cases())
def test_the_fast_prospective_judgement_is_the_straightforward_one(
        case: tuple[VolunteerSchedule, list[ShiftSpan], datetime, Policy]) -> None:
    schedule, added, as_of, policy = case
    refs = {span.ref for span in added}
    after, before = judge_added(schedule, added, as_of, LONDON, policy)
    # the straightforward way: both schedules judged whole, then filtered as judge_added promises
    whole = evaluate_volunteer(with_added(schedule, added), as_of, LONDON, policy)
    raised = [w for w in whole if refs.intersection(w.shift_refs)]
    assert _full(after) == _full([w for w in whole if w.rule in STANDING or w in raised])
    behind = [code for code in RULES if code in {w.rule for w in raised}]
    whole_before = evaluate_volunteer(schedule, as_of, LONDON, policy, rules=behind) if raised else []
    assert _full(before) == _full(whole_before)
    assert _full(newly_raised(before, after, refs)) == _full(newly_raised(whole_before, raised, refs))


@given(span=shift(CHANGES[0], True), ref=st.one_of(st.none(), st.just("17")))
def test_a_trusted_span_is_the_constructed_one(span: ShiftSpan, ref: str | None) -> None:
    built = ShiftSpan(span.start, span.end, span.role, span.intensity, span.on_call, ref=ref)
    trusted = ShiftSpan.trusted(span.start, span.end, span.role, span.intensity, span.on_call, ref)
    assert (trusted, hash(trusted), repr(trusted), trusted.label) == (built, hash(built), repr(built), built.label)
    assert replace(trusted, ref="x") == replace(built, ref="x")
