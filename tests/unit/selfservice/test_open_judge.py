"""``domain.open_judge`` against ``check`` and ``format_span`` where the demo has no example (issue 13):
nights, shifts of several days, clock changes, overnight availability, leave on a shift's last day."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import product
from zoneinfo import ZoneInfo

from volunteers.core.timeutil import format_span
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.rota.domain.eligibility import Candidate, OpenShift, check
from volunteers.selfservice.domain.open_judge import Days, Judge, names_of, span_text

LONDON = ZoneInfo("Europe/London")
#: a week's starts round both 2026 clock changes in London, every three hours
STARTS = [datetime(2026, month, day, hour, tzinfo=UTC) for month, day in ((3, 27), (10, 23))
          for day in range(day, day + 4) for hour in range(0, 24, 3)]
LENGTHS = [timedelta(hours=h) for h in (1, 4, 8, 13, 30, 50)]


def test_span_text_is_format_span_for_nights_long_shifts_and_clock_changes() -> None:
    days = Days()
    for start, length in product(STARTS, LENGTHS):
        end = start + length
        assert span_text(start.astimezone(LONDON), end.astimezone(LONDON), days) == format_span(start, end, LONDON)


def test_may_take_is_checks_answer() -> None:
    candidates = [
        Candidate("1", "No limits"),
        Candidate("2", "Nights", availability=(WeeklyWindow(4, time(20), time(8)), WeeklyWindow(5, time(20), time(8)),
                                               WeeklyWindow(6, time(0), time(6)))),
        Candidate("3", "Days", availability=tuple(WeeklyWindow(d, time(6), time(18)) for d in range(7)),
                  leave=((date(2026, 3, 29), date(2026, 3, 29)), (date(2026, 10, 26), date(2026, 10, 27)))),
        Candidate("4", "Qualified", qualifications={"First aid": date(2026, 3, 28), "Driving": None},
                  busy=((datetime(2026, 10, 24, 9, tzinfo=UTC), datetime(2026, 10, 24, 12, tzinfo=UTC)),)),
    ]
    needs = [(), ("Driving",), ("First aid",), ("Driving", "First aid"), ("Forklift",)]
    compared = set()
    for candidate in candidates:
        judge = Judge(candidate)
        for start, length, names in product(STARTS, LENGTHS, needs):
            end = start + length
            shift = OpenShift("s", start, end, "Role", "Site", required_qualifications=names)
            expected = not check(candidate, shift, LONDON)
            assert judge.may_take(names, start, end, start.astimezone(LONDON), end.astimezone(LONDON)) == expected, (
                candidate.name, start, length, names)
            compared.add(expected)
    assert compared == {True, False}


def test_names_of_wants_every_id_held() -> None:
    assert names_of([2, 1], {1: "b", 2: "a"}) == ("a", "b")
    assert names_of([], {}) == ()
    assert names_of([1, 3], {1: "b"}) is None


def test_a_clash_is_found_among_overlapping_and_unsorted_duties() -> None:
    """The judge finds a clash by bisection over the duties' starts and the latest end so far: a long duty
    that holds a later short one, duties given out of order and touching ends answer as the scan did."""
    day = datetime(2026, 11, 30, tzinfo=UTC)
    busy = ((day + timedelta(hours=14), day + timedelta(hours=15)),  # out of order
            (day + timedelta(hours=6), day + timedelta(hours=13)),  # a long one holding the next
            (day + timedelta(hours=8), day + timedelta(hours=9)),
            (day + timedelta(hours=20), day + timedelta(hours=21)))
    judge = Judge(Candidate("1", "Busy", busy=busy))
    for start_hour, length in product(range(0, 24), (1, 2, 5)):
        start = day + timedelta(hours=start_hour, minutes=30 * (start_hour % 2))
        end = start + timedelta(hours=length)
        clash = any(busy_start < end and start < busy_end for busy_start, busy_end in busy)
        assert judge.may_take((), start, end, start.astimezone(LONDON), end.astimezone(LONDON)) is not clash
    assert Judge(Candidate("2", "Free")).may_take((), day, day + timedelta(hours=1), day, day + timedelta(hours=1))
