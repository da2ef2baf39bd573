"""/me/shifts/open a page at a time: the soonest first, "Later shifts" / "Earlier", filters kept (issues 13, 19).

The pages together list exactly what the whole list does; the statements a
page runs do not grow with the organisation's open shifts.
"""
from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from tests.factories import make_site, put_on, utc
from tests.integration.selfservice.conftest import shift_at
from tests.querycount import statements_run
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db as _db
from volunteers.rota.models import Shift
from volunteers.selfservice import open_pages
from volunteers.selfservice.open_pages import Filters, decode_key, encode_key, open_page
from volunteers.selfservice.services import open_shifts

NOW = utc(2026, 11, 2, 8)  # Monday 2 Nov 2026, 08:00 GMT; the clocks went back on 25 Oct


def _many(world, start, n: int, every_hours: int = 3, role=None, site=None) -> list[Shift]:
    """``n`` published two-hour shifts, one every ``every_hours`` from ``start`` (added in one flush)."""
    shifts = [Shift(organisation_id=world.org.id, role_id=(role or world.shop).id, site_id=(site or world.hall).id,
                    starts_at=start + timedelta(hours=every_hours * i),
                    ends_at=start + timedelta(hours=every_hours * i + 2),
                    local_date=local_date(start + timedelta(hours=every_hours * i), world.org.timezone),
                    needed=2, filled=0, status="planned", published_at=start - timedelta(days=60))
              for i in range(n)]
    _db.session.add_all(shifts)
    _db.session.flush()
    return shifts


def _ids(page: open_pages.OpenPage) -> list[int]:
    return [item.shift.id for item in page.items]


def test_the_pages_together_list_the_whole_list_soonest_first_both_ways(world) -> None:
    start = NOW + timedelta(hours=2)
    _many(world, start, 40)
    _many(world, start + timedelta(hours=1), 40, role=world.post_office)  # Ann is not trained for these
    put_on(shift_at(world.org, world.shop, world.hall, start + timedelta(days=2)), world.ann)  # hides 2 by overlap
    whole = [item.shift.id for item in open_shifts([world.ann], NOW)]
    assert len(whole) == 38

    pages, after = [], None
    while True:
        page = open_page([world.ann], NOW, after=after, limit=7)
        pages.append(_ids(page))
        assert (page.earlier is None) == (after is None)
        if page.later is None:
            break
        after = page.later
    assert [len(p) for p in pages] == [7, 7, 7, 7, 7, 3]
    assert [i for p in pages for i in p] == whole

    back = open_page([world.ann], NOW, before=(page.items[0].shift.starts_at, page.items[0].shift.id), limit=7)
    assert _ids(back) == pages[-2] and back.later is not None and back.earlier is not None
    eighth = _db.session.get(Shift, whole[7])
    first = open_page([world.ann], NOW, before=(eighth.starts_at, eighth.id), limit=7)
    assert _ids(first) == whole[:7] and first.earlier is None


def test_filters_by_role_site_day_and_local_weekday(world) -> None:
    annex = make_site(world.org, "Annex")
    start = utc(2026, 11, 3, 23, 30)  # 23:30 on Tuesday in London (GMT)
    at_hall = _many(world, start, 8, every_hours=24)  # Tue 23:30, Wed 23:30, …
    at_annex = _many(world, start + timedelta(hours=3), 8, every_hours=24, site=annex)  # Wed 02:30, …
    hall_ids, annex_ids = [s.id for s in at_hall], [s.id for s in at_annex]

    assert _ids(open_page([world.ann], NOW, filters=Filters(site_id=annex.id))) == annex_ids
    assert _ids(open_page([world.ann], NOW, filters=Filters(role_id=world.post_office.id))) == []
    wednesday = open_page([world.ann], NOW, filters=Filters(weekday=2))
    assert _ids(wednesday) == [annex_ids[0], hall_ids[1], annex_ids[7]]  # 4 and 11 Nov
    on_the_day = open_page([world.ann], NOW, filters=Filters(day=local_date(start, "Europe/London")))
    assert _ids(on_the_day) == [hall_ids[0]]


def test_the_page_shows_thirty_and_links_later_and_earlier_with_the_filters_kept(world, client, auth) -> None:
    now = utcnow()
    _many(world, now + timedelta(hours=2), 45)
    _many(world, now + timedelta(hours=3), 5, role=world.post_office)
    _db.session.commit()
    auth.login("ann@example.org")

    first = client.get(f"/me/shifts/open?role={world.shop.id}").get_data(as_text=True)
    assert len(re.findall(r"/me/shifts/\d+/sign-up", first)) == 30
    assert "more shifts later" in first and "Earlier shifts" not in first
    later = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert f"role={world.shop.id}" in later

    second = client.get(later).get_data(as_text=True)
    assert len(re.findall(r"/me/shifts/\d+/sign-up", second)) == 15 and "Later shifts" not in second
    earlier = unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert f"role={world.shop.id}" in earlier
    again = client.get(earlier).get_data(as_text=True)
    assert re.findall(r"/me/shifts/(\d+)/sign-up", again) == re.findall(r"/me/shifts/(\d+)/sign-up", first)
    assert f'<option value="{world.shop.id}" selected>Shop counter</option>' in again


def test_a_cursor_or_filter_that_is_not_ours_shows_the_first_page(world, client, auth) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=1))
    _db.session.commit()
    auth.login("ann@example.org")
    for query in ("after=yesterday", "before=20261399T000000-1", "role=-1&site=x&weekday=9&day=31-02-2026"):
        response = client.get(f"/me/shifts/open?{query}")
        assert response.status_code == 200 and f"/me/shifts/{shift.id}/sign-up" in response.get_data(as_text=True)
    assert decode_key(encode_key((NOW, 12))) == (NOW, 12) and encode_key((NOW, 12)) == "20261102T080000-12"
    odd = NOW + timedelta(microseconds=5)
    assert decode_key(encode_key((odd, 12))) == (odd, 12)


def test_the_full_shifts_beside_a_page_are_those_of_its_stretch(world, client, auth) -> None:
    now = utcnow()
    shifts = _many(world, now + timedelta(hours=2), 40)
    late_full = shift_at(world.org, world.shop, world.hall, shifts[35].starts_at + timedelta(hours=1), needed=1)
    put_on(late_full, world.bob)
    _db.session.commit()
    auth.login("ann@example.org")
    first = client.get("/me/shifts/open").get_data(as_text=True)
    assert f'id="full-{late_full.id}"' not in first
    later = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert f'id="full-{late_full.id}"' in client.get(later).get_data(as_text=True)


def _statements(client, url: str) -> tuple[int, str]:
    with statements_run() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_a_page_runs_the_same_statements_for_forty_open_shifts_as_for_six_hundred(world, client, auth) -> None:
    now = utcnow()
    _many(world, now + timedelta(hours=2), 40)
    _db.session.commit()
    auth.login("ann@example.org")
    small, _ = _statements(client, "/me/shifts/open")
    narrow = f"/me/shifts/open?role={world.shop.id}&weekday=3"
    small_filtered, _ = _statements(client, narrow)

    _many(world, now + timedelta(hours=3), 280, every_hours=3)
    _many(world, now + timedelta(hours=3, minutes=30), 280, every_hours=3, role=world.post_office)
    _db.session.commit()
    large, page = _statements(client, "/me/shifts/open")
    assert large == small and len(re.findall(r"/me/shifts/\d+/sign-up", page)) == 30
    assert _statements(client, narrow)[0] == small_filtered
