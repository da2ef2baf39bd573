"""/me/shifts/open keeps what it judged of each shift between views (``selfservice.open_list``), served again
only while what it was judged from is unchanged: each step below changes one input and must change the page."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import shift_at
from volunteers.core.timeutil import local_date
from volunteers.extensions import db as _db
from volunteers.people import services as people
from volunteers.selfservice import open_list
from volunteers.selfservice.leave import add_leave

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT


def _offered(client) -> tuple[set[int], str]:
    page = client.get("/me/shifts/open").get_data(as_text=True)
    return {int(found) for found in re.findall(r"/me/shifts/(\d+)/sign-up", page)}, page


def test_kept_answers_follow_qualifications_duties_leave_and_the_zone(world, client, auth, clock) -> None:
    clock.now = NOW
    shop = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3, 9))  # Tue 09:00 GMT
    post = shift_at(world.org, world.post_office, world.hall, utc(2026, 11, 4, 9))
    later = shift_at(world.org, world.shop, world.hall, utc(2026, 11, 6, 9))
    _db.session.commit()
    auth.login("ann@example.org")
    assert _offered(client)[0] == {shop.id, later.id}  # no Post Office training
    assert _offered(client)[0] == {shop.id, later.id}  # the kept answers

    training = people.qualification_named(world.org, "Post Office training")
    people.set_qualification(world.org, world.ann, training, expires_on=None)
    _db.session.commit()
    assert _offered(client)[0] == {shop.id, post.id, later.id}  # the qualifications held changed

    put_on(shift_at(world.org, world.post_office, world.hall, utc(2026, 11, 6, 10)), world.ann)
    _db.session.commit()
    assert _offered(client)[0] == {shop.id, post.id}  # a duty now clashes with the later shift

    add_leave(world.org, world.ann, local_date(NOW, "Europe/London") + timedelta(days=1), None, "away",
              local_date(NOW, "Europe/London"))
    _db.session.commit()
    offered, page = _offered(client)
    assert offered == {post.id} and "09:00" in page  # on leave the day of the shop shift

    world.org.timezone = "America/New_York"
    _db.session.commit()
    offered, page = _offered(client)
    assert offered == {post.id} and "04:00" in page and "09:00" not in page  # printed in the new zone


def test_a_member_s_kept_answers_make_room_by_dropping_shifts_begun(world, client, auth, clock, monkeypatch) -> None:
    """Bounded: past ``SLOTS_AT_MOST`` the answers of shifts begun go first, so a volunteer browsing day after day
    does not grow a worker's memory, and the page is the same."""
    monkeypatch.setattr(open_list, "SLOTS_AT_MOST", 4)
    clock.now = NOW
    shifts = [shift_at(world.org, world.shop, world.hall, utc(2026, 11, 3 + n, 9)) for n in range(6)]
    _db.session.commit()
    auth.login("ann@example.org")
    assert _offered(client)[0] == {s.id for s in shifts}
    clock.now = utc(2026, 11, 6, 12)  # the first four have begun
    assert _offered(client)[0] == {s.id for s in shifts[4:]}
    slots = next(kept.slots for key, kept in open_list._KEPT.items() if key[1] == world.ann.id)
    assert len(slots) <= 4
    assert _offered(client)[0] == {s.id for s in shifts[4:]}
