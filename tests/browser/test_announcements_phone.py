"""On a phone (375 px): a coordinator sends an announcement, a volunteer reads it on "My shifts" and dismisses it."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import make_member, make_org
from volunteers.core.timeutil import local_date, utcnow

#: the page is no wider than the screen (nothing scrolls sideways)
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def build_shop() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")
    make_member(org, "sam@example.org", name="Sam Tolley")


def test_an_announcement_goes_out_shows_on_my_shifts_and_is_dismissed(data, phone) -> None:
    data(build_shop)
    desk = phone()
    sign_in(desk, "coordinator@example.org")
    desk.goto("/announcements/new")
    desk.get_by_label("Title").fill("Closed on Boxing Day")
    desk.get_by_label("Message").fill("The shop is shut on the 26th. Back on the 27th as usual.")
    desk.get_by_label("Who it is for").select_option("everyone")
    assert desk.get_by_label("Show until (day)").input_value() > local_date(utcnow(), "Europe/London").isoformat()
    assert desk.evaluate(FITS)
    desk.get_by_role("button", name="Send the announcement").click()
    expect(desk.get_by_role("status").first).to_contain_text("Sent to 1 person: 1 by e-mail, 0 by text.")
    expect(desk.locator("article.announcement")).to_contain_text("Reached 1 person")
    assert desk.evaluate(FITS)

    volunteer = phone()
    sign_in(volunteer, "sam@example.org")
    volunteer.goto("/me/shifts")
    notice = volunteer.locator("section.announcements")
    expect(notice).to_contain_text("Closed on Boxing Day")
    expect(notice).to_contain_text("Back on the 27th as usual.")
    assert volunteer.evaluate(FITS)
    volunteer.get_by_role("button", name="Dismiss: Closed on Boxing Day").click()
    volunteer.wait_for_load_state()
    expect(volunteer.locator("section.announcements")).to_have_count(0)
