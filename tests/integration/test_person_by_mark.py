"""A person's page served at the organisation's change mark (``people.kept_pages.person_at_mark``) is the page made
afresh, on the local day it was made for, and only for its own viewer."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests import at_mark
from tests.at_mark import same
from tests.factories import make_member, utc
from tests.integration.selfservice.conftest import make_world
from volunteers.extensions import db as _db
from volunteers.people import kept_pages, services, supervision
from volunteers.people.domain.availability import parse_availability

NOW = utc(2026, 7, 14, 12)  # Tuesday 14 July 2026, 13:00 in London (BST: local midnight is 23:00 UTC)
TODAY = date(2026, 7, 14)
MIDNIGHT = utc(2026, 7, 14, 23)  # Wednesday 15 July, 00:00 in London


@pytest.fixture(autouse=True)
def _none_kept(app):
    with app.app_context():
        kept_pages.forget()


def view(client, url: str, status: int = 200, marks_read: int = 1) -> tuple[str, bool]:
    """The page, and whether it was served at the mark (a page never kept reads none: ``marks_read=0``)."""
    return at_mark.view(client, url, marks_read, status)


def afresh(client, app, url: str) -> str:
    return at_mark.afresh(app, kept_pages.forget, lambda: view(client, url))


@pytest.fixture()
def world(db, clock):
    clock.now = NOW
    made = make_world()
    ann, helen = made.ann, made.coordinator
    ann.person.name = "Ann <Archer>"
    services.set_qualification(made.org, ann, services.qualification_named(made.org, "DBS check"), TODAY)
    services.set_qualification(made.org, ann, services.qualification_named(made.org, "First aid"),
                               TODAY + timedelta(days=61))  # "soon" from 15 September, 60 days before
    supervision.record_session(made.org, ann, TODAY - timedelta(days=3), helen.id, "went <well>", TODAY)
    services.set_availability(made.org, ann, parse_availability("Mon 09:00-13:00; Thu 14:00-18:00"))
    _db.session.commit()
    return made


@pytest.fixture()
def helen(world, client, auth):
    auth.login("coord@example.org")
    return world


def test_served_at_the_mark_is_the_page_made_afresh(helen, client, app) -> None:
    url = f"/people/{helen.ann.id}"
    made, served_made = view(client, url)
    kept, served_kept = view(client, url)
    assert served_kept and not served_made
    assert same(kept) == same(made) == afresh(client, app, url)
    # the title (the member's name) is drawn outside the content, and kept beside it
    assert "<title>Ann &lt;Archer&gt;" in kept and "went &lt;well&gt;" in kept and "Mon 09:00-13:00" in kept


def test_writes_from_elsewhere_show_on_the_next_view(helen, client, app) -> None:
    url = f"/people/{helen.ann.id}"
    view(client, url)
    with _db.engine.begin() as conn:  # not the app: a console, another worker
        conn.execute(text("UPDATE people SET name = 'Ann Renamed' WHERE id = :id"), {"id": helen.ann.person_id})
    page, served = view(client, url)
    assert not served and "<title>Ann Renamed" in page and "Ann &lt;Archer&gt;" not in page
    assert same(page) == afresh(client, app, url)
    assert view(client, url)[1]
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE person_qualifications SET certificate_number = 'C-123' WHERE membership_id = :m"),
                     {"m": helen.ann.id})
    page, served = view(client, url)
    assert not served and "C-123" in page and same(page) == afresh(client, app, url)


def test_a_record_expires_at_local_midnight(helen, client, app, clock) -> None:
    url = f"/people/{helen.ann.id}"
    page, _ = view(client, url)
    assert "(expired)" not in page
    clock.now = MIDNIGHT - timedelta(microseconds=1)
    assert view(client, url)[1]
    clock.now = MIDNIGHT  # the DBS check's last day is over
    page, served = view(client, url)
    assert not served and "(expired)" in page
    assert same(page) == afresh(client, app, url)


def test_a_page_made_of_values_loaded_before_a_change_is_not_served_after_it(helen, client, app) -> None:
    # a change to the organisation's row committed between the sign-in read and the mark: the page made then holds
    # the old values under the new mark (simulated: the mark set back to the one the page was kept at)
    url = f"/people/{helen.ann.id}"
    view(client, url)
    at_mark.changed_behind_the_mark(helen.org.id, "UPDATE memberships SET role = 'admin' WHERE id = :id",
                                    {"id": helen.coordinator.id})
    page, served = view(client, url)
    assert not served and same(page) == afresh(client, app, url)


def test_the_csrf_setting_makes_its_own_page(helen, client, app, monkeypatch) -> None:
    url = f"/people/{helen.ann.id}"
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    view(client, url)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # the form's own token field comes in
    page, served = view(client, url)
    assert not served and same(page) == afresh(client, app, url)


def test_each_coordinator_is_served_their_own_page(helen, client, app) -> None:
    url = f"/people/{helen.ann.id}"
    other = make_member(helen.org, "olga@example.org", role="coordinator", name="Olga")
    elsewhere = make_world("elsewhere", prefix="x")
    _db.session.commit()
    olga, xhelen = at_mark.signed_in(app, "olga@example.org", "xcoord@example.org")
    view(client, url)
    assert view(client, url)[1]
    page, served = view(olga, url)
    assert not served and same(page) == afresh(olga, app, url)
    assert view(xhelen, url, status=404)  # another organisation's coordinator: no such member there
    assert other.id and elsewhere.org.id != helen.org.id


def test_an_admins_view_of_a_coordinator_is_not_kept(helen, client, app) -> None:
    # its sites section reads the sites while it is drawn
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE memberships SET role = 'admin' WHERE id = :id"), {"id": helen.coordinator.id})
    other = make_member(helen.org, "olga@example.org", role="coordinator", name="Olga")
    _db.session.commit()
    url = f"/people/{other.id}"
    view(client, url)
    page, served = view(client, url)
    assert not served and 'id="sites"' in page


def test_a_page_with_a_message_is_not_kept(helen, client, app) -> None:
    url = f"/people/{helen.ann.id}"
    view(client, url)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Saved.")]
    page, served = view(client, url, marks_read=0)
    assert not served and "Saved." in page
    view(client, url)  # neither served nor kept with the message: kept again now
    page, served = view(client, url)
    assert served and "Saved." not in page


def test_a_development_server_keeps_nothing(helen, client, app, monkeypatch) -> None:
    url = f"/people/{helen.ann.id}"
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)
    view(client, url, marks_read=0)
    view(client, url, marks_read=0)


def test_a_long_page_is_not_kept_at_the_mark(helen, client, app, monkeypatch) -> None:
    url = f"/people/{helen.ann.id}"
    monkeypatch.setattr(kept_pages, "LONGEST", 1000)
    view(client, url)
    assert not view(client, url)[1]


def test_the_pages_kept_at_the_mark_are_bounded(helen, client, app, clock) -> None:
    url = f"/people/{helen.ann.id}"
    for day in range(kept_pages.PERSONS_AT_MOST + 3):  # a key a day
        clock.now = NOW + timedelta(days=day)
        view(client, url)
    with app.app_context():
        assert 0 < len(kept_pages.PERSONS_AT_MARK.texts()) <= kept_pages.PERSONS_AT_MOST
