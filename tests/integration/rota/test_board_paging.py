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
    monkeypatch.setattr("volunteers.rota.queries.MONTH_CARDS_PER_DAY", 2)
    monday = busy_week
    page = client.get(f"/rota?view=month&month={monday:%Y-%m}").get_data(as_text=True)
    assert f"day={monday.isoformat()}" in page


def test_paging_costs_no_more_statements_than_the_whole_week(client, busy_week, monkeypatch) -> None:
    monday = busy_week
    url = f"/rota?week={monday.isoformat()}"
    with statements_run() as paged:
        assert client.get(url).status_code == 200
    monkeypatch.setattr(board_views, "WEEK_CARDS_PER_PAGE", 1000)
    with statements_run() as whole:
        assert _cards(client.get(url).get_data(as_text=True)) == 21
    assert len(paged) == len(whole)
