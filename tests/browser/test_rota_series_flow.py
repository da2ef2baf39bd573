"""A coordinator at a desk: a weekly series through the form, its shifts on the board, a volunteer
assigned from a shift's candidate list, the week published — and the volunteer told once."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, sign_in
from tests.factories import make_member, make_org, make_role, make_site
from volunteers.core.timeutil import utcnow

DESK = {"width": 1280, "height": 900}


@pytest.fixture()
def desk(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport=DESK, base_url=live_server.base)
    context.set_default_timeout(5000)
    yield context.new_page()
    context.close()


def build_shop() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_role(org, "Post Office counter")
    make_role(org, "Shop counter")
    make_site(org, "Village hall shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")
    make_member(org, "sam@example.org", name="Sam Tolley", pledge=6)


def published_state() -> dict[str, Any]:
    from volunteers.extensions import db
    from volunteers.mail.models import OutboxMessage
    from volunteers.rota.models import Assignment, Shift, ShiftSeries

    shifts = list(db.session.scalars(db.select(Shift).order_by(Shift.starts_at)))
    return {
        "series": db.session.scalar(db.select(db.func.count()).select_from(ShiftSeries)),
        "shifts": [(s.local_date, s.published_at is not None, s.role.name, s.needed) for s in shifts],
        "assignments": [(a.membership.person.email, a.shift.local_date, a.source, a.notified_at is not None)
                        for a in db.session.scalars(db.select(Assignment).where(Assignment.status != "cancelled"))],
        "outbox": [(m.to_address, m.dedupe_key.split(":")[0], m.subject)
                   for m in db.session.scalars(db.select(OutboxMessage))],
    }


def test_coordinator_builds_a_series_fills_a_place_and_publishes_the_week(data, desk) -> None:
    data(build_shop)
    today = utcnow().date()
    monday = today + timedelta(days=14 - today.weekday())  # a whole week, at least a week away
    page = desk
    sign_in(page, "coordinator@example.org")

    page.goto("/rota")
    page.get_by_role("button", name="New series").click()  # a link styled as a button
    expect(page.get_by_role("heading", name="New series")).to_be_visible()
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Starts", exact=True).fill("10:00")
    page.get_by_label("Ends", exact=True).fill("13:00")
    page.get_by_label("Role", exact=True).select_option(label="Shop counter")
    page.get_by_label("Site", exact=True).select_option(label="Village hall shop")
    page.get_by_label("People needed").fill("2")
    page.get_by_label("From", exact=True).fill(monday.isoformat())
    page.get_by_role("button", name="Add the series").click()

    # back on the board at the series' first week: two draft shifts, four places to fill
    expect(page).to_have_url(re.compile(rf"/rota\?week={monday.isoformat()}$"))
    expect(page.locator(".flash-success")).to_contain_text("shifts are on the board")
    cards = page.locator("#board a.shift")
    expect(cards).to_have_count(2)
    tuesday = page.locator(f"section.day:has(#day-{(monday + timedelta(days=1)).isoformat()}) a.shift")
    expect(tuesday).to_contain_text("10:00–13:00 Shop counter")
    expect(tuesday).to_contain_text("0/2")
    expect(tuesday.locator(".badge.draft")).to_be_visible()
    expect(page.locator("p.summary")).to_contain_text("0 of 4 places filled")

    # open Tuesday's shift from the board and assign Sam from the candidates
    tuesday.click()
    panel = page.locator("#panel")
    expect(panel.get_by_role("heading", name="Shop counter · Village hall shop")).to_be_visible()
    panel.get_by_role("button", name="Assign Sam Tolley").click()
    expect(panel.locator(".flash-success")).to_contain_text("Sam Tolley is on the shift.")
    expect(panel.locator("ul.people")).to_contain_text("Sam Tolley")
    expect(tuesday).to_contain_text("1/2")  # the board reloaded itself
    expect(page.locator("p.summary")).to_contain_text("1 of 4 places filled")
    expect(page).to_have_url(re.compile(r"/rota/shifts/\d+$"))  # the open shift has its own, bookmarkable URL
    # a slip: undo it from the panel (offered for two minutes), then assign again
    panel.get_by_role("button", name="Undo").click()
    expect(panel.locator(".flash-success")).to_contain_text("Undone: Sam Tolley is off the shift.")
    expect(tuesday).to_contain_text("0/2")
    panel.get_by_role("button", name="Assign Sam Tolley").click()
    expect(tuesday).to_contain_text("1/2")

    page.get_by_role("button", name="Publish this week").click()
    expect(page.get_by_role("heading", name="Publish the week of")).to_be_visible()  # asks once, says what happens
    expect(page.locator("main")).to_contain_text("1 volunteer will get one e-mail")
    page.get_by_role("button", name="Publish and e-mail 1 volunteer").click()
    expect(page.locator(".flash-success")).to_contain_text("2 shifts; 1 volunteer will get an e-mail")
    expect(page.locator("#board .badge.draft")).to_have_count(0)

    state = data(published_state)
    assert state["series"] == 1
    assert state["shifts"][:2] == [(monday + timedelta(days=1), True, "Shop counter", 2),
                                   (monday + timedelta(days=3), True, "Shop counter", 2)]
    assert state["assignments"] == [("sam@example.org", monday + timedelta(days=1), "coordinator", True)]
    assert [(to, kind) for to, kind, _ in state["outbox"]] == [("sam@example.org", "rota_published")]
    assert state["outbox"][0][2].startswith("Your shifts at Tackley Village Shop")
