"""Kept prospective answers: reused only while the rows, the policy, the local date and the clock's edges hold.

Each test judges once, changes one thing the answer depends on, and judges
again: the second answer must be what judging afresh (an empty store) gives.
Each fails if the part of the key or the comparison it is about is removed.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.integration.wellbeing.conftest import MONDAY, NOW
from volunteers.wellbeing import kept_prospects
from volunteers.wellbeing import prospective as prospective_module
from volunteers.wellbeing.services import prospective_warnings


@pytest.fixture()
def judged(monkeypatch):
    """Count the judgements made (not read from the store), starting from an empty store."""
    kept_prospects.store().answers.clear()
    calls = []
    real = prospective_module.judge_added

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(prospective_module, "judge_added", counting)
    return calls


def _afresh(org, membership, shifts, now):
    kept_prospects.store().answers.clear()
    return prospective_warnings(org, membership, shifts, now)


def _full(warnings):
    return [(w, w.to_dict()) for w in warnings]


def test_the_same_rows_at_a_steady_instant_are_answered_from_the_store(db, helpline, member, judged) -> None:
    margaret = member("margaret@example.org", pledge=6)
    long_day = helpline.shift(MONDAY + timedelta(days=2), "09:00", "18:00")
    first = prospective_warnings(helpline.org, margaret, [long_day], NOW)
    again = prospective_warnings(helpline.org, margaret, [long_day], NOW + timedelta(minutes=5))
    assert [w.rule for w in first] == ["long_duty"]
    assert _full(again) == _full(first)
    assert len(judged) == 1
    again.clear()  # a caller's list is its own
    assert prospective_warnings(helpline.org, margaret, [long_day], NOW) == first


def test_a_new_place_is_judged_again(db, helpline, member, judged) -> None:
    margaret = member("margaret@example.org", pledge=2)
    helpline.place(margaret, MONDAY - timedelta(days=7), "09:00", "11:00", status="attended")
    tuesday = helpline.shift(MONDAY + timedelta(days=1), "09:00", "13:00")
    before = prospective_warnings(helpline.org, margaret, [tuesday], NOW)
    for day in (2, 3, 4):  # 12 more hours that week: a pledge of 2 h a week far exceeded
        helpline.place(margaret, MONDAY + timedelta(days=day), "09:00", "13:00")
    after = prospective_warnings(helpline.org, margaret, [tuesday], NOW)
    assert "over_pledge" not in {w.rule for w in before} and "over_pledge" in {w.rule for w in after}
    assert _full(after) == _full(_afresh(helpline.org, margaret, [tuesday], NOW))


def test_personal_limits_are_part_of_the_answer(db, helpline, member, judged) -> None:
    careful = member("careful@example.org", pledge=None)
    four_hours = helpline.shift(MONDAY + timedelta(days=2), "09:00", "13:00")
    assert prospective_warnings(helpline.org, careful, [four_hours], NOW) == []
    careful.limits = {"long_duty": {"warning": 3}}
    assert [w.rule for w in prospective_warnings(helpline.org, careful, [four_hours], NOW)] == ["long_duty"]


def test_the_organisations_policy_is_part_of_the_answer(db, helpline, member, judged) -> None:
    margaret = member("margaret@example.org", pledge=None)
    four_hours = helpline.shift(MONDAY + timedelta(days=2), "09:00", "13:00")
    assert prospective_warnings(helpline.org, margaret, [four_hours], NOW) == []
    helpline.org.settings = {"load_policy": {"long_duty": {"warning": 3}}}
    assert [w.rule for w in prospective_warnings(helpline.org, margaret, [four_hours], NOW)] == ["long_duty"]


def test_once_the_new_shift_has_begun_its_warning_is_no_longer_prospective(db, helpline, member, judged) -> None:
    margaret = member("margaret@example.org", pledge=None)
    afternoon = helpline.shift(MONDAY, "14:00", "23:00")  # 9 h today, from two hours after NOW
    (planned,) = prospective_warnings(helpline.org, margaret, [afternoon], NOW)
    (begun,) = prospective_warnings(helpline.org, margaret, [afternoon], NOW + timedelta(hours=2, minutes=30))
    assert (planned.rule, planned.prospective, begun.prospective) == ("long_duty", True, False)
    assert len(judged) == 2


def test_on_another_local_date_supervision_is_counted_again(db, helpline, member, judged) -> None:
    counsellor = member("counsellor@example.org", pledge=None)
    counsellor.last_supervised_on = MONDAY - timedelta(days=100)
    visit = helpline.shift(MONDAY - timedelta(days=3), "09:00", "13:00", helpline.ward)  # recorded afterwards
    today = [w for w in prospective_warnings(helpline.org, counsellor, [visit], NOW) if w.rule == "supervision_due"]
    tomorrow_at = NOW + timedelta(days=1)
    tomorrow = [w for w in prospective_warnings(helpline.org, counsellor, [visit], tomorrow_at)
                if w.rule == "supervision_due"]
    assert today and tomorrow and today[0].value + 1 == tomorrow[0].value
    assert _full(tomorrow) == _full([w for w in _afresh(helpline.org, counsellor, [visit], tomorrow_at)
                                     if w.rule == "supervision_due"])


def test_the_store_is_bounded(db, helpline, member, judged, monkeypatch) -> None:
    monkeypatch.setattr(kept_prospects, "AT_MOST", 3)
    margaret = member("margaret@example.org", pledge=6)
    shifts = [helpline.shift(MONDAY + timedelta(days=day), "09:00", "18:00") for day in range(1, 6)]
    for shift in shifts:
        prospective_warnings(helpline.org, margaret, [shift], NOW)
    answers = kept_prospects.store().answers
    assert len(answers) == 3
    assert len(judged) == 5
    prospective_warnings(helpline.org, margaret, [shifts[-1]], NOW)  # the newest is still kept
    assert len(judged) == 5


def test_only_instants_always_at_utc_in_one_zone_are_kept() -> None:
    utc, etc = datetime(2026, 10, 25, 1, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Etc/UTC"))
    london = ZoneInfo("Europe/London")
    assert kept_prospects.utc_zone([]) is None
    assert kept_prospects.utc_zone([utc, utc]) is UTC
    assert kept_prospects.utc_zone([etc]) is ZoneInfo("Etc/UTC")
    # London is at offset 0 in winter, yet 01:30 on 25 Oct 2026 is two instants that compare equal
    assert kept_prospects.utc_zone([datetime(2026, 12, 1, tzinfo=london)]) is kept_prospects.MIXED
    assert kept_prospects.utc_zone([utc, etc]) is kept_prospects.MIXED
    assert kept_prospects.utc_zone([datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1)))]) \
        is kept_prospects.MIXED


def test_an_answer_judged_from_many_places_is_not_kept(db, helpline, member, judged, monkeypatch) -> None:
    monkeypatch.setattr(kept_prospects, "MOST_PLACES", 2)
    busy = member("busy@example.org", pledge=6)
    for day in (1, 2, 3):
        helpline.place(busy, MONDAY - timedelta(days=day), "09:00", "11:00", status="attended")
    friday = helpline.shift(MONDAY + timedelta(days=4), "09:00", "13:00")
    prospective_warnings(helpline.org, busy, [friday], NOW)
    prospective_warnings(helpline.org, busy, [friday], NOW)
    assert len(judged) == 2 and not kept_prospects.store().answers


def test_a_naive_now_is_refused_before_the_store_is_asked(db, helpline, member, judged) -> None:
    margaret = member("margaret@example.org", pledge=6)
    long_day = helpline.shift(MONDAY + timedelta(days=2), "09:00", "18:00")
    prospective_warnings(helpline.org, margaret, [long_day], NOW)  # kept
    with pytest.raises(ValueError, match="aware"):
        prospective_warnings(helpline.org, margaret, [long_day], NOW.replace(tzinfo=None))
