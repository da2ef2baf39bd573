"""/people a page at a time on a large organisation: filters, search and column order kept across pages, the
page size chosen, as many statements for 120 people as for 3 (issue 13)."""
from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD, make_member, make_org
from tests.integration.auth_support import send
from tests.querycount import statements_run
from volunteers.extensions import db as _db
from volunteers.people import services


@pytest.fixture()
def big(db, auth):
    """Cora and 120 volunteers, Volunteer 000 … 119; every third paused, every fifth a DBS check."""
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    dbs = services.qualification_named(org, "DBS check")
    for k in range(120):
        member = make_member(org, f"v{k:03}@example.org", name=f"Volunteer {k:03}", password=None, pledge=k % 7)
        if k % 3 == 0:
            member.status = "paused"
        if k % 5 == 0:
            services.set_qualification(org, member, dbs, None)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return org


def _names(html: str) -> list[str]:
    return re.findall(r">(Volunteer \d{3}|Cora Ordinator)</a>", html)


def test_the_list_is_paged_by_name_and_says_where_it_is(client, big) -> None:
    first = client.get("/people").get_data(as_text=True)
    assert _names(first) == ["Cora Ordinator"] + [f"Volunteer {k:03}" for k in range(49)]
    assert "1–50 of 121 people" in first and "Page 1 of 3" in first and 'rel="next"' in first
    last = client.get("/people?page=3").get_data(as_text=True)
    assert _names(last) == [f"Volunteer {k:03}" for k in range(99, 120)]
    assert "101–121 of 121 people" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert _names(client.get("/people?page=99").get_data(as_text=True)) == _names(last)  # past the end: the last


def test_filters_search_and_order_are_kept_on_the_other_pages(client, big) -> None:
    paused = client.get("/people?status=paused&sort=-name&per=25").get_data(as_text=True)
    assert _names(paused) == [f"Volunteer {k:03}" for k in range(117, -1, -3)][:25]
    assert "1–25 of 40 people" in paused
    [following] = re.findall(r'href="([^"]*)" rel="next"', paused)
    assert sorted(following.split("?")[1].split("&amp;")) == ["page=2", "per=25", "sort=-name", "status=paused"]
    second = client.get("/people?status=paused&sort=-name&per=25&page=2").get_data(as_text=True)
    assert _names(second) == [f"Volunteer {k:03}" for k in range(117, -1, -3)][25:]
    assert _names(client.get("/people?q=volunteer 11").get_data(as_text=True)) == [
        f"Volunteer {k:03}" for k in range(110, 120)]
    checked = client.get("/people?qualification=1&per=100").get_data(as_text=True)
    assert "24 people" in checked


def test_a_column_sorts_both_ways_then_by_name(client, big) -> None:
    by_pledge = client.get("/people?sort=pledge&per=200").get_data(as_text=True)
    expected = sorted(range(120), key=lambda k: (k % 7, k))
    assert _names(by_pledge)[:3] == [f"Volunteer {k:03}" for k in expected[:3]]
    assert 'aria-sort="ascending"' in by_pledge and 'href="/people?sort=-pledge&amp;per=200"' in by_pledge
    reverse = client.get("/people?sort=-pledge&per=200").get_data(as_text=True)
    assert 'aria-sort="descending"' in reverse
    assert _names(reverse)[0] == f"Volunteer {sorted(range(120), key=lambda k: (-(k % 7), k))[0]:03}"


def test_a_bad_page_or_page_size_is_a_400_naming_it_and_an_unknown_order_is_by_name(client, big) -> None:
    assert client.get("/people?page=0").status_code == 400
    assert client.get("/people?page=2x").status_code == 400
    assert client.get("/people?per=7").status_code == 400
    assert _names(client.get("/people?sort=password").get_data(as_text=True))[:2] == ["Cora Ordinator",
                                                                                       "Volunteer 000"]


def test_htmx_filtering_returns_the_rows_with_their_pager(client, big) -> None:
    rows = client.get("/people?status=paused", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in rows and "1–50 of 40" not in rows and "40 people" in rows
    rows = client.get("/people?status=active", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Page 1 of 2" in rows


def test_a_page_costs_the_same_statements_for_3_people_as_for_120(client, db) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    dbs = services.qualification_named(org, "DBS check")
    for k in range(2):
        services.set_qualification(org, make_member(org, f"few{k}@example.org", password=None), dbs, None)
    db.session.commit()
    assert send(client, "POST", "/login", data={"email": "coordinator@tackley.example",
                                                "password": DEFAULT_PASSWORD}).status_code == 302

    def count(url: str) -> list[str]:
        with statements_run() as statements:
            assert send(client, "GET", url).status_code == 200  # its own app context, as in production
        return statements

    urls = ["/people", "/people?sort=-joined&status=active", "/people?q=example&expiring=1&per=200"]
    few = [len(count(url)) for url in urls]
    for k in range(120):
        member = make_member(org, f"many{k}@example.org", password=None)
        services.set_qualification(org, member, dbs, None)
    _db.session.commit()
    many = [count(url) for url in urls]
    assert [len(statements) for statements in many] == few, "\n".join(many[0])
    # who is signed in (with the organisation's change mark: a page kept at it reads nothing more), the page (with
    # how many match and its members' qualification records), the qualifications to filter by
    assert few[0] == 3, "\n".join(many[0])
