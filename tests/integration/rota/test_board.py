"""The coordinator's board: week and month views, gaps, filters, htmx partials, the print sheet, constant queries."""
from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from markupsafe import escape

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from tests.querycount import statements_run
from volunteers.core.timeutil import local_date, utcnow


def today() -> date:
    return local_date(utcnow(), "Europe/London")


@pytest.fixture()
def board(rota, auth, db):
    """Next week: a Monday shift with a gap, a full Wednesday one at another site."""
    monday = today() - timedelta(days=today().weekday()) + timedelta(days=7)
    cafe = make_site(rota.org, "Café")
    gap = make_shift(rota.org, rota.role, rota.site, monday, needed=2)
    put_on(gap, rota.ann)
    full = make_shift(rota.org, rota.role, cafe, monday + timedelta(days=2), time(14), time(17), needed=1)
    put_on(full, rota.bob)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return rota, monday, gap, full, cafe


def test_week_board_shows_needed_filled_names_and_gaps(client, board) -> None:
    rota, monday, gap, full, _ = board
    page = client.get(f"/rota?week={monday.isoformat()}").get_data(as_text=True)
    assert "Ann Archer" in page and "Bob Baker" in page
    assert f'id="shift-{gap.id}"' in page and "1/2" in page and "1 to fill" in page
    assert "2 of 3 places filled." in page and "1 place to fill." in page
    assert f"/rota/shifts/{gap.id}" in page


def test_filters_by_site_and_gaps(client, board) -> None:
    rota, monday, gap, full, cafe = board
    by_site = client.get(f"/rota?week={monday.isoformat()}&site={cafe.id}").get_data(as_text=True)
    assert "Bob Baker" in by_site and "Ann Archer" not in by_site
    gaps = client.get(f"/rota?week={monday.isoformat()}&gaps=1").get_data(as_text=True)
    assert "Ann Archer" in gaps and "Bob Baker" not in gaps


def test_htmx_navigation_returns_only_the_board(client, board) -> None:
    rota, monday, *_ = board
    page = client.get(f"/rota?week={(monday + timedelta(days=7)).isoformat()}", headers={"HX-Request": "true"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" not in text
    assert f"week={monday.isoformat()}" in text  # the previous-week link


def test_month_view_shows_every_shift_of_the_month(client, board) -> None:
    rota, monday, gap, full, _ = board
    page = client.get(f"/rota?view=month&month={monday:%Y-%m}").get_data(as_text=True)
    assert f'id="shift-{gap.id}"' in page
    assert monday.strftime("%B %Y") in page
    assert "Week view" in page


def test_unreadable_dates_fall_back_to_this_week(client, board) -> None:
    assert client.get("/rota?week=soon").status_code == 200
    assert client.get("/rota?view=month&month=2026-13").status_code == 200


def test_print_sheet_lists_names_and_open_places(client, board) -> None:
    rota, monday, *_ = board
    page = client.get(f"/rota/print?week={monday.isoformat()}").get_data(as_text=True)
    assert "/static/print.css" in page and "Ann Archer" in page and "Bob Baker" in page
    sheet = client.get("/static/print.css")
    assert "size: A4" in sheet.get_data(as_text=True)  # A4 landscape, from its stylesheet
    sheet.close()
    assert page.count('class="gap">needed') == 1


def test_volunteers_cannot_see_the_board(client, rota, auth) -> None:
    auth.login("ann@example.org")
    assert client.get("/rota").status_code == 403
    assert client.get("/rota/print").status_code == 403


def count_queries(db, client, url: str) -> int:
    with statements_run() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_month_board_renders_in_a_constant_number_of_queries(client, board, db) -> None:
    rota, monday, *_ = board
    url = f"/rota?view=month&month={monday:%Y-%m}"
    few = count_queries(db, client, url)
    first = monday.replace(day=1)
    roles = [make_role(rota.org, f"Role {i}") for i in range(4)]
    sites = [make_site(rota.org, f"Site {i}") for i in range(3)]
    people = [make_member(rota.org, f"p{i}@example.org", password=None) for i in range(12)]
    for i in range(40):
        shift = make_shift(rota.org, roles[i % 4], sites[i % 3], first + timedelta(days=i % 28),
                           time(8 + i % 6), time(15))
        put_on(shift, people[i % 12])
        if i % 2:
            put_on(shift, people[(i + 5) % 12])
    db.session.commit()
    assert count_queries(db, client, url) == few
    assert count_queries(db, client, f"/rota?week={first.isoformat()}") == few


def test_another_organisations_shift_is_a_404(client, board, db) -> None:
    other = make_org("surestart")
    shift = make_shift(other, make_role(other), make_site(other), board[1])
    db.session.commit()
    assert client.get(f"/rota/shifts/{shift.id}").status_code == 404
    assert client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": board[0].ann.id}).status_code == 404


def test_a_busy_day_in_the_month_reads_as_one_line_per_role(client, board, db) -> None:
    rota, monday, *_ = board
    day = monday + timedelta(days=4)
    for hour in range(8, 17):
        make_shift(rota.org, rota.role, rota.site, day, time(hour), time(hour + 1), needed=1)
    put_on(make_shift(rota.org, rota.role, rota.site, day, time(18), time(19), needed=1), rota.cat)
    db.session.commit()
    page = client.get(f"/rota?view=month&month={day:%Y-%m}").get_data(as_text=True)
    assert 'Shop counter: <span class="fill">1/10</span> <span class="gap">9 to fill</span>' in page


def test_the_month_days_link_to_their_week_as_url_for_writes_it(app, client, board, db) -> None:
    """The month joins each day's link by hand (once, not url_for per day): the same URL, filters and all."""
    rota, monday, gap, full, cafe = board
    for _ in range(9):  # a busy Monday: summed per role, so its link opens the week on that day
        make_shift(rota.org, rota.role, rota.site, monday, time(18), time(20))
    db.session.commit()
    for query, filters in (("", {}), (f"&site={cafe.id}&gaps=1", {"site": cafe.id, "gaps": 1}),
                           (f"&role={rota.role.id}", {"role": rota.role.id})):
        page = client.get(f"/rota?view=month&month={monday:%Y-%m}{query}").get_data(as_text=True)
        with app.test_request_context():
            busy = url_for("rota.board", week=monday.isoformat(),  # at the café alone, Monday is not busy
                           day=None if "site" in filters else monday.isoformat(), **filters)
            quiet = url_for("rota.board", week=(monday + timedelta(days=1)).isoformat(), **filters)
        assert f'href="{escape(busy)}"' in page and f'href="{escape(quiet)}"' in page
        assert (f"{full.starts_at.astimezone(ZoneInfo('Europe/London')):%H:%M}–"
                f"{full.ends_at.astimezone(ZoneInfo('Europe/London')):%H:%M}") in page or filters.get("gaps")
