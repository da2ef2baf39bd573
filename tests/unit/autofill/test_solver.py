"""The auto-rota (CP-SAT): hard constraints, objectives, explanations, post-check."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.autofill.domain import EVERYONE_AT_LIMIT, NOBODY_AVAILABLE, NOBODY_QUALIFIED, Proposal, fill
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.wellbeing import ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 10, 31, 12, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def shift(sid: str, start: datetime, hours: float, **kwargs: object) -> OpenShift:
    return OpenShift(sid, start, start + timedelta(hours=hours), kwargs.pop("role", "Shop counter"),
                     "Village hall", **kwargs)


def person(cid: str, **kwargs: object) -> Candidate:
    return Candidate(cid, cid.title(), **kwargs)


def run(shifts: Sequence[OpenShift], people: Sequence[Candidate], **kwargs: object) -> Proposal:
    kwargs.setdefault("history", {})
    kwargs.setdefault("as_of", AS_OF)
    kwargs.setdefault("time_limit_s", 5.0)
    return fill(shifts, people, tz=LONDON, **kwargs)


def placed(proposal: Proposal) -> set[tuple[str, str]]:
    return {(a.shift_id, a.candidate_id) for a in proposal.assignments}


def test_fills_every_place_it_can() -> None:
    shifts = [shift(f"s{d}", at(d, 9), 3, needed=2) for d in range(2, 7)]
    proposal = run(shifts, [person("ann"), person("bob"), person("cat")])
    assert len(proposal.assignments) == 10
    assert proposal.status == "optimal"
    assert proposal.unfilled == ()
    assert proposal.upper_bound == 10 and proposal.solver_bound == 10


def test_qualification_expiring_mid_month() -> None:
    ann = person("ann", qualifications={"Post Office training": date(2026, 11, 15)})
    needs = {"role": "Post Office counter", "required_qualifications": ("Post Office training",)}
    shifts = [shift("14th", at(14, 9), 3, **needs), shift("16th", at(16, 9), 3, **needs)]
    proposal = run(shifts, [ann])
    assert placed(proposal) == {("14th", "ann")}
    (gap,) = proposal.unfilled
    assert (gap.shift_id, gap.reason) == ("16th", NOBODY_QUALIFIED)


def test_availability_leave_and_overlap_are_respected() -> None:
    from volunteers.people.domain.availability import parse_availability
    ann = person("ann", availability=parse_availability("Mon 09:00-13:00"))
    bob = person("bob", leave=((date(2026, 11, 2), date(2026, 11, 3)),))
    cat = person("cat", busy=((at(4, 8), at(4, 10)),))
    shifts = [shift("mon", at(2, 9), 3), shift("tue", at(3, 9), 3), shift("wed", at(4, 9), 3)]
    proposal = run(shifts, [ann, bob, cat])
    assert not {("mon", "bob"), ("tue", "bob"), ("tue", "ann"), ("wed", "ann"), ("wed", "cat")} & placed(proposal)
    assert len(proposal.assignments) == 3
    # Ann can do only Monday; with her the only one who can, Monday is hers.
    only_ann = run([shifts[0]], [ann, bob])
    assert placed(only_ann) == {("mon", "ann")}


def test_no_overlapping_shifts_for_one_person_and_never_over_needed() -> None:
    shifts = [shift("a", at(2, 9), 4, needed=3), shift("b", at(2, 11), 4, needed=3)]
    proposal = run(shifts, [person("ann"), person("bob")])
    assert len(proposal.assignments) == 2
    assert sorted(a.candidate_id for a in proposal.assignments) == ["ann", "bob"]
    # Place 3 of each needs a third person; places 1-2 left open are the busy pair's.
    assert sorted(u.reason for u in proposal.unfilled) == [EVERYONE_AT_LIMIT] * 2 + [NOBODY_QUALIFIED] * 2


def test_locked_places_stay_and_count_toward_needed_and_load() -> None:
    # Ann already holds 14 weighted hours this week; Bob holds a place on "b".
    held = [shift(f"h{d}", at(d, 9), 3.5, assigned=("ann",)) for d in (2, 3, 4, 5)]
    b = shift("b", at(6, 9), 3, needed=2, assigned=("bob",))
    proposal = run(held + [b, shift("c", at(7, 9), 3)], [person("ann"), person("bob")])
    assert ("b", "ann") not in placed(proposal)  # 14 + 3 > 15 weighted hours this week
    assert all(a.candidate_id != "bob" or a.shift_id != "b" for a in proposal.assignments)
    assert placed(proposal) == {("c", "bob")} or placed(proposal) == {("c", "ann")}
    assert [u.shift_id for u in proposal.unfilled] == ["b"]
    hours = {h.candidate_id: h for h in proposal.hours}
    assert hours["ann"].hours_before == 14.0


def test_weekly_load_limit_and_policy_override() -> None:
    shifts = [shift(f"s{d}", at(d, 9), 4) for d in range(2, 7)]  # 5 × 4 h in one week
    assert len(run(shifts, [person("ann")]).assignments) == 3  # 12 h; 16 h > 15
    tight = run(shifts, [person("ann")], policy={"weekly_load": {"warning": 10.0}})
    assert len(tight.assignments) == 2


def test_no_three_consecutive_nights() -> None:
    shifts = [shift(f"n{d}", at(d, 23), 5, on_call=True) for d in range(2, 6)]
    proposal = run(shifts, [person("ann")])
    days = sorted(a.shift_id for a in proposal.assignments)
    assert len(days) == 3
    assert not {"n2", "n3", "n4"} <= set(days) and not {"n3", "n4", "n5"} <= set(days)


def test_short_rest_after_a_late_duty() -> None:
    shifts = [shift("late", at(2, 18), 4), shift("early", at(3, 7), 3)]  # 22:00 → 07:00 = 9 h rest
    proposal = run(shifts, [person("ann")])
    assert len(proposal.assignments) == 1
    later = [shift("late", at(2, 18), 4), shift("early", at(3, 9), 3)]  # 11 h rest
    assert len(run(later, [person("ann")]).assignments) == 2


def test_night_across_clock_change_counts_seven_hours() -> None:
    night = shift("night", at(25, 0, month=10), 6, on_call=True)  # 00:00-06:00 local
    proposal = run([night], [person("ann", pledged_hours_per_week=7)])
    assert placed(proposal) == {("night", "ann")}
    (hours,) = proposal.hours
    assert hours.hours_after == 7.0


def test_same_input_and_seed_give_the_same_rota() -> None:
    shifts = [shift(f"s{d}-{h}", at(d, h), 3, needed=2) for d in range(2, 16) for h in (9, 13)]
    people = [person(f"p{i}", pledged_hours_per_week=2 + i % 3) for i in range(8)]
    first = run(shifts, people, seed=7)
    second = run(shifts, people, seed=7)
    assert first.assignments == second.assignments
    assert first.objectives == second.objectives


def test_unfilled_places_say_why() -> None:
    needs = {"required_qualifications": ("DBS check",)}
    ann = person("ann", qualifications={"DBS check": None}, leave=((date(2026, 11, 3), date(2026, 11, 3)),))
    bob = person("bob", qualifications={"DBS check": None})
    shifts = [
        shift("three", at(2, 9), 3, needed=3, **needs),  # two qualified people: one place nobody_qualified
        shift("leave", at(3, 9), 3, needed=2, **needs),  # Ann on leave: Bob takes one, one nobody_available
        shift("clash", at(2, 10), 2, **needs),  # both busy on "three": everyone_at_limit
    ]
    proposal = run(shifts, [ann, bob])
    reasons = {(u.shift_id, u.place): u.reason for u in proposal.unfilled}
    assert reasons == {("three", 3): NOBODY_QUALIFIED, ("leave", 2): NOBODY_AVAILABLE,
                       ("clash", 1): EVERYONE_AT_LIMIT}
    assert all(u.message for u in proposal.unfilled)


def test_hours_follow_pledges() -> None:
    shifts = [shift(f"s{d}", at(d, 10), 2) for d in range(2, 8)]  # 12 h in a week
    people = [person("two", pledged_hours_per_week=2), person("four", pledged_hours_per_week=4)]
    proposal = run(shifts, people)
    hours = {h.candidate_id: h.hours_after for h in proposal.hours}
    assert len(proposal.assignments) == 6
    assert hours == {"two": 4.0, "four": 8.0}


def test_role_priority_wins_when_places_compete() -> None:
    shifts = [shift("shop", at(2, 9), 3), shift("post", at(2, 9), 3, role="Post Office counter")]
    proposal = run(shifts, [person("ann")], role_priority={"Post Office counter": 3})
    assert placed(proposal) == {("post", "ann")}


def test_usual_slot_and_preference_break_ties() -> None:
    history = {"ann": [ShiftSpan(at(d, 9, month=10), at(d, 12, month=10), "Shop counter")
                       for d in (5, 12, 19, 26)]}
    from volunteers.rota.domain.eligibility import Preference
    shifts = [shift("mon", at(2, 9), 3), shift("tue", at(3, 9), 3)]
    people = [person("ann"), person("bob", preferences=(Preference(2, weekday=1),))]
    proposal = run(shifts, people, history=history)
    assert placed(proposal) == {("mon", "ann"), ("tue", "bob")}


def test_no_proposal_raises_a_warning_under_the_canonical_rules() -> None:
    # A month of evening helpline and early shop shifts for people with a
    # weekly evening in their history (no warnings of its own): every proposed
    # schedule must pass the wellbeing rules, load spikes included.
    history = {f"p{i}": [ShiftSpan(at(d, 18, month=10), at(d, 22, month=10), "Helpline", 1.5)
                         for d in range(1 + i, 31, 7)] for i in range(4)}
    shifts = []
    for d in range(1, 29):
        shifts.append(shift(f"eve{d}", at(d, 18), 4.5, role="Helpline", intensity=1.5))
        shifts.append(shift(f"early{d}", at(d, 6), 4))
    people = [person(f"p{i}", pledged_hours_per_week=4 + i, last_supervised_on=date(2026, 10, 1))
              for i in range(4)]
    proposal = run(shifts, people, history=history)
    assert proposal.assignments
    for p in people:
        mine = [next(s for s in shifts if s.id == a.shift_id)
                for a in proposal.assignments if a.candidate_id == p.id]
        spans = history[p.id] + [ShiftSpan(s.start, s.end, s.role, s.intensity, s.on_call, ref=s.id)
                                 for s in mine]
        schedule = VolunteerSchedule(p.id, p.pledged_hours_per_week,
                                     tuple(sorted(spans, key=lambda s: s.start)),
                                     p.last_supervised_on)
        new = {s.id for s in mine}
        before = VolunteerSchedule(p.id, p.pledged_hours_per_week, tuple(history[p.id]), p.last_supervised_on)
        assert not [w for w in evaluate_volunteer(before, AS_OF, LONDON) if is_at_least(w.severity, "warning")]
        for warning in evaluate_volunteer(schedule, AS_OF, LONDON):
            assert not (is_at_least(warning.severity, "warning") and new & set(warning.shift_refs)), warning
