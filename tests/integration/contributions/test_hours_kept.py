"""/me/hours' kept content (``contributions.hours_page``) is the page made afresh, after every change it shows.

Each view of a kept page is compared with the same view made after the kept pages are dropped: hours logged,
approved and reversed, a role renamed and archived, the organisation renamed, the day and the month moving,
another volunteer of the same organisation, and a volunteer of two organisations. The page drawn around it
(``core.page_frame``) is compared with base.html rendered as always.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_member, make_org
from tests.integration.selfservice.conftest import make_world
from tests.page_text import MADE_AT as _MADE_AT
from tests.page_text import TOKENS as _TOKENS
from volunteers.contributions import hours_page
from volunteers.contributions.models import Contribution
from volunteers.core.timeutil import local_to_utc
from volunteers.extensions import db as _db

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)  # a Monday, the last day of a month


@pytest.fixture()
def world(db, clock):
    clock.now = NOW
    made = make_world()
    db.session.commit()
    return made


def _masked(response) -> str:
    assert response.status_code == 200
    return _MADE_AT.sub("T", _TOKENS.sub("TOKEN", response.get_data(as_text=True)))


def _same_kept_and_afresh(app, client) -> str:
    """The page served twice (made or kept, then kept) is the page made afresh and rendered without a frame."""
    served = [_masked(client.get("/me/hours")) for _ in range(2)]
    assert hours_page.PAGES.texts(), "nothing was kept"
    hours_page.forget()
    app.jinja_env.auto_reload = True  # rendered as always: no frame
    try:
        afresh = _masked(client.get("/me/hours"))
    finally:
        app.jinja_env.auto_reload = False
    assert served == [afresh, afresh]
    return afresh


def _entry(org_id: int, membership_id: int, day, hours: str, status: str = "approved",
           role_id: int | None = None) -> Contribution:
    entry = Contribution(
        organisation_id=org_id, membership_id=membership_id, kind="time", stage="delivery", role_id=role_id,
        hours=Decimal(hours), amount=Decimal(0), occurred_at=local_to_utc(day, time(10), "Europe/London"),
        occurred_on=day, status=status, decided_at=NOW if status != "pending" else None)
    _db.session.add(entry)
    _db.session.commit()
    return entry


def test_the_kept_page_follows_every_change_it_shows(app, client, auth, world, clock) -> None:
    auth.login("ann@example.org")
    page = _same_kept_and_afresh(app, client)
    assert "This month: 0 h" in page
    _same_kept_and_afresh(app, client)  # kept from the start: then changed under it
    today = NOW.date()
    _entry(world.org.id, world.ann.id, today, "3.5")
    assert "This month: 3.5 h" in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)
    client.get("/me/hours")  # kept again
    _entry(world.org.id, world.ann.id, today - timedelta(days=40), "2", status="pending")
    assert "2 h" in _masked(client.get("/me/hours")).split("October 2026")[1].split("</tr>")[0]
    _same_kept_and_afresh(app, client)
    _entry(world.org.id, world.ann.id, today, "-3.5")  # a reversal
    assert "This month: 0 h" in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)
    client.get("/me/hours")
    world.shop.name = "Shop till"
    _db.session.commit()
    assert "Shop till" in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)
    world.post_office.archived_at = NOW
    _db.session.commit()
    assert "Post Office counter" not in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)


def test_the_day_and_the_month_move_the_page(app, client, auth, world, clock) -> None:
    auth.login("ann@example.org")
    clock.now = NOW - timedelta(days=1)
    _entry(world.org.id, world.ann.id, NOW.date() - timedelta(days=1), "1")
    _same_kept_and_afresh(app, client)
    client.get("/me/hours")
    clock.now = NOW  # the next day of the same month: the form's day moves
    before = _same_kept_and_afresh(app, client)
    assert 'value="2026-11-30"' in before and "November 2026" in before
    client.get("/me/hours")
    clock.now = NOW + timedelta(days=1)  # 1 December: the form's day and the months shown move
    after = _masked(client.get("/me/hours"))
    assert 'value="2026-12-01"' in after and "This month: 0 h" in after
    assert after == _same_kept_and_afresh(app, client)


def test_each_volunteer_has_their_own_page(app, client, auth, world) -> None:
    auth.login("ann@example.org")  # Ann and Bob have given no hours: the same rows read
    assert f'id="hours-{world.ann.id}"' in _same_kept_and_afresh(app, client)
    client.get("/me/hours")  # Ann's page kept
    auth.logout()
    auth.login("bob@example.org")
    assert f'id="hours-{world.bob.id}"' in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)


def test_another_organisations_month_moves_its_section(app, client, auth, world, clock) -> None:
    other = make_org("auckland", "Auckland Helpline", timezone="Pacific/Auckland")
    make_member(other, "ann@example.org")
    _db.session.commit()
    clock.now = NOW - timedelta(hours=2)  # 23:00 on 30 November in Auckland, 10:00 in London
    auth.login("ann@example.org")
    _same_kept_and_afresh(app, client)
    client.get("/me/hours")
    clock.now = NOW  # 1 December in Auckland, the same day in London
    page = _masked(client.get("/me/hours"))
    assert "December 2026" in page
    assert page == _same_kept_and_afresh(app, client)


def test_a_volunteer_of_two_organisations_sees_both(app, client, auth, world) -> None:
    other = make_org("surestart", "Sure Start")
    make_member(other, "ann@example.org")
    _db.session.commit()
    auth.login("ann@example.org")
    page = _same_kept_and_afresh(app, client)
    assert "Sure Start" in page
    client.get("/me/hours")
    world.org.name = "Tackley Village Shop"
    _db.session.commit()
    assert "Tackley Village Shop" in _masked(client.get("/me/hours"))
    _same_kept_and_afresh(app, client)
