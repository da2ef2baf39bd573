"""The month's ``peer_support`` figures against a hand count (November 2026)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from volunteers.peersupport.domain.due import Case
from volunteers.peersupport.domain.figures import MonthContact, peer_support_figures
from volunteers.peersupport.domain.plan import DEFAULT_PLAN, MODES, plan_from_data

NOV1, NOV30 = date(2026, 11, 1), date(2026, 11, 30)


def figures(cases, contacts, plan=DEFAULT_PLAN):
    return peer_support_figures(cases, contacts, plan, NOV1, NOV30)


def test_hand_counted_month():
    cases = [
        Case("A", date(2026, 11, 5)),                                # registered; ward visit closes 7 Nov, done 6 Nov
        Case("B", date(2026, 11, 29)),                               # registered; ward visit closes 1 Dec: not in Nov
        Case("C", date(2026, 10, 30)),                               # closes 1 Nov: due; visited 3 Nov (late): not done
        Case("D", date(2026, 11, 10), closed_on=date(2026, 11, 11)),  # closed before 12 Nov: not due
        Case("E", date(2026, 11, 10), closed_on=date(2026, 11, 12)),  # closed on the day: still due, not done
        Case("F", date(2026, 6, 20)),                                # follow-up closes 21 Nov: due, phoned day 130
        Case("G", date(2026, 6, 25)),                                # follow-up closes 26 Nov: due, only a group
        Case("H", date(2026, 6, 10)),                                # follow-up closes 11 Nov: due, phoned day 125
    ]
    contacts = [
        MonthContact("A", date(2026, 11, 6), "ward", 45),
        MonthContact("C", date(2026, 11, 3), "ward", 30),
        MonthContact("F", date(2026, 10, 28), "phone", 20),          # day 130, in October: done, not counted by mode
        MonthContact("G", date(2026, 11, 20), "group", 90),
        MonthContact("H", date(2026, 10, 13), "phone", 15),          # day 125: too early
        MonthContact("B", date(2026, 12, 1), "ward", 30),            # December: not counted
    ]
    assert figures(cases, contacts) == {
        "registered": 4,  # A, B, D, E
        "ward_visit_due": 3, "ward_visit_done": 1,  # C, A, E; A done
        "follow_up_due": 3, "follow_up_done": 1,  # F, G, H; F done
        "contacts": {"ward": 2, "home": 0, "phone": 0, "group": 1, "helpline": 0},
        "contact_hours": {"ward": Decimal("1.25"), "home": Decimal("0.00"), "phone": Decimal("0.00"),
                          "group": Decimal("1.50"), "helpline": Decimal("0.00")},
    }


def test_a_plan_without_the_reported_steps_counts_zero():
    plan = plan_from_data([{"step": "call", "opens": 0, "due_by": 3}])
    block = figures([Case("A", date(2026, 11, 5))], [], plan)
    assert (block["registered"], block["ward_visit_due"], block["follow_up_due"]) == (1, 0, 0)


@given(cases=st.lists(st.tuples(st.integers(-200, 40), st.one_of(st.none(), st.integers(0, 80))), max_size=8),
       contacts=st.lists(st.tuples(st.integers(0, 7), st.integers(-200, 60), st.sampled_from(MODES),
                                   st.integers(1, 720)), max_size=12))
def test_done_never_exceeds_due_and_hours_follow_minutes(cases, contacts):
    made = [Case(f"R{i}", NOV1 + timedelta(days=born),
                 closed_on=None if closed is None else NOV1 + timedelta(days=born + closed))
            for i, (born, closed) in enumerate(cases)]
    seen = [MonthContact(f"R{i}", NOV1 + timedelta(days=on), mode, minutes) for i, on, mode, minutes in contacts]
    block = figures(made, seen)
    assert 0 <= block["ward_visit_done"] <= block["ward_visit_due"] <= len(made)
    assert 0 <= block["follow_up_done"] <= block["follow_up_due"] <= len(made)
    in_month = [c for c in seen if NOV1 <= c.on <= NOV30]
    assert sum(block["contacts"].values()) == len(in_month)
    assert abs(sum(block["contact_hours"].values()) - Decimal(sum(c.minutes for c in in_month)) / 60) <= \
        Decimal("0.005") * len(MODES)
