"""The services read narrowed plain columns from the database: their answers must stay the domain's.

The due list and the month's block come from statements that let the
database pick, per case and step, the first contact that can do the step;
these tests hold them to the pure rules (``domain``) fed with *every* case
and contact, on random small organisations and plans, and check that the
number of statements does not grow with the cases.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select

from tests.factories import make_member, make_org
from volunteers.core.models import Organisation
from volunteers.peersupport.domain.due import Case, ContactDone, cases_due
from volunteers.peersupport.domain.figures import MonthContact, peer_support_figures
from volunteers.peersupport.domain.plan import DEFAULT_PLAN, MODES
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.peersupport.services import contact_plan, due_on, month_figures
from volunteers.people.models import Membership

ON = date(2026, 11, 18)
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
AS_OF = datetime(2026, 12, 1, 6, tzinfo=UTC)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
#: a plan unlike the default: a step done before its window opens, one open to every mode, a one-day window
OTHER_PLAN = [
    {"step": "ward_visit", "opens": 0, "due_by": 3, "modes": ["ward", "home"], "done_from": -2},
    {"step": "follow_up_20w", "opens": 30, "due_by": 60, "done_from": 20},
    {"step": "check_in", "opens": 7, "due_by": 7, "modes": ["phone"], "done_from": 7},
]

a_case = st.tuples(st.integers(0, 200), st.none() | st.integers(0, 240), st.booleans())
a_contact = st.tuples(st.integers(0, 7), st.integers(-5, 200), st.sampled_from(MODES), st.integers(1, 120))


def _org(db) -> tuple[Organisation, list[int]]:
    org = make_org("surestart")
    members = [make_member(org, f"c{i}@example.org").id for i in range(2)]
    other = make_org("tackley")
    stranger = make_member(other, "t@example.org")
    # another organisation's case and contacts, which must never be counted
    db.session.add(SupportedPerson(id=9999, organisation_id=other.id, reference="X", first_name="X",
                                   born_on=ON - timedelta(days=150), created_at=CREATED))
    db.session.flush()
    db.session.add(Contact(organisation_id=other.id, supported_person_id=9999, contact_on=ON, mode="ward",
                           minutes=30, membership_id=stranger.id, created_at=CREATED))
    db.session.commit()
    return org, members


def _fill(db, org: Organisation, members: list[int], cases: list, contacts: list) -> tuple[list[Case], list]:
    """Write the cases and contacts; return them as the domain sees them (every one)."""
    db.session.execute(delete(Contact).where(Contact.organisation_id == org.id))
    db.session.execute(delete(SupportedPerson).where(SupportedPerson.organisation_id == org.id))
    domain_cases: list[Case] = []
    rows: list[tuple[str, date, str, int]] = []
    for i, (born_ago, closed_after, assigned) in enumerate(cases):
        born = ON - timedelta(days=born_ago)
        closed = born + timedelta(days=closed_after + 1) if closed_after is not None else None
        member = members[i % 2] if assigned else None
        db.session.add(SupportedPerson(
            id=i + 1, organisation_id=org.id, reference=f"R{i:03d}", first_name="M", born_on=born,
            supporter_membership_id=member, status="closed" if closed else "open", closed_on=closed,
            closed_reason="declined" if closed else None, created_at=CREATED))
        domain_cases.append(Case(f"R{i:03d}", born, f"c{i % 2}@example.org" if assigned else None, closed))
    db.session.flush()
    for which, day, mode, minutes in contacts:
        if which >= len(cases):
            continue
        on = domain_cases[which].born_on + timedelta(days=day)  # after ON too: `cases due --on` a past day
        db.session.add(Contact(organisation_id=org.id, supported_person_id=which + 1, contact_on=on, mode=mode,
                               minutes=minutes, membership_id=members[0], created_at=CREATED))
        rows.append((domain_cases[which].reference, on, mode, minutes))
    db.session.commit()
    return domain_cases, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(a_case, max_size=8), contacts=st.lists(a_contact, max_size=40), other_plan=st.booleans())
def test_the_services_answer_what_the_domain_answers_from_every_row(db, cases, contacts, other_plan) -> None:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "surestart"))
    if org is None:  # the first example (the database lives for the whole test)
        org, members = _org(db)
    else:
        members = list(db.session.scalars(select(Membership.id).where(Membership.organisation_id == org.id)
                                          .order_by(Membership.id)))
    org.settings = {"contact_plan": OTHER_PLAN} if other_plan else {}
    domain_cases, rows = _fill(db, org, members, cases, contacts)
    plan = contact_plan(org)
    assert (plan == DEFAULT_PLAN) is not other_plan

    assert due_on(org, ON) == cases_due(domain_cases, [ContactDone(r, on, m) for r, on, m, _ in rows], plan, ON)
    block = month_figures(org, FIRST, LAST, AS_OF)
    if not domain_cases:
        assert block is None
        return
    in_time = [MonthContact(r, on, m, minutes) for r, on, m, minutes in rows if on <= LAST]
    assert block == peer_support_figures(domain_cases, in_time, plan, FIRST, LAST)


def _statements(db, run) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_cases_due_and_the_block_take_as_many_statements_for_200_cases_as_for_1(db) -> None:
    org, members = _org(db)
    counts = []
    for size in (1, 200):
        # every case has one step overdue and one contact, so each could cost a statement of its own
        _fill(db, org, members, [(150, None, True)] * size, [(i, 1, "ward", 30) for i in range(size)])
        db.session.expire_all()
        assert len(due_on(org, ON)) == size
        counts.append((_statements(db, lambda: due_on(org, ON)),
                       _statements(db, lambda: month_figures(org, date(2026, 6, 1), date(2026, 6, 30), AS_OF))))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 3
