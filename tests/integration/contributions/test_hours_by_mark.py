"""/me/hours served at its organisations' change marks (``contributions.hours_page.BY_MARK``) is the page made
afresh, on the local day and months it was made for, and only for its own volunteer."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests import at_mark
from tests.at_mark import same
from tests.factories import make_member, make_org, utc
from tests.integration.selfservice.conftest import make_world
from volunteers.contributions import hours_page
from volunteers.contributions.models import Contribution
from volunteers.core.timeutil import local_to_utc
from volunteers.extensions import db as _db

NOW = utc(2026, 7, 31, 12)  # Friday 31 July 2026, 13:00 in London (BST: local midnight is 23:00 UTC)
MIDNIGHT = utc(2026, 7, 31, 23)  # Saturday 1 August, 00:00 in London: a new day and a new month


@pytest.fixture(autouse=True)
def _none_kept(app):
    with app.app_context():
        hours_page.forget()


def view(client, orgs: int = 1) -> tuple[str, bool]:
    """The page, and whether it was served at the marks (a page never kept reads none: ``orgs=0``)."""
    return at_mark.view(client, "/me/hours", orgs)


def afresh(client, app, orgs: int = 1) -> str:
    return at_mark.afresh(app, hours_page.forget, lambda: view(client, orgs))


def entry(membership, hours: str, day=None, status: str = "approved") -> None:
    day = day or NOW.date()
    _db.session.add(Contribution(
        organisation_id=membership.organisation_id, membership_id=membership.id, kind="time", stage="delivery",
        hours=Decimal(hours), amount=Decimal(0), occurred_at=local_to_utc(day, time(10), "Europe/London"),
        occurred_on=day, status=status, decided_at=NOW if status != "pending" else None))
    _db.session.commit()


@pytest.fixture()
def ann(db, clock, client, auth):
    clock.now = NOW
    world = make_world()
    _db.session.commit()
    entry(world.ann, "3.5")
    entry(world.ann, "2", day=NOW.date() - timedelta(days=40), status="pending")
    auth.login("ann@example.org")
    return world


def test_served_at_the_mark_is_the_page_made_afresh(ann, client, app) -> None:
    made, served_made = view(client)
    kept, served_kept = view(client)
    assert served_kept and not served_made
    assert same(kept) == same(made) == afresh(client, app)
    assert "This month: 3.5 h" in kept and 'value="2026-07-31"' in kept and "Shop counter" in kept


def test_writes_from_elsewhere_show_on_the_next_view(ann, client, app) -> None:
    page, _ = view(client)
    assert 'Waiting">2 h' in page.split("June 2026")[1].split("</tr>")[0]
    with _db.engine.begin() as conn:  # not the app: a console, another worker
        conn.execute(text("UPDATE roles SET name = 'Shop till' WHERE id = :id"), {"id": ann.shop.id})
    page, served = view(client)
    assert not served and "Shop till" in page and same(page) == afresh(client, app)
    assert view(client)[1]
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE contributions SET status = 'approved', decided_at = occurred_at "
                          "WHERE status = 'pending'"))  # a coordinator's approval
    page, served = view(client)
    assert not served and 'Approved">2 h' in page.split("June 2026")[1].split("</tr>")[0]
    assert same(page) == afresh(client, app)


def test_the_day_and_the_month_move_at_local_midnight(ann, client, app, clock) -> None:
    view(client)
    clock.now = MIDNIGHT - timedelta(microseconds=1)
    assert view(client)[1]
    clock.now = MIDNIGHT  # the form's day and the months shown move
    page, served = view(client)
    assert not served and 'value="2026-08-01"' in page and "This month: 0 h" in page
    assert same(page) == afresh(client, app)


def test_the_forms_day_moves_at_local_midnight(ann, client, app, clock) -> None:
    clock.now = utc(2026, 7, 30, 12)
    view(client)
    clock.now = utc(2026, 7, 30, 23) - timedelta(microseconds=1)
    assert view(client)[1]
    clock.now = utc(2026, 7, 30, 23)  # Friday 31 July in London: the same month
    page, served = view(client)
    assert not served and 'value="2026-07-31"' in page
    assert same(page) == afresh(client, app)


def test_another_organisations_month_moves_its_section(ann, client, app, clock) -> None:
    other = make_org("auckland", "Auckland Helpline", timezone="Pacific/Auckland")
    make_member(other, "ann@example.org")
    _db.session.commit()
    clock.now = utc(2026, 7, 31, 11, 59)  # 23:59 on 31 July in Auckland (NZST), 12:59 in London
    view(client, orgs=2)
    assert view(client, orgs=2)[1]
    clock.now = utc(2026, 7, 31, 12)  # 1 August in Auckland, the same day in London: only its month moves
    page, served = view(client, orgs=2)
    assert not served and "August 2026" in page
    assert same(page) == afresh(client, app, orgs=2)


def test_each_organisations_mark_counts(ann, client, app) -> None:
    other = make_world("elsewhere", prefix="x")
    make_member(other.org, "ann@example.org")
    _db.session.commit()
    view(client, orgs=2)
    assert view(client, orgs=2)[1]
    with _db.engine.begin() as conn:  # the second organisation's role
        conn.execute(text("UPDATE roles SET name = 'Post counter' WHERE id = :id"), {"id": other.post_office.id})
    page, served = view(client, orgs=2)
    assert not served and "Post counter" in page and same(page) == afresh(client, app, orgs=2)


def test_a_page_made_of_values_loaded_before_a_change_is_not_served_after_it(ann, client, app) -> None:
    # a change to the organisation's row committed between the sign-in read and the mark: the page made then holds
    # the old values under the new mark (simulated: the mark set back to the one the page was kept at)
    view(client)
    at_mark.changed_behind_the_mark(ann.org.id, "UPDATE memberships SET status = 'paused' WHERE id = :id",
                                    {"id": ann.ann.id})
    page, served = view(client)
    assert not served and same(page) == afresh(client, app)


def test_each_volunteer_is_served_their_own_page(ann, client, app) -> None:
    other = make_world("elsewhere", prefix="x")
    _db.session.commit()
    bob, xann = at_mark.signed_in(app, "bob@example.org", "xann@example.org")
    anns, _ = view(client)
    assert view(client)[1]
    for other_client in (bob, xann):
        page, served = view(other_client)
        assert not served and "This month: 0 h" in page and same(page) == afresh(other_client, app)
    assert "This month: 3.5 h" in anns and other.org.id != ann.org.id


def test_a_page_with_a_message_is_not_kept(ann, client, app) -> None:
    view(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Thank you! 2 h logged")]
    page, served = view(client, orgs=0)
    assert not served and "Thank you!" in page
    view(client)  # neither served nor kept with the message: kept again now
    page, served = view(client)
    assert served and "Thank you!" not in page


def test_a_development_server_keeps_nothing(ann, client, app, monkeypatch) -> None:
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)
    view(client, orgs=0)
    view(client, orgs=0)


def test_a_long_page_is_not_kept_at_the_marks(ann, client, app, monkeypatch) -> None:
    monkeypatch.setattr(hours_page, "LONGEST", 1000)
    view(client)
    assert not view(client)[1]


def test_the_pages_kept_at_the_marks_are_bounded(ann, client, app, clock) -> None:
    for day in range(hours_page.BY_MARK_AT_MOST + 3):  # a key a day
        clock.now = NOW + timedelta(days=day)
        view(client)
    with app.app_context():
        assert 0 < len(hours_page.BY_MARK.texts()) <= hours_page.BY_MARK_AT_MOST
