"""Leave on the rota (issue 17.7): it shows where the person holds places; copy-forward and auto-rota skip it.

Kelly declared leave after she was put on two shifts: adding leave takes nobody
off (``selfservice.leave``), so the board's cards, the print view and the shift
panel say "Kelly Robson is away 21–28 Dec" — read in one statement per page.
"""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_shift, put_on
from tests.querycount import statements_run
from volunteers.autofill import services as autofill
from volunteers.people.models import Leave
from volunteers.rota import periods
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment

MONDAY = date(2026, 12, 21)  # Christmas week


@pytest.fixture()
def kelly(rota, db, clock):
    """Kelly on Tuesday's and Saturday's shift of Christmas week, then on leave 21–28 Dec; Ann on Tuesday too."""
    clock.now = clock.now.replace(day=1)  # Tue 1 Dec 2026
    kelly = make_member(rota.org, "kelly@example.org", name="Kelly Robson", pledge=4)
    tuesday = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=1))
    saturday = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=5), time(13), time(17))
    sunday_after = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=13))  # 3 Jan: back by then
    for shift in (tuesday, saturday, sunday_after):
        put_on(shift, kelly)
    put_on(tuesday, rota.ann)
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=kelly.id, starts_on=MONDAY,
                         ends_on=MONDAY + timedelta(days=7), reason="Family"))
    db.session.commit()
    return kelly, tuesday, saturday, sunday_after


def test_the_week_board_says_who_is_away_on_each_of_their_shifts(client, auth, rota, kelly) -> None:
    _, tuesday, saturday, _ = kelly
    auth.login("coordinator@tackley.example")
    page = client.get(f"/rota?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert page.count("Kelly Robson is away 21–28 Dec") == 2
    card = page[page.index(f'id="shift-{tuesday.id}"'):page.index(f'id="shift-{saturday.id}"')]
    assert "Kelly Robson is away" in card and "Ann Archer is away" not in card


def test_the_month_board_and_print_view_say_it_too(client, auth, rota, kelly) -> None:
    auth.login("coordinator@tackley.example")
    month = client.get("/rota?view=month&month=2026-12").get_data(as_text=True)
    assert month.count("Kelly Robson is away 21–28 Dec") == 2
    printed = client.get(f"/rota/print?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert printed.count("Kelly Robson (away 21–28 Dec)") == 2 and "Ann Archer (away" not in printed


def test_a_shift_after_the_leave_says_nothing(client, auth, rota, kelly) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get(f"/rota?week={(MONDAY + timedelta(days=7)).isoformat()}").get_data(as_text=True)
    assert "Kelly Robson" in page and "is away" not in page


def test_the_shift_panel_says_who_is_away(client, auth, rota, kelly) -> None:
    _, tuesday, _, sunday_after = kelly
    auth.login("coordinator@tackley.example")
    panel = client.get(f"/rota/shifts/{tuesday.id}").get_data(as_text=True)
    assert "Kelly Robson <span class=\"badge warn\">is away 21–28 Dec</span>" in panel
    assert "Ann Archer <span" not in panel
    assert "is away" not in client.get(f"/rota/shifts/{sunday_after.id}").get_data(as_text=True)


def test_an_overnight_shift_into_the_first_day_of_leave_is_flagged(client, auth, rota, kelly, db) -> None:
    kelly_member = kelly[0]
    night = make_shift(rota.org, rota.role, rota.site, MONDAY - timedelta(days=1), time(22), time(6))  # Sun 20th
    put_on(night, kelly_member)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    assert "is away 21–28 Dec" in client.get(f"/rota/shifts/{night.id}").get_data(as_text=True)


def _count(client, url: str) -> int:
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_leave_is_read_once_per_page_however_many_cards_carry_it(client, auth, rota, kelly, db) -> None:
    member, tuesday, *_ = kelly
    auth.login("coordinator@tackley.example")
    urls = (f"/rota?week={MONDAY.isoformat()}", "/rota?view=month&month=2026-12", f"/rota/shifts/{tuesday.id}")
    # with places to fill from the start: the panel of a full shift judges no candidates (it shows none)
    tuesday.needed = 5
    db.session.commit()
    few = [_count(client, url) for url in urls]
    others = [make_member(rota.org, f"away{i}@example.org", name=f"Away {i}") for i in range(6)]
    for i, person in enumerate(others):
        shift = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=i % 7), time(14), time(17))
        put_on(shift, person)
        if i < 2:
            put_on(tuesday, person)
        db.session.add(Leave(organisation_id=rota.org.id, membership_id=person.id, starts_on=MONDAY,
                             ends_on=MONDAY + timedelta(days=2 + i)))
        db.session.add(Leave(organisation_id=rota.org.id, membership_id=person.id,
                             starts_on=MONDAY + timedelta(days=20), ends_on=MONDAY + timedelta(days=22)))
    db.session.commit()
    assert [_count(client, url) for url in urls] == few
    page = client.get(f"/rota?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert page.count("is away") == 2 + 6 + 2  # Kelly twice, each their own shift, two of them on Tuesday


def test_copy_forward_skips_a_person_on_leave_in_the_new_week(rota, kelly, db, clock) -> None:
    member = kelly[0]
    source = make_shift(rota.org, rota.role, rota.site, MONDAY - timedelta(days=5))  # Wed 16 Dec
    target = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=2))  # Wed 23 Dec, empty
    put_on(source, member)
    put_on(source, rota.bob)
    db.session.commit()
    result = periods.copy_forward(rota.org, "week", MONDAY - timedelta(days=7), clock.now)
    assert [(s.name, s.reasons) for s in result.skipped] == [("Kelly Robson", ("on leave 21 Dec 2026 – 28 Dec 2026",))]
    assert result.copied == 1
    holders = set(db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == target.id, Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))))
    assert holders == {rota.bob.id}


def test_the_auto_rota_does_not_place_someone_on_leave(rota, kelly, db, clock) -> None:
    member = kelly[0]
    for other in (rota.ann, rota.bob, rota.cat):
        db.session.add(Leave(organisation_id=rota.org.id, membership_id=other.id, starts_on=MONDAY,
                             ends_on=MONDAY + timedelta(days=6)))
    wednesday = make_shift(rota.org, rota.role, rota.site, MONDAY + timedelta(days=2), needed=1)
    db.session.commit()
    proposal = autofill.propose_fill(rota.org, MONDAY, MONDAY + timedelta(days=6), clock.now, time_limit_s=5)
    placed = {(p.shift_id, p.candidate_id) for p in proposal.assignments}
    # the only one not on leave that week is the coordinator: she is proposed, Kelly nowhere
    assert (str(wednesday.id), str(rota.coordinator.id)) in placed
    assert str(member.id) not in {candidate for _, candidate in placed}
