"""One case's steps on a day, and the next one due: what "my mothers" sorts by."""
from __future__ import annotations

from datetime import date

from volunteers.peersupport.domain.nextdue import next_first_key, next_step, plan_states
from volunteers.peersupport.domain.plan import DEFAULT_PLAN

BORN = date(2026, 7, 3)  # ward visit by 5 Jul; follow-up from 20 Nov (day 140), by 4 Dec (day 154)


def test_states_through_the_plan() -> None:
    ward = [(date(2026, 7, 4), "ward")]
    states = {s.step: s for s in plan_states(BORN, ward, DEFAULT_PLAN, date(2026, 11, 1))}
    assert (states["ward_visit"].state, states["ward_visit"].done_on) == ("done", date(2026, 7, 4))
    assert states["follow_up_20w"].state == "upcoming"
    assert next_step(BORN, ward, DEFAULT_PLAN, date(2026, 11, 30)).state == "due"
    late = next_step(BORN, ward, DEFAULT_PLAN, date(2026, 12, 7))
    assert (late.state, late.days_overdue, late.due_by) == ("overdue", 3, date(2026, 12, 4))


def test_a_contact_too_early_or_of_the_wrong_mode_or_after_the_day_does_not_do_a_step() -> None:
    contacts = [(date(2026, 7, 4), "ward"), (date(2026, 11, 6), "phone"), (date(2026, 11, 25), "group"),
                (date(2026, 12, 2), "home")]
    # day 126 is 6 Nov: the phone call on day 126 counts; on 30 Nov the home visit of 2 Dec is not yet made
    assert next_step(BORN, contacts, DEFAULT_PLAN, date(2026, 11, 30)) is None
    assert next_step(BORN, contacts[2:], DEFAULT_PLAN, date(2026, 11, 30)).step == "ward_visit"
    assert next_step(BORN, [(date(2026, 7, 4), "ward"), (date(2026, 12, 2), "home")], DEFAULT_PLAN,
                     date(2026, 11, 30)).state == "due"


def test_the_next_due_first_and_nothing_left_last() -> None:
    soon = next_step(date(2026, 11, 29), [], DEFAULT_PLAN, date(2026, 11, 30))
    later = next_step(BORN, [(date(2026, 7, 4), "ward")], DEFAULT_PLAN, date(2026, 11, 30))
    keys = sorted([next_first_key(None, "A"), next_first_key(later, "B"), next_first_key(soon, "C")])
    assert [k[2] for k in keys] == ["C", "B", "A"]
