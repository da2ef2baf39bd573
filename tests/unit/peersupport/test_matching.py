"""Ranking counsellors for a mother: language, then area, then room in the caseload, continuity, lighter load."""
from __future__ import annotations

from volunteers.peersupport.domain.access import may_see
from volunteers.peersupport.domain.matching import Counsellor, rank


def _c(mid: int, name: str, languages: tuple[str, ...] = ("English",), areas: tuple[str, ...] = (),
       open_cases: int = 0, limit: int | None = 10, contacts: int = 0) -> Counsellor:
    return Counsellor(mid, name, frozenset(languages), frozenset(areas), open_cases, limit, contacts)


def _names(found) -> list[str]:
    return [s.counsellor.name for s in found]


def test_a_shared_language_comes_first_then_the_area() -> None:
    found = rank([_c(1, "Ann", areas=("Felling",)), _c(2, "Bea", ("English", "polish ")), _c(3, "Cat")],
                 language="Polish", area="felling")
    assert _names(found) == ["Bea", "Ann", "Cat"]
    assert found[0].shares_language and "speaks Polish" in found[0].reasons
    assert found[1].same_area and "covers felling" in found[1].reasons


def test_a_full_caseload_goes_below_everyone_with_room_and_continuity_beats_a_lighter_load() -> None:
    found = rank([_c(1, "Ann", open_cases=8, limit=8, contacts=3), _c(2, "Bea", open_cases=6, limit=10, contacts=1),
                  _c(3, "Cat", open_cases=1, limit=10), _c(4, "Dee", open_cases=2, limit=None)],
                 language="English", area=None)
    assert _names(found) == ["Bea", "Cat", "Dee", "Ann"]
    assert found[-1].reasons[-1] == "8 of 8 cases — at her limit"
    assert "has met her (1 contact)" in found[0].reasons
    assert found[2].reasons[-1] == "2 open cases, no limit set"


def test_the_current_supporter_is_not_suggested_and_ties_go_by_name() -> None:
    found = rank([_c(5, "Zoe"), _c(6, "Amy"), _c(7, "Mia")], language=None, area=None, exclude=7)
    assert _names(found) == ["Amy", "Zoe"]
    assert rank([], language="English", area="Felling") == []


def test_only_coordinators_and_the_supporter_may_see_a_record() -> None:
    assert may_see(is_coordinator=True, membership_id=1, supporter_membership_id=None, membership_status="active")
    assert may_see(is_coordinator=False, membership_id=2, supporter_membership_id=2, membership_status="active")
    assert not may_see(is_coordinator=False, membership_id=3, supporter_membership_id=2, membership_status="active")
    assert not may_see(is_coordinator=False, membership_id=3, supporter_membership_id=None,
                       membership_status="active")


def test_a_paused_membership_opens_no_record() -> None:
    assert not may_see(is_coordinator=False, membership_id=2, supporter_membership_id=2, membership_status="paused")
    assert not may_see(is_coordinator=True, membership_id=1, supporter_membership_id=None, membership_status="paused")
