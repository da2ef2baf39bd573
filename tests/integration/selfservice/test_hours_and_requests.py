"""/me/hours (approved hours by month, logging hours for approval), the requests page, no-shows, the outbox."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.factories import put_on
from tests.integration.selfservice.conftest import shift_at
from volunteers.contributions.models import Contribution
from volunteers.core.timeutil import Month, local_date, local_to_utc, utcnow
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment


def _entry(world, day, hours: str, status: str = "approved") -> None:
    from datetime import time

    _db.session.add(Contribution(
        organisation_id=world.org.id, membership_id=world.ann.id, kind="time", stage="delivery",
        hours=Decimal(hours), amount=Decimal(0), occurred_at=local_to_utc(day, time(10), "Europe/London"),
        occurred_on=day, status=status, decided_at=utcnow() if status != "pending" else None))


def test_hours_this_month_and_before(world, client, auth) -> None:
    today = local_date(utcnow(), "Europe/London")
    last_month = today.replace(day=1) - timedelta(days=1)
    _entry(world, today.replace(day=1), "3.5")
    _entry(world, today.replace(day=1), "1", status="pending")
    _entry(world, last_month, "4")
    _entry(world, last_month, "2", status="rejected")
    _db.session.commit()
    auth.login("ann@example.org")
    page = client.get("/me/hours").get_data(as_text=True)
    assert "This month: 3.5 h" in page and "1 h waiting for approval" in page
    assert f'<th scope="row">{Month.of(last_month).name}</th><td class="num" data-label="Approved">4 h</td>' in page


def test_logging_hours_makes_a_pending_entry_and_bad_input_shows_on_the_field(world, client, auth) -> None:
    auth.login("ann@example.org")
    today = local_date(utcnow(), "Europe/London")
    ok = client.post("/me/hours", data={"organisation_id": world.org.id, "day": today.isoformat(), "hours": "2.5",
                                        "role_id": world.shop.id, "note": "Stock count"})
    assert ok.status_code == 302
    entry = _db.session.scalar(select(Contribution))
    assert entry.status == "pending" and entry.hours == Decimal("2.5") and entry.membership_id == world.ann.id
    too_many = client.post("/me/hours", data={"organisation_id": world.org.id, "day": today.isoformat(), "hours": "30"})
    assert too_many.status_code == 400 and "Between 0.25 and 24" in too_many.get_data(as_text=True)
    future = client.post("/me/hours", data={"organisation_id": world.org.id,
                                            "day": (today + timedelta(days=2)).isoformat(), "hours": "2"})
    assert future.status_code == 400 and "has not happened yet" in future.get_data(as_text=True)
    assert len(_db.session.scalars(select(Contribution)).all()) == 1


def test_a_no_show_is_counted_once(world, client, auth) -> None:
    place = put_on(shift_at(world.org, world.shop, world.hall, utcnow() - timedelta(days=2)), world.ann)
    _db.session.commit()
    auth.login("coord@example.org")
    page = client.get("/rota/requests").get_data(as_text=True)
    assert f"/rota/places/{place.id}/no-show" in page
    assert client.post(f"/rota/places/{place.id}/no-show").status_code == 302
    assert client.post(f"/rota/places/{place.id}/no-show").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Assignment, place.id).status == "no_show"
    assert _db.session.get(Membership, world.ann.id).no_show_count == 1


def test_a_future_shift_cannot_be_marked_and_volunteers_cannot_see_the_page(world, client, auth) -> None:
    place = put_on(shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=2)), world.ann)
    _db.session.commit()
    auth.login("coord@example.org")
    client.post(f"/rota/places/{place.id}/no-show")
    _db.session.expire_all()
    assert _db.session.get(Assignment, place.id).status == "assigned"
    assert client.get("/outbox").status_code == 200
    auth.logout()
    auth.login("ann@example.org")
    for url in ("/rota/requests", "/outbox"):
        assert client.get(url).status_code == 403
    assert client.post(f"/rota/places/{place.id}/no-show").status_code == 403


def test_the_blank_log_form_follows_the_day_and_the_roles(world, client, auth, clock) -> None:
    """The blank form is kept between views (contributions.my_hours): kept by what it shows, never stale."""
    auth.login("ann@example.org")
    today = local_date(clock.now, "Europe/London")

    def day_shown() -> str:
        page = client.get("/me/hours").get_data(as_text=True)
        field = re.search(r'<input[^>]*name="day"[^>]*>', page)
        assert field is not None
        value = re.search(r'value="([^"]*)"', field.group(0))
        assert value is not None
        return value.group(1)

    assert day_shown() == today.isoformat()
    assert day_shown() == today.isoformat()  # the kept form
    clock.now += timedelta(days=1)
    assert day_shown() == (today + timedelta(days=1)).isoformat()
    world.shop.name = "Shop till"
    _db.session.commit()
    page = client.get("/me/hours").get_data(as_text=True)
    assert ">Shop till</option>" in page and ">Shop counter</option>" not in page
