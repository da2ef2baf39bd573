"""Members and shifts become the eligibility domain's values, in a fixed number of queries."""
from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.people import services as people
from volunteers.people.domain.availability import parse_availability
from volunteers.people.models import Leave
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import check

LONDON = ZoneInfo("Europe/London")


def test_candidate_carries_qualifications_availability_leave_and_duties(db) -> None:
    org = make_org()
    po = people.qualification_named(org, "Post Office training")
    role = make_role(org, "Post Office counter", requires=(po.id,))
    site = make_site(org)
    ann = make_member(org, "ann@example.org", password=None)
    people.set_qualification(org, ann, po, date(2030, 1, 14))
    people.set_availability(org, ann, parse_availability("Mon 08:00-14:00;Fri 08:00-14:00"))
    db.session.add(Leave(organisation_id=org.id, membership_id=ann.id,
                         starts_on=date(2030, 1, 25), ends_on=date(2030, 1, 25)))
    monday = make_shift(org, role, site, date(2030, 1, 7), time(9), time(13), needed=1)
    later = make_shift(org, role, site, date(2030, 1, 21), time(9), time(13), needed=1)
    friday_leave = make_shift(org, role, site, date(2030, 1, 25), time(9), time(13), needed=1)
    tuesday = make_shift(org, role, site, date(2030, 1, 8), time(9), time(13), needed=1)
    clash = make_shift(org, make_role(org, "Café"), site, date(2030, 1, 7), time(12), time(15), needed=1)
    put_on(clash, ann)
    start, end = monday.starts_at - timedelta(days=1), friday_leave.ends_at
    candidate = load_candidates(org, None, start, end)[ann.id]
    assert candidate.qualifications == {"Post Office training": date(2030, 1, 14)}
    assert [str(w) for w in candidate.availability] == ["Mon 08:00-14:00", "Fri 08:00-14:00"]
    codes = lambda shift: [r.code for r in check(candidate, open_shift_for(org, shift), LONDON)]  # noqa: E731
    assert codes(monday) == ["overlap"]
    assert codes(later) == ["not_qualified"]
    assert codes(tuesday) == ["unavailable"]
    assert codes(friday_leave) == ["not_qualified", "on_leave"]


def test_open_shift_lists_people_already_on_it(db) -> None:
    org = make_org()
    role, site = make_role(org, "Helpline", on_call=True), make_site(org)
    shift = make_shift(org, role, site, date(2030, 1, 7), time(23), time(7), needed=2)
    ann = make_member(org, "ann@example.org", password=None)
    put_on(shift, ann)
    open_shift = open_shift_for(org, shift)
    assert open_shift.assigned == (str(ann.id),)
    assert open_shift.on_call and open_shift.open_places == 1
    assert open_shift.hours == 8


def test_loading_many_candidates_takes_a_fixed_number_of_queries(db) -> None:
    org = make_org()
    quals = people.qualification_named(org, "DBS check")

    def queries_for(n: int) -> int:
        for i in range(n):
            m = make_member(org, f"p{n}-{i}@example.org", password=None)
            people.set_qualification(org, m, quals, None)
        db.session.flush()
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            load_candidates(org, None, make_shift_start(), make_shift_start() + timedelta(days=7))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert queries_for(3) == queries_for(30)


def make_shift_start():
    from tests.factories import utc

    return utc(2030, 1, 6)
