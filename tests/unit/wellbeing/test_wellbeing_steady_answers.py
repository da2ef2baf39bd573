"""Between the edges ``steady_between`` gives, on the same local date, judging again gives the same answer.

The shift panel keeps each candidate's prospective answer while the rows it
was judged from are unchanged (``wellbeing.kept_prospects``); the clock is
the one input not read from rows, and ``steady_between`` says for how long
it leaves the answer alone. Judged again at any instant inside that
interval, on the same local date, the warnings must be the same to the last
field — over the random schedules around both 2026–27 clock changes that
the fast-judging test draws.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from test_wellbeing_fast_judging import SETTINGS, _full, cases
from wellbeing_builders import LONDON

from volunteers.wellbeing import Policy, ShiftSpan, VolunteerSchedule
from volunteers.wellbeing.domain.prospect import judge_added, steady_between

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)


@SETTINGS
@given(case=cases(), moved=st.integers(-9 * 3600, 15 * 3600 - 1))
def test_inside_the_steady_interval_judging_again_answers_alike(
        case: tuple[VolunteerSchedule, list[ShiftSpan], datetime, Policy], moved: int) -> None:
    schedule, added, as_of, policy = case
    steady = steady_between(schedule, added, as_of, policy)
    later = as_of + timedelta(seconds=moved)
    if steady is None or not steady[0] < later.timestamp() < steady[1] or later.date() != as_of.date():
        return  # outside: nothing promised
    assert _full(judge_added(schedule, added, later, LONDON, policy)[0]) == \
        _full(judge_added(schedule, added, as_of, LONDON, policy)[0])
    assert _full(judge_added(schedule, added, later, LONDON, policy)[1]) == \
        _full(judge_added(schedule, added, as_of, LONDON, policy)[1])


def _intense(start: datetime, ref: str) -> ShiftSpan:
    return ShiftSpan(start, start + timedelta(hours=4), "Helpline", 1.5, ref=ref)


def test_the_interval_ends_where_a_shift_starts() -> None:
    # a planned shift starting in 3 hours becomes worked then: the answer may change at that instant
    schedule = VolunteerSchedule("v", None, (_intense(NOW - timedelta(days=2), "a"),))
    added = [_intense(NOW + timedelta(hours=3), "new")]
    low, high = steady_between(schedule, added, NOW, Policy())
    assert low == (NOW - timedelta(days=2)).timestamp() + 0.001
    assert high == (NOW + timedelta(hours=3)).timestamp() - 0.001


def test_the_interval_ends_where_a_worked_shift_stops_being_recent() -> None:
    # supervision counts intense shifts of the last 28 days (a role limit may say 14): each is an edge
    policy = Policy.from_overrides({"roles": {"Helpline": {"supervision_due": {"recent_days": 14}}}})
    started = NOW - timedelta(days=13, hours=22)
    schedule = VolunteerSchedule("v", None, (_intense(started, "a"),))
    assert steady_between(schedule, [], NOW, policy)[1] == (started + timedelta(days=14)).timestamp() - 0.001
    assert steady_between(schedule, [], NOW, Policy())[1] == (started + timedelta(days=28)).timestamp() - 0.001


def test_on_an_edge_nothing_is_promised() -> None:
    schedule = VolunteerSchedule("v", None, (_intense(NOW, "a"),))
    assert steady_between(schedule, [], NOW, Policy()) is None
    assert steady_between(schedule, [], NOW + timedelta(microseconds=500), Policy()) is None


@st.composite
def around_recent_edge(draw: st.DrawFn) -> tuple[VolunteerSchedule, list[ShiftSpan], datetime, Policy]:
    """A counsellor never supervised, whose intense shifts leave supervision's "recent" days near ``as_of``."""
    policy = draw(st.sampled_from([Policy(), Policy.from_overrides(
        {"roles": {"Helpline": {"supervision_due": {"recent_days": 14}}}})]))
    recent = draw(st.sampled_from([14, 28]))
    as_of = NOW + timedelta(minutes=draw(st.integers(-600, 600)))
    edge = NOW - timedelta(days=recent)
    held = [_intense(edge + timedelta(minutes=draw(st.integers(-300, 300))), f"held:{k}")
            for k in range(draw(st.integers(1, 3)))]
    held.append(_intense(NOW - timedelta(days=draw(st.integers(70, 120))), "first"))
    schedule = VolunteerSchedule("v", None, tuple(sorted(held, key=lambda span: span.start)))
    # a shift added in the past (a coordinator recording one worked) is behind supervision's warning
    added = [_intense(draw(st.sampled_from([edge, NOW - timedelta(days=2)])) +
                      timedelta(minutes=draw(st.integers(-300, 300))), "new:0")]
    return schedule, added, as_of, policy


@SETTINGS
@given(case=around_recent_edge(), moved=st.integers(-600 * 60, 600 * 60))
def test_supervisions_recent_days_end_the_interval(
        case: tuple[VolunteerSchedule, list[ShiftSpan], datetime, Policy], moved: int) -> None:
    schedule, added, as_of, policy = case
    steady = steady_between(schedule, added, as_of, policy)
    later = as_of + timedelta(seconds=moved)
    if steady is None or not steady[0] < later.timestamp() < steady[1] or \
            later.astimezone(LONDON).date() != as_of.astimezone(LONDON).date():
        return
    assert _full(judge_added(schedule, added, later, LONDON, policy)[0]) == \
        _full(judge_added(schedule, added, as_of, LONDON, policy)[0])
    assert _full(judge_added(schedule, added, later, LONDON, policy)[1]) == \
        _full(judge_added(schedule, added, as_of, LONDON, policy)[1])
