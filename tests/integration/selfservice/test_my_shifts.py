"""/me/shifts: next shift first with who else is on, then past ones; both organisations labelled; no N+1."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import make_member, put_on
from tests.integration.selfservice.conftest import make_world, shift_at
from tests.querycount import statements_run
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db as _db
from volunteers.selfservice import swaps


def test_next_shift_first_with_colleagues_then_past_ones(world, client, auth) -> None:
    now = utcnow()
    later = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(days=6)), world.ann)
    sooner = shift_at(world.org, world.shop, world.hall, now + timedelta(days=2))
    put_on(sooner, world.ann)
    put_on(sooner, world.bob)
    put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(days=3)), world.ann)
    _db.session.commit()
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    coming, past = page.split('id="past-heading"')
    assert coming.index("Your next shift") < coming.index(f'id="place-{later.id}"')
    assert "With Bob." in coming.split(f'id="place-{later.id}"')[0]
    assert "Shop counter" in past and "None in the last two months" not in past
    assert 'class="badge org"' not in page  # one organisation: no labels


def test_a_person_in_two_organisations_sees_both_labelled(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    ann_there = make_member(other.org, "ann@example.org")
    now = utcnow()
    put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(days=2)), world.ann)
    put_on(shift_at(other.org, other.shop, other.hall, now + timedelta(days=3)), ann_there)
    _db.session.commit()
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert '<span class="badge org">Tackley</span>' in page and '<span class="badge org">Surestart</span>' in page


def _page_queries(client, url: str) -> int:
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_run_a_fixed_number_of_queries(world, client, auth) -> None:
    now = utcnow()

    def add_week(offset: int) -> None:
        for day in range(7):
            start = now + timedelta(days=offset + day, hours=1)
            put_on(shift_at(world.org, world.shop, world.hall, start), world.ann)
            colleague = put_on(shift_at(world.org, world.shop, world.hall, start + timedelta(hours=5)), world.bob)
            put_on(colleague.shift, world.cat)
            swaps.offer_place(world.org, world.bob, colleague.id, now)
            shift_at(world.org, world.shop, world.hall, start + timedelta(hours=10))  # open
        _db.session.commit()

    add_week(1)
    auth.login("ann@example.org")
    urls = ("/me/shifts", "/me/shifts/open")
    first = {url: _page_queries(client, url) for url in urls}
    # issue 13: 16 and 20 before /me/shifts read my places with who else is on them in one statement and
    # asked first whether any offer or waiting-list entry could show, and /me/shifts/open judged once, with
    # a candidate read in two statements; 14 before /me/shifts read its announcements with that probe;
    # 7 before the candidate's duties were read with the candidate, in one statement; 13 before the offers'
    # candidates had their qualifications, availability and leave read in one statement (7e84ea3); /me/shifts/open
    # made reads the organisation's change mark first and, to be kept at it, until when the clock lets it stand
    # (6 before); viewed again at the same mark, the sign-in read (two) and the mark alone
    assert first == {"/me/shifts": 11, "/me/shifts/open": 8}
    again = {url: _page_queries(client, url) for url in urls}
    assert again == {"/me/shifts": 11, "/me/shifts/open": 3}
    add_week(8)
    add_week(15)
    assert {url: _page_queries(client, url) for url in urls} == first
    assert {url: _page_queries(client, url) for url in urls} == again


def test_the_load_note_shows_what_the_stored_verdict_says(world, client, auth, clock) -> None:
    monday = clock.now.replace(hour=9)  # Mon 30 Nov 2026, GMT
    long_one = shift_at(world.org, world.shop, world.hall, monday + timedelta(days=8), hours=7)  # next week
    put_on(long_one, world.ann)
    _db.session.commit()  # judged as the unit of work commits: a long duty (over 6 h)
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert ("One of your duties runs 7 h (09:00 on Tue 8 Dec 2026) — thank you; do take breaks, "
            "and it&#39;s fine to ask for a shorter one.") in page


def test_open_shifts_are_read_with_their_role_qualification_and_site_in_one_statement(world, client, auth) -> None:
    now = utcnow()
    for day in range(3):
        shift_at(world.org, world.post_office, world.hall, now + timedelta(days=day + 1))
        shift_at(world.org, world.shop, world.hall, now + timedelta(days=day + 1, hours=5))
    _db.session.commit()
    auth.login("ann@example.org")

    with statements_run() as statements:
        page = client.get("/me/shifts/open").get_data(as_text=True)

    assert "Shop counter" in page
    shift_reads = [s for s in statements if "FROM shifts" in s and "qualifications" in s]
    # one for the open shifts, one for the full ones whose waiting list Ann may join
    assert len(shift_reads) == 2 and all("JOIN sites" in read for read in shift_reads)
    assert not any(s.lstrip().startswith("SELECT qualifications.") for s in statements), "\n".join(statements)
