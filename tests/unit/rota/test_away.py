"""How leave on the rota is worded, and which shifts it touches (``rota.domain.away``)."""
from __future__ import annotations

from datetime import date

from volunteers.rota.domain.away import Away, away_on, leave_span, leave_touching


def test_leave_spans_name_a_shared_month_or_year_once() -> None:
    assert leave_span(date(2026, 12, 21), date(2026, 12, 21)) == "21 Dec"
    assert leave_span(date(2026, 12, 21), date(2026, 12, 28)) == "21–28 Dec"
    assert leave_span(date(2026, 11, 30), date(2026, 12, 2)) == "30 Nov – 2 Dec"
    assert leave_span(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026 – 2 Jan 2027"


def test_leave_touching_any_day_of_the_shift_counts_and_the_earliest_wins() -> None:
    leaves = [(date(2026, 12, 24), date(2026, 12, 26)), (date(2026, 12, 21), date(2026, 12, 22))]
    assert leave_touching(leaves, date(2026, 12, 20), date(2026, 12, 21)) == (date(2026, 12, 21), date(2026, 12, 22))
    assert leave_touching(leaves, date(2026, 12, 23), date(2026, 12, 23)) is None
    assert leave_touching(leaves, date(2026, 12, 22), date(2026, 12, 25)) == leaves[1]
    assert leave_touching([], date(2026, 12, 22), date(2026, 12, 22)) is None


def test_only_the_people_on_leave_are_named() -> None:
    leave = {7: [(date(2026, 12, 21), date(2026, 12, 28))]}
    found = away_on([(7, "Kelly Robson"), (8, "Ann Archer")], leave, date(2026, 12, 22), date(2026, 12, 22))
    assert found == [Away(7, "Kelly Robson", date(2026, 12, 21), date(2026, 12, 28))]
    assert found[0].sentence == "Kelly Robson is away 21–28 Dec"
