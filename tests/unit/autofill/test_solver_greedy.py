"""The greedy baseline keeps the same rules as CP-SAT; the month-at-once eligibility gives the same answers."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from volunteers.autofill.domain.eligible import assess_all
from volunteers.autofill.domain.greedy import greedy_fill, greedy_pairs
from volunteers.autofill.domain.model import build
from volunteers.autofill.domain.postcheck import Judge
from volunteers.autofill.domain.problem import prepare
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.rota.domain.eligibility import Candidate, EligibilityIndex, OpenShift
from volunteers.wellbeing import ShiftSpan

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 10, 24, 12, tzinfo=LONDON)
QUAL = "Post Office training"


def month(seed: int, people: int = 14) -> tuple[list[OpenShift], list[Candidate], dict]:
    """A small random month across the clock change: mornings, afternoons, some nights on call."""
    rng = random.Random(seed)
    shifts = []
    for d in range(30):
        day = date(2026, 10, 20) + timedelta(days=d)
        for hour, hours, role, on_call in ((9, 4, "Shop counter", False), (13, 3.5, "Post Office counter", False),
                                           (22, 9, "Helpline", True)):
            if role == "Helpline" and d % 3:
                continue
            start = datetime.combine(day, time(hour), LONDON)
            shifts.append(OpenShift(f"{d:02}-{hour}", start, start + timedelta(hours=hours), role, "Hall",
                                    (QUAL,) if role == "Post Office counter" else (), rng.choice([1, 1, 2]),
                                    on_call=on_call, intensity=1.5 if on_call else 1.0))
    candidates, history = [], {}
    for i in range(people):
        quals = {QUAL: rng.choice([None, date(2026, 11, 5)])} if rng.random() < 0.5 else {}
        windows = tuple(WeeklyWindow(w, time(8), time(23, 59)) for w in rng.sample(range(7), k=4)) \
            if rng.random() < 0.6 else ()
        leave = ((date(2026, 11, 2), date(2026, 11, 6)),) if rng.random() < 0.2 else ()
        candidates.append(Candidate(f"p{i}", f"P{i}", rng.choice([None, 2, 4, 6]), quals, windows, leave))
        history[f"p{i}"] = [ShiftSpan(datetime(2026, 9, 15, 9, tzinfo=LONDON) + timedelta(days=7 * k),
                                      datetime(2026, 9, 15, 13, tzinfo=LONDON) + timedelta(days=7 * k), "Shop counter")
                            for k in range(5) if rng.random() < 0.7]
    return shifts, candidates, history


def test_greedy_raises_no_new_warning_and_is_a_solution_of_the_model() -> None:
    shifts, people, history = month(1)
    problem = prepare(shifts, people, tz=LONDON, history=history, policy=None)
    judge = Judge(problem, history=history, as_of=AS_OF)
    chosen = greedy_pairs(problem, judge)
    assert len(chosen) > 30
    assert judge.offending(chosen) == []
    built = build(problem)
    built.model.add_assumptions([var if pair in set(chosen) else var.Not() for pair, var in built.x.items()])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL  # feasible: every linear rule of the model holds


def test_greedy_is_repeatable() -> None:
    shifts, people, history = month(2)
    first = greedy_fill(shifts, people, tz=LONDON, history=history, as_of=AS_OF)
    assert first == greedy_fill(shifts, people, tz=LONDON, history=history, as_of=AS_OF)


def test_month_at_once_eligibility_matches_the_index() -> None:
    shifts, people, _ = month(3, people=25)
    rng = random.Random(3)
    people = [p if rng.random() < 0.7 else Candidate(
        p.id, p.name, p.pledged_hours_per_week, p.qualifications,
        (WeeklyWindow(5, time(22), time(6)),),  # overnight: Saturday into Sunday
        p.leave, busy=((shifts[5].start, shifts[5].end),)) for p in people]
    shifts[7] = OpenShift(shifts[7].id, shifts[7].start, shifts[7].end, shifts[7].role, "Hall",
                          shifts[7].required_qualifications, 3, assigned=(people[0].id,))
    index = EligibilityIndex(people, LONDON)
    fast = assess_all(shifts, people, LONDON)
    for s in shifts:
        assert fast[s.id] == index.assess(s), s.id


def test_fill_across_the_clock_change_raises_no_new_warning() -> None:
    from volunteers.autofill.domain import fill

    shifts, people, history = month(4)
    proposal = fill(shifts, people, tz=LONDON, history=history, as_of=AS_OF, time_limit_s=3.0)
    problem = prepare(shifts, people, tz=LONDON, history=history, policy=None)
    chosen = [(a.shift_id, a.candidate_id) for a in proposal.assignments]
    assert Judge(problem, history=history, as_of=AS_OF).offending(chosen) == []
    assert proposal.objectives["places_filled"] >= len(greedy_pairs(problem, Judge(problem, history=history,
                                                                                       as_of=AS_OF)))


def test_large_months_improve_by_neighbourhoods_and_stay_clean(monkeypatch) -> None:
    import volunteers.autofill.domain.run as run

    monkeypatch.setattr(run, "FULL_MODEL_PAIRS", 0)  # as if this month were county-sized
    shifts, people, history = month(5, people=10)
    proposal = run.fill(shifts, people, tz=LONDON, history=history, as_of=AS_OF, time_limit_s=3.0)
    problem = prepare(shifts, people, tz=LONDON, history=history, policy=None)
    judge = Judge(problem, history=history, as_of=AS_OF)
    chosen = [(a.shift_id, a.candidate_id) for a in proposal.assignments]
    assert judge.offending(chosen) == []
    assert len(chosen) >= len(greedy_pairs(problem, judge))
    assert [s.name for s in proposal.stages][:2] == ["coverage", "max_ratio"]
