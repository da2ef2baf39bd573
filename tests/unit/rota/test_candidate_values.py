"""``rota.candidates._candidate`` makes the Candidate its constructor makes, field for field (issue 13).

``load_candidates`` builds each member's Candidate without the frozen dataclass's ``__init__``; a field added to
Candidate (or a ``__post_init__``, or slots) must fail here rather than go missing from every candidate.
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from volunteers.people.domain.availability import WeeklyWindow
from volunteers.rota.candidates import _candidate
from volunteers.rota.domain.eligibility import Candidate

_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
_instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))
_windows = st.builds(WeeklyWindow, st.integers(0, 6), st.times(), st.times())


@given(ident=st.integers(1, 10**6).map(str), name=st.text(max_size=20),
       pledged=st.none() | st.floats(0, 80, allow_nan=False),
       qualifications=st.dictionaries(st.text(max_size=8), st.none() | _days, max_size=3),
       availability=st.lists(_windows, max_size=3).map(tuple),
       leave=st.lists(st.tuples(_days, _days), max_size=3).map(lambda spans: tuple(sorted(spans))),
       busy=st.lists(st.tuples(_instants, _instants), max_size=3).map(tuple),
       supervised=st.none() | _days)
def test_a_candidate_made_without_init_is_the_constructed_one(
        ident: str, name: str, pledged: float | None, qualifications: dict[str, date | None],
        availability: tuple[WeeklyWindow, ...], leave: tuple[tuple[date, date], ...],
        busy: tuple[tuple[datetime, datetime], ...], supervised: date | None) -> None:
    built = Candidate(id=ident, name=name, pledged_hours_per_week=pledged, qualifications=dict(qualifications),
                      availability=availability, leave=leave, busy=busy, last_supervised_on=supervised)
    made = _candidate(ident, name, pledged, dict(qualifications), availability, leave, busy, supervised)
    assert type(made) is Candidate
    assert made.__dict__ == built.__dict__ and list(made.__dict__) == list(built.__dict__)
    assert (made, hash(made), repr(made)) == (built, hash(built), repr(built))
    assert {f.name for f in dataclasses.fields(Candidate)} == set(made.__dict__)


def test_candidate_has_no_checks_to_skip() -> None:
    """``_candidate`` is only the constructor while Candidate's ``__init__`` does nothing but set its fields."""
    assert not hasattr(Candidate, "__post_init__") and not hasattr(Candidate, "__slots__")
    made = _candidate("1", "Ann", None, {}, (), (), (), None)
    assert made == Candidate(id="1", name="Ann") and made.usual_slots == frozenset() and made.preferences == ()
