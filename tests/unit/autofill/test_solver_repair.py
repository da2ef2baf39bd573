"""Repairing a rota after a cancellation, with the fewest changes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from volunteers.autofill.domain import repair
from volunteers.rota.domain.eligibility import Candidate, OpenShift

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 10, 31, 12, tzinfo=LONDON)
PO = "Post Office training"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=LONDON)


def shift(sid: str, start: datetime, assigned: tuple[str, ...], needed: int = 1, **kw: object) -> OpenShift:
    return OpenShift(sid, start, start + timedelta(hours=3), kw.pop("role", "Shop counter"), "Hall",
                     needed=needed, assigned=assigned, **kw)


def test_direct_replacement_changes_nothing_else() -> None:
    rota = [shift("mon", at(2, 9), ("ann",)), shift("tue", at(3, 9), ("bob",)),
            shift("wed", at(4, 9), (), needed=1)]  # an open place repair must leave alone
    people = [Candidate("ann", "Ann"), Candidate("bob", "Bob"), Candidate("cat", "Cat")]
    proposal = repair(rota, people, tz=LONDON, history={}, cancelled=("mon", "ann"), as_of=AS_OF,
                      time_limit_s=2)
    assert [(a.shift_id, a.candidate_id) for a in proposal.assignments] in (
        [("mon", "bob")], [("mon", "cat")])
    assert proposal.released == ()
    assert proposal.objectives["changes"] == 1


def test_moves_a_qualified_person_when_only_they_can_cover() -> None:
    # Only Bob holds the training; he is on the shop at the same time. Cat can take the shop.
    rota = [shift("post", at(2, 9), ("ann",), role="Post Office counter", required_qualifications=(PO,)),
            shift("shop", at(2, 9), ("bob",))]
    people = [Candidate("ann", "Ann", qualifications={PO: date(2027, 1, 1)}),
              Candidate("bob", "Bob", qualifications={PO: None}), Candidate("cat", "Cat")]
    proposal = repair(rota, people, tz=LONDON, history={}, cancelled=("post", "ann"), as_of=AS_OF,
                      time_limit_s=2)
    assert {(a.shift_id, a.candidate_id) for a in proposal.assignments} == {("post", "bob"), ("shop", "cat")}
    assert {(a.shift_id, a.candidate_id) for a in proposal.released} == {("shop", "bob")}
    assert proposal.places_filled == 1


def test_unknown_place_is_refused() -> None:
    with pytest.raises(ValueError, match="no place cancelled"):
        repair([shift("mon", at(2, 9), ("ann",))], [Candidate("ann", "Ann")], tz=LONDON, history={},
               cancelled=("mon", "zed"), as_of=AS_OF)
