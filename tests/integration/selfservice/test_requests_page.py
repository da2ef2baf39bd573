"""/rota/requests: open requests first; no-show buttons for recent shifts by default, older ones on request,
25 places to a page."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import put_on
from tests.querycount import statements_run
from volunteers.extensions import db as _db
from volunteers.rota.models import ShiftOffer

from .conftest import shift_at


def _buttons(page: str) -> list[str]:
    return re.findall(r"/rota/places/(\d+)/no-show", page)


def test_no_shows_are_recent_by_default_older_on_request_and_paginated(world, client, auth, clock) -> None:
    now = clock.now
    recent = [put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(hours=4 + i), hours=3, needed=1),
                     world.ann) for i in range(30)]  # ended 1 to 30 hours ago
    under_way = put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(hours=1), hours=3), world.bob)
    older = put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(days=5)), world.cat)
    too_old = put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(days=20)), world.cat)
    _db.session.commit()
    auth.login("coord@example.org")

    first = client.get("/rota/requests").get_data(as_text=True)
    assert first.index("Waiting for you") < first.index("Who didn't come?")  # open requests first
    assert len(_buttons(first)) == 25 and str(under_way.id) in _buttons(first)  # the newest first
    assert "Page 1 of 2 (31 places)" in first and str(older.id) not in _buttons(first)
    second = client.get("/rota/requests?page=2").get_data(as_text=True)
    assert len(_buttons(second)) == 6 and str(recent[-1].id) in _buttons(second)
    assert 'href="/rota/requests#no-shows" rel="prev"' in second

    old = client.get("/rota/requests?noshows=older").get_data(as_text=True)
    # ids checked in the places' addresses: a bare "33" also turns up in tokens and fingerprints
    assert _buttons(old) == [str(older.id)] and f"/rota/places/{too_old.id}/" not in old
    assert 'aria-current="page">Older' in old and "Page 1 of" not in old

    # marking from page 2 comes back to page 2
    back = client.post(f"/rota/places/{recent[-1].id}/no-show?page=2")
    assert back.status_code == 302 and back.location.endswith("/rota/requests?page=2#no-shows")
    assert client.get("/rota/requests?page=zero").status_code == 200  # bad page numbers show the first page


def _request_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="offer" id="request-(\d+)">', page)]


def test_requests_are_paginated_yours_first_and_filtered_by_kind(world, client, auth, clock) -> None:
    now = clock.now
    offers = []
    for i in range(14):  # open swaps: a colleague may still take them, nothing for the coordinator yet
        place = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(days=1, hours=i)), world.ann)
        offers.append(ShiftOffer(organisation_id=world.org.id, assignment_id=place.id, shift_id=place.shift_id,
                                 kind="swap", status="open"))
    later = put_on(shift_at(world.org, world.shop, world.hall, now + timedelta(days=9)), world.bob)
    cancel = ShiftOffer(organisation_id=world.org.id, assignment_id=later.id, shift_id=later.shift_id,
                        kind="cancel_request", status="open")
    ended = put_on(shift_at(world.org, world.shop, world.hall, now - timedelta(days=2)), world.cat)
    over = ShiftOffer(organisation_id=world.org.id, assignment_id=ended.id, shift_id=ended.shift_id,
                      kind="cancel_request", status="open")
    _db.session.add_all([*offers, cancel, over])
    _db.session.commit()
    auth.login("coord@example.org")

    first = client.get("/rota/requests").get_data(as_text=True)
    # the one waiting for an answer first, though its shift is the latest; then open swaps, soonest first
    assert _request_ids(first) == [cancel.id, *(o.id for o in offers[:9])]
    assert "Page 1 of 2 (15 requests)" in first and over.id not in _request_ids(first)
    assert "All (15)" in first and "Late cancellation (1)" in first and "Swap (14)" in first
    second = client.get("/rota/requests?requests_page=2").get_data(as_text=True)
    assert _request_ids(second) == [o.id for o in offers[9:]]
    assert 'href="/rota/requests#pending-heading" rel="prev"' in second

    cancels = client.get("/rota/requests?kind=cancel_request").get_data(as_text=True)
    assert _request_ids(cancels) == [cancel.id] and 'aria-current="page">Late cancellation (1)' in cancels
    assert "Page 1 of" not in cancels.split("Who didn't come?")[0]
    # the forms come back to the same filter and page
    assert f"/rota/requests/{cancel.id}/approve?kind=cancel_request" in cancels
    back = client.post(f"/rota/requests/{cancel.id}/decline?kind=cancel_request&requests_page=1")
    assert back.status_code == 302 and back.location.endswith("/rota/requests?kind=cancel_request&requests_page=1")
    # an unknown kind or a bad page number shows everything, from the first page
    assert _request_ids(client.get("/rota/requests?kind=nonsense&requests_page=x").get_data(as_text=True)) == \
        _request_ids(client.get("/rota/requests").get_data(as_text=True))


def _statements(client, url: str) -> int:
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_requests_page_costs_the_same_statements_for_one_request_or_a_full_page(world, client, auth, clock) -> None:
    def add_requests(count: int, start: int) -> None:
        for i in range(start, start + count):
            who = (world.ann, world.bob, world.cat)[i % 3]
            place = put_on(shift_at(world.org, world.shop, world.hall, clock.now + timedelta(days=1, hours=i)), who)
            _db.session.add(ShiftOffer(organisation_id=world.org.id, assignment_id=place.id, shift_id=place.shift_id,
                                       kind=("swap", "cancel_request")[i % 2], status="open",
                                       offered_to_membership_id=world.cat.id if i % 3 == 0 else None))
        _db.session.commit()

    auth.login("coord@example.org")
    add_requests(1, 0)
    one = _statements(client, "/rota/requests")
    add_requests(14, 1)
    assert _statements(client, "/rota/requests") == one
