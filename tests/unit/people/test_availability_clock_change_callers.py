"""The rota's eligibility ``check`` across the hour the clocks go back: an answer, not ValueError (pure)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.people.domain.availability import parse_availability
from volunteers.rota.domain.eligibility import UNAVAILABLE, Candidate, EligibilityIndex, OpenShift, check

LONDON = ZoneInfo("Europe/London")
#: 01:30 BST to 01:10 GMT on Sunday 25 Oct 2026
SHIFT = OpenShift("s1", datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 10, tzinfo=UTC),
                  "Shop counter", "Village hall")


def test_check_judges_the_wall_clock_times_the_shift_passes_through() -> None:
    free = Candidate("ann", "Ann", availability=parse_availability("Sun 01:00-02:00"))
    short = Candidate("bob", "Bob", availability=parse_availability("Sun 01:30-02:00"))
    assert check(free, SHIFT, LONDON) == []
    assert [reason.code for reason in check(short, SHIFT, LONDON)] == [UNAVAILABLE]


def test_the_index_agrees_with_check() -> None:
    people = [Candidate("ann", "Ann", availability=parse_availability("Sun 01:00-02:00")),
              Candidate("bob", "Bob", availability=parse_availability("Sun 01:30-02:00")),
              Candidate("cat", "Cat")]
    assert EligibilityIndex(people, LONDON).assess(SHIFT).eligible == ("ann", "cat")


def test_spring_forward_shift_is_judged_on_its_wall_clock_span() -> None:
    """00:30 GMT to 02:30 BST on 29 Mar 2026: one real hour, asked of the windows as 00:30-02:30."""
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    shift = OpenShift("s2", start, start + timedelta(hours=1), "Shop counter", "Village hall")
    assert check(Candidate("ann", "Ann", availability=parse_availability("Sun 00:00-03:00")), shift, LONDON) == []
    late = Candidate("bob", "Bob", availability=parse_availability("Sun 01:00-03:00"))
    assert [reason.code for reason in check(late, shift, LONDON)] == [UNAVAILABLE]


def test_the_month_index_and_the_open_judge_keep_a_clock_change_sunday_apart_from_an_ordinary_one() -> None:
    """Both remember answers per wall-clock pattern: 01:00-01:20 on 25 Oct lasts 80 minutes, not 20."""
    from volunteers.autofill.domain.eligible import assess_all
    from volunteers.selfservice.domain.open_judge import Judge

    ordinary = OpenShift("o", datetime(2026, 11, 1, 1, 0, tzinfo=UTC), datetime(2026, 11, 1, 1, 20, tzinfo=UTC),
                         "Shop counter", "Village hall")  # Sunday 01:00-01:20 GMT
    changing = OpenShift("c", datetime(2026, 10, 25, 0, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 20, tzinfo=UTC),
                         "Shop counter", "Village hall")  # Sunday 01:00 BST-01:20 GMT
    ann = Candidate("ann", "Ann", availability=parse_availability("Sun 00:00-01:30"))
    assert check(ann, ordinary, LONDON) == []
    assert [reason.code for reason in check(ann, changing, LONDON)] == [UNAVAILABLE]

    found = assess_all([ordinary, changing], [ann], LONDON)
    assert (found["o"].eligible, found["c"].eligible) == (("ann",), ())

    judge = Judge(ann)
    answers = [judge.may_take((), s.start, s.end, s.start.astimezone(LONDON), s.end.astimezone(LONDON))
               for s in (ordinary, changing)]
    assert answers == [True, False]
