"""The auto-rota keeps every load rule: each one alone, on small rotas that would cross it."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.autofill.domain import Proposal, fill
from volunteers.rota.domain.eligibility import Candidate, OpenShift
from volunteers.wellbeing import ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 10, 31, 12, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


def shift(sid: str, start: datetime, hours: float, **kwargs: object) -> OpenShift:
    return OpenShift(sid, start, start + timedelta(hours=hours), kwargs.pop("role", "Shop counter"),
                     "Village hall", **kwargs)


def run(shifts: Sequence[OpenShift], people: Sequence[Candidate], **kwargs: object) -> Proposal:
    kwargs.setdefault("history", {})
    return fill(shifts, people, tz=LONDON, as_of=AS_OF, time_limit_s=3.0, **kwargs)


def chosen(proposal: Proposal) -> list[str]:
    return sorted(a.shift_id for a in proposal.assignments)


def serious(people: Sequence[Candidate], shifts: Sequence[OpenShift], proposal: Proposal,
            history: dict | None = None) -> list:
    """Return the canonical warnings of "warning" or above over each person's history + proposal."""
    by_id = {s.id: s for s in shifts}
    found = []
    for p in people:
        spans = list((history or {}).get(p.id, ())) + [
            ShiftSpan(by_id[a.shift_id].start, by_id[a.shift_id].end, by_id[a.shift_id].role,
                      by_id[a.shift_id].intensity, by_id[a.shift_id].on_call, ref=a.shift_id)
            for a in proposal.assignments if a.candidate_id == p.id]
        schedule = VolunteerSchedule(p.id, p.pledged_hours_per_week, tuple(sorted(spans, key=lambda s: s.start)))
        found += [w for w in evaluate_volunteer(schedule, AS_OF, LONDON) if is_at_least(w.severity, "warning")]
    return found


def test_at_most_five_consecutive_days() -> None:
    shifts = [shift(f"d{d:02}", at(d, 10), 2) for d in range(2, 10)]  # 8 days, 2 h each
    proposal = run(shifts, [Candidate("ann", "Ann")])
    days = [int(sid[1:]) for sid in chosen(proposal)]
    runs = max(len([d for d in days if start <= d < start + 6]) for start in range(2, 10))
    assert runs <= 5 and len(days) >= 6  # a gap day somewhere, not stopping at five
    assert not serious([Candidate("ann", "Ann")], shifts, proposal)


def test_no_three_early_starts_in_a_row() -> None:
    shifts = [shift(f"e{d}", at(d, 6), 3) for d in range(2, 6)]
    proposal = run(shifts, [Candidate("ann", "Ann")])
    days = [int(sid[1:]) for sid in chosen(proposal)]
    assert len(days) == 3 and not any({d, d + 1, d + 2} <= set(days) for d in days)


def test_intense_hours_stay_under_eight_a_week() -> None:
    ward = {"role": "Ward visit", "intensity": 1.5}
    shifts = [shift(f"w{d}", at(d, 10), 3, **ward) for d in range(2, 6)]  # 12 intense hours offered
    proposal = run(shifts, [Candidate("ann", "Ann")])
    assert len(proposal.assignments) == 2  # 6 h; a third would make 9 h > 8 h
    assert not serious([Candidate("ann", "Ann")], shifts, proposal)


def test_hours_stay_within_one_and_a_half_times_the_pledge() -> None:
    shifts = [shift(f"s{d:02}", at(d, 10), 4) for d in range(2, 28, 3)]  # 9 × 4 h in 26 days
    ann = Candidate("ann", "Ann", pledged_hours_per_week=2)  # 8 h / 28 days; warning above 12 h
    proposal = run(shifts, [ann])
    assert len(proposal.assignments) == 3
    assert not serious([ann], shifts, proposal)


def test_shifts_that_would_merge_into_a_long_duty_are_not_both_given() -> None:
    shifts = [shift("am", at(2, 9), 4), shift("pm", at(2, 13, 30), 4)]  # a 8.5 h duty
    assert len(run(shifts, [Candidate("ann", "Ann")]).assignments) == 1
    apart = [shift("am", at(2, 8), 3), shift("pm", at(2, 14), 3)]  # three hours apart: two duties
    assert len(run(apart, [Candidate("ann", "Ann")]).assignments) == 2


def test_a_duty_merged_from_three_shifts_is_caught_after_solving() -> None:
    # Each pair is fine (4.5 h, or two duties), all three merge into 7 h > 6 h.
    shifts = [shift("a", at(2, 9), 2), shift("b", at(2, 11, 30), 2), shift("c", at(2, 14), 2)]
    ann = Candidate("ann", "Ann")
    proposal = run(shifts, [ann])
    assert len(proposal.assignments) == 2
    assert not serious([ann], shifts, proposal)


def test_personal_limits_tighten_the_policy() -> None:
    shifts = [shift(f"s{d}", at(d, 9), 4) for d in range(2, 7)]
    people = [Candidate("ann", "Ann"), Candidate("bob", "Bob")]
    proposal = run(shifts, people, person_limits={"ann": {"weekly_load": {"warning": 8}}})
    mine = [a for a in proposal.assignments if a.candidate_id == "ann"]
    assert len(mine) <= 2 and len(proposal.assignments) == 5


def test_a_rule_switched_off_is_not_kept() -> None:
    shifts = [shift(f"s{d}", at(d, 9), 4) for d in range(2, 7)]
    proposal = run(shifts, [Candidate("ann", "Ann")], policy={"weekly_load": {"enabled": False}})
    assert len(proposal.assignments) == 5  # 20 h: only weekly_load stood in the way


def test_nights_on_call_are_night_duties() -> None:
    # Stand-by nights count as night duties (DESIGN.md): no more than four in 28 days.
    nights = [shift(f"n{d:02}", at(d, 22), 8, on_call=True, role="Helpline") for d in range(2, 28, 2)]
    proposal = run(nights, [Candidate("ann", "Ann")])
    assert len(proposal.assignments) == 4
    assert not serious([Candidate("ann", "Ann")], nights, proposal)


def test_unfilled_places_name_the_limits_in_the_way() -> None:
    history = {"ann": [ShiftSpan(at(d, 9) - timedelta(days=35), at(d, 13) - timedelta(days=35), "Shop counter")
                       for d in (2, 9, 16, 23, 30)]}
    shifts = [shift(f"s{d}", at(d, 9), 4) for d in range(2, 7)]
    proposal = run(shifts, [Candidate("ann", "Ann")], history=history)
    messages = " ".join(u.message for u in proposal.unfilled)
    assert proposal.unfilled and "would cross" in messages
