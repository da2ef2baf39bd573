"""Publishing asks once: the confirmation says how many shifts and how many people the service will tell."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.rota.models import Shift

MONDAY = date(2026, 12, 7)


@pytest.fixture()
def coordinator(rota, auth, clock):
    auth.login("coordinator@tackley.example")
    return rota


def _mail() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_publish_asks_first_with_the_services_counts(client, coordinator, clock) -> None:
    rota = coordinator
    first = make_shift(rota.org, rota.role, rota.site, MONDAY, needed=2)
    make_shift(rota.org, rota.role, rota.site, date(2026, 12, 9), needed=1)
    put_on(first, rota.ann)
    put_on(first, rota.bob)
    db.session.commit()

    asked = client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat()})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "2 shifts will show as published (2 of them are a draft now)" in page
    assert "2 volunteers</strong>" in page and 'name="confirm" value="1"' in page
    assert "published before" not in page
    assert " style=" not in page and "<style" not in page and "<script>" not in page  # strict CSP
    assert _mail() == 0 and db.session.scalar(select(func.count()).where(Shift.published_at.is_not(None))) == 0

    done = client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat(), "confirm": "1"})
    assert done.status_code == 302 and _mail() == 2

    # publishing again: nothing changed, so nobody is told, and the page says why
    again = client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat()}).get_data(as_text=True)
    assert "published before" in again and "only the people whose shifts are new" in again
    assert "Nobody will get an e-mail" in again and "are a draft now" not in again
    put_on(make_shift(rota.org, rota.role, rota.site, date(2026, 12, 10), needed=1), rota.cat)
    db.session.commit()
    changed = client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat()}).get_data(as_text=True)
    assert "1 volunteer</strong>" in changed and "(1 of them is a draft now)" in changed
    client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat(), "confirm": "1"})
    assert _mail() == 3  # the service told exactly the one the page announced


def test_a_role_and_site_of_the_same_name_are_said_once(client, coordinator, auth, clock) -> None:
    from tests.factories import make_role, make_site

    rota = coordinator
    cafe = make_shift(rota.org, make_role(rota.org, "Café"), make_site(rota.org, "Café"), MONDAY, needed=1)
    shop = make_shift(rota.org, rota.role, rota.site, date(2026, 12, 8), needed=1)
    put_on(cafe, rota.ann)
    put_on(shop, rota.ann)
    db.session.commit()
    client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat(), "confirm": "1"})
    mail = db.session.scalar(select(OutboxMessage))
    for body in (mail.body_text, mail.body_html):
        assert "Café at Café" not in body and ": Café" in body
        assert "Shop counter at Village hall shop" in body
    auth.logout()
    auth.login("ann@example.org")
    mine = client.get("/me/shifts").get_data(as_text=True)
    assert "Café</strong> at" not in mine and "Shop counter</strong> at Village hall shop" in mine


def test_e_mail_links_point_where_the_app_is_served(app, rota, clock) -> None:
    from volunteers.rota import periods

    put_on(make_shift(rota.org, rota.role, rota.site, MONDAY, needed=1), rota.ann)
    put_on(make_shift(rota.org, rota.role, rota.site, date(2026, 12, 14), needed=1), rota.bob)
    db.session.commit()
    week = periods.Period.of("week", MONDAY)
    # from a page: the request's own address, when BASE_URL is unset
    with app.test_request_context("/rota/publish", base_url="http://127.0.0.1:5055"):
        periods.publish(rota.org, week, clock.now)
    # from a job or a command (no request): the configured address or its default
    periods.publish(rota.org, periods.Period.of("week", date(2026, 12, 14)), clock.now)
    bodies = {m.to_address: m.body_text for m in db.session.scalars(select(OutboxMessage))}
    assert "http://127.0.0.1:5055/me/shifts" in bodies["ann@example.org"]
    assert f"{app.config['SERVER_NAME_FOR_LINKS']}/me/shifts" in bodies["bob@example.org"]
    assert app.config["SERVER_NAME_FOR_LINKS"] == "http://127.0.0.1:5000"  # BASE_URL is unset in the tests


def test_busy_month_days_count_their_drafts(client, coordinator, clock) -> None:
    rota = coordinator
    for hour in range(9):  # more than a day's cards: the day shows one line per role
        make_shift(rota.org, rota.role, rota.site, MONDAY, needed=1, start=time(8 + hour), end=time(9 + hour))
    db.session.commit()
    month = client.get("/rota?view=month&month=2026-12").get_data(as_text=True)
    assert '<span class="badge draft" title="Not published yet">9 draft</span>' in month
    client.post("/rota/publish", data={"kind": "week", "day": MONDAY.isoformat(), "confirm": "1"})
    assert "9 draft" not in client.get("/rota?view=month&month=2026-12").get_data(as_text=True)
