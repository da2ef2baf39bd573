"""A week too large to show every card pages by day: one day's cards, the others one line per role."""
from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_role, make_shift, put_on
from tests.querycount import statements_run
from volunteers.core.timeutil import local_date, utcnow
from volunteers.rota import board_views
from volunteers.rota.models import Role


@pytest.fixture()
def busy_week(rota, auth, db, monkeypatch):
    """Next week with three shifts a day in two roles (21 cards), the page limit lowered to 10."""
    monkeypatch.setattr(board_views, "WEEK_CARDS_PER_PAGE", 10)
    today = local_date(utcnow(), "Europe/London")
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    till = make_role(rota.org, "Till")
    for k in range(7):
        for hour, role in ((9, rota.role), (13, rota.role), (17, till)):
            shift = make_shift(rota.org, role, rota.site, monday + timedelta(days=k), time(hour), time(hour + 3),
                               needed=2)
            if k == 2 and hour == 9:
                put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return monday


def _cards(page: str) -> int:
    return len(re.findall(r'<a class="shift', page))


def test_a_large_week_shows_one_days_cards_and_sums_the_rest(client, busy_week) -> None:
    monday = busy_week
    page = client.get(f"/rota?week={monday.isoformat()}").get_data(as_text=True)
    assert _cards(page) == 3  # the first day with shifts (today is not in next week)
    assert 'aria-label="Days of the week"' in page and page.count('aria-current="page">') >= 1
    assert "Till: <span class=\"fill\">0/2</span>" in page  # the other days, one line per role
    assert "Show the 3 shifts of Wednesday" in page
    assert "1 of 42 places filled." in page  # the week's totals still count every shift

    wednesday = client.get(f"/rota?week={monday.isoformat()}&day={(monday + timedelta(days=2)).isoformat()}")
    html = wednesday.get_data(as_text=True)
    assert _cards(html) == 3 and "Ann Archer" in html
    assert f'name="day" value="{(monday + timedelta(days=2)).isoformat()}"' in html  # filters keep the day
    outside = client.get(f"/rota?week={monday.isoformat()}&day={(monday + timedelta(days=9)).isoformat()}")
    assert _cards(outside.get_data(as_text=True)) == 3  # a day outside the week: the first one
    assert client.get(f"/rota?week={monday.isoformat()}&day=someday").status_code == 200


def test_a_filtered_week_small_enough_shows_every_card(client, busy_week, rota) -> None:
    monday = busy_week
    till = next(r for r in client.application.extensions["sqlalchemy"].session.scalars(
        select(Role).where(Role.organisation_id == rota.org.id, Role.name == "Till")))
    page = client.get(f"/rota?week={monday.isoformat()}&role={till.id}").get_data(as_text=True)
    assert 'aria-label="Days of the week"' not in page
    assert _cards(page) == 7  # one a day: under the limit, every card


def test_a_busy_month_day_links_to_its_day_of_the_week(client, busy_week, monkeypatch) -> None:
    monkeypatch.setattr("volunteers.rota.board_period.MONTH_CARDS_PER_DAY", 2)
    monday = busy_week
    page = client.get(f"/rota?view=month&month={monday:%Y-%m}").get_data(as_text=True)
    assert f"day={monday.isoformat()}" in page


def _statements(client, url: str) -> int:
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_paged_week_and_a_summed_month_cost_the_same_statements_for_more_shifts(client, busy_week, rota, db,
                                                                                  monkeypatch) -> None:
    monkeypatch.setattr("volunteers.rota.board_period.MONTH_CARDS_PER_DAY", 2)
    monday = busy_week
    urls = [f"/rota?week={monday.isoformat()}", f"/rota?view=month&month={monday:%Y-%m}"]
    few = [_statements(client, url) for url in urls]
    for k in range(7):  # twice as many shifts each day, with people on them
        for hour in (8, 10, 12):
            shift = make_shift(rota.org, rota.role, rota.site, monday + timedelta(days=k), time(hour),
                               time(hour + 1), needed=1)
            put_on(shift, (rota.ann, rota.bob, rota.cat)[k % 3])
    db.session.commit()
    assert [_statements(client, url) for url in urls] == few
    month = client.get(urls[1]).get_data(as_text=True)
    assert "Shop counter: <span class=\"fill\">" in month  # busy days summed per role, from counts
    assert _cards(client.get(urls[0]).get_data(as_text=True)) == 6
