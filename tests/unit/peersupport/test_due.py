"""DESIGN's ``cases due --on D`` rules on a labelled set (plan date = day 0, local calendar days)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.peersupport.domain.due import Case, ContactDone, cases_due
from volunteers.peersupport.domain.plan import DEFAULT_PLAN, MODES, plan_from_data

BORN = date(2026, 6, 1)


def day(n: int, start: date = BORN) -> date:
    return start + timedelta(days=n)


def due(cases, contacts, on):
    return [(i.reference, i.step, i.status, i.days_overdue) for i in cases_due(cases, contacts, DEFAULT_PLAN, on)]


def test_ward_visit_is_due_from_day_0_to_day_2_then_overdue():
    case = [Case("M1", BORN, "ann@example.org")]
    assert due(case, [], day(-1)) == []
    assert due(case, [], day(0)) == [("M1", "ward_visit", "due", 0)]
    assert due(case, [], day(2)) == [("M1", "ward_visit", "due", 0)]
    assert due(case, [], day(3)) == [("M1", "ward_visit", "overdue", 1)]
    item = cases_due(case, [], DEFAULT_PLAN, day(3))[0]
    assert item.as_json() == {"reference": "M1", "step": "ward_visit", "opens": "2026-06-01",
                              "due_by": "2026-06-03", "status": "overdue", "days_overdue": 1,
                              "supporter": "ann@example.org"}


def test_follow_up_opens_on_day_140_closes_day_154():
    case = [Case("M1", BORN)]
    ward = [ContactDone("M1", day(1), "ward")]
    assert due(case, ward, day(139)) == []
    assert due(case, ward, day(140)) == [("M1", "follow_up_20w", "due", 0)]
    assert due(case, ward, day(154)) == [("M1", "follow_up_20w", "due", 0)]
    assert due(case, ward, day(160)) == [("M1", "follow_up_20w", "overdue", 6)]


def test_ward_visit_needs_a_ward_contact_dated_day_0_or_later():
    case = [Case("M1", BORN)]
    assert due(case, [ContactDone("M1", day(-1), "ward")], day(1)) == [("M1", "ward_visit", "due", 0)]
    assert due(case, [ContactDone("M1", day(0), "phone")], day(1)) == [("M1", "ward_visit", "due", 0)]
    assert due(case, [ContactDone("M1", day(0), "ward")], day(1)) == []
    # late is still done (the step is no longer listed), only the report counts it as not done by its close
    assert due(case, [ContactDone("M1", day(5), "ward")], day(6)) == []


@pytest.mark.parametrize(("mode", "on", "done"), [
    ("phone", 126, True), ("home", 126, True), ("helpline", 150, True),
    ("phone", 125, False),  # early: before day 126
    ("ward", 141, False), ("group", 141, False),  # modes that do not count
])
def test_follow_up_done_by_any_mode_but_ward_and_group_dated_day_126_or_later(mode, on, done):
    case = [Case("M1", BORN)]
    contacts = [ContactDone("M1", day(0), "ward"), ContactDone("M1", day(on), mode)]
    assert (due(case, contacts, day(150)) == []) is done


def test_a_contact_dated_after_d_does_not_count_for_d():
    case = [Case("M1", BORN)]
    contacts = [ContactDone("M1", day(4), "ward")]
    assert due(case, contacts, day(3)) == [("M1", "ward_visit", "overdue", 1)]
    assert due(case, contacts, day(4)) == []


def test_a_case_closed_on_or_before_d_lists_nothing():
    closed = Case("M1", BORN, closed_on=day(3))
    assert due([closed], [], day(2)) == [("M1", "ward_visit", "due", 0)]
    assert due([closed], [], day(3)) == []
    assert due([closed], [], day(200)) == []


def test_sorted_by_due_by_then_reference():
    cases = [Case("B", BORN), Case("A", BORN), Case("C", day(-150))]
    items = cases_due(cases, [ContactDone("C", day(-150), "ward")], DEFAULT_PLAN, day(1))
    assert [(i.reference, i.step) for i in items] == [("A", "ward_visit"), ("B", "ward_visit"),
                                                      ("C", "follow_up_20w")]


def test_windows_count_local_days_across_the_clock_change():
    # born the day before the clocks go back (25 Oct 2026, Europe/London): day 2 is 26 Oct all the same
    born = date(2026, 10, 24)
    case = [Case("M1", born)]
    assert due(case, [], date(2026, 10, 26)) == [("M1", "ward_visit", "due", 0)]
    assert due(case, [], date(2026, 10, 27)) == [("M1", "ward_visit", "overdue", 1)]
    assert due(case, [ContactDone("M1", date(2026, 10, 25), "ward")], date(2026, 10, 27)) == []
    # born before the spring change (29 Mar 2026): 140 local days later, whatever the hours
    spring = [Case("M2", date(2026, 3, 28))]
    assert due(spring, [ContactDone("M2", date(2026, 3, 28), "ward")], date(2026, 8, 15)) == \
        [("M2", "follow_up_20w", "due", 0)]
    assert due(spring, [ContactDone("M2", date(2026, 3, 28), "ward")], date(2026, 8, 14)) == []


def test_an_organisation_plan_replaces_the_default():
    plan = plan_from_data([{"step": "call_day_7", "opens": 5, "due_by": 7, "modes": ["phone"]}])
    items = cases_due([Case("M1", BORN)], [], plan, day(8))
    assert [(i.step, i.status, i.days_overdue) for i in items] == [("call_day_7", "overdue", 1)]
    assert cases_due([Case("M1", BORN)], [ContactDone("M1", day(5), "phone")], plan, day(8)) == []


@pytest.mark.parametrize("data", [
    [{"step": "x", "opens": 3, "due_by": 1}],
    [{"step": "x", "opens": 0, "due_by": 2, "modes": ["fax"]}],
    [{"step": "Bad Name", "opens": 0, "due_by": 2}],
    [{"step": "x", "opens": 0, "due_by": 2}, {"step": "x", "opens": 0, "due_by": 2}],
    [{"step": "x", "opens": "0", "due_by": 2}],
    [{"step": "x", "opens": 0, "due_by": 2, "done_from": 3}],
])
def test_malformed_plans_are_refused(data):
    with pytest.raises(ValueError):
        plan_from_data(data)


def test_default_plan_round_trips_as_data():
    assert plan_from_data(DEFAULT_PLAN.as_data()) == DEFAULT_PLAN
    assert plan_from_data(None) == DEFAULT_PLAN


offsets = st.integers(min_value=-10, max_value=400)
contact_lists = st.lists(st.tuples(offsets, st.sampled_from(MODES)), max_size=6)


@given(born=offsets, on=offsets, contacts=contact_lists)
def test_contacts_after_d_never_change_what_is_due_on_d(born, on, contacts):
    case = [Case("M", day(born))]
    all_contacts = [ContactDone("M", day(n), mode) for n, mode in contacts]
    up_to_d = [c for c in all_contacts if c.on <= day(on)]
    assert cases_due(case, all_contacts, DEFAULT_PLAN, day(on)) == cases_due(case, up_to_d, DEFAULT_PLAN, day(on))


@given(born=offsets, on=offsets, contacts=contact_lists)
def test_every_item_has_opened_and_days_overdue_agrees_with_status(born, on, contacts):
    case = [Case("M", day(born))]
    items = cases_due(case, [ContactDone("M", day(n), mode) for n, mode in contacts], DEFAULT_PLAN, day(on))
    for item in items:
        assert item.opens <= day(on)
        assert item.days_overdue == max((day(on) - item.due_by).days, 0)
        assert (item.status == "overdue") == (day(on) > item.due_by)
    assert [(i.due_by, i.reference) for i in items] == sorted((i.due_by, i.reference) for i in items)
