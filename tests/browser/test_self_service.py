"""A volunteer on a 375-px phone: next shift first, take an open shift, cancel (in time and late), swap,
the calendar feed across the October clock change; and the coordinator signing in to the board."""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import open_menu, sign_in
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc

NOW = utc(2026, 10, 21, 10)  # Wednesday 21 Oct 2026, 11:00 BST; the clocks go back on Sunday 25th


def _published(shift):
    shift.published_at = NOW - timedelta(days=14)
    return shift


def build_week() -> dict[str, int]:
    org = make_org("tackley", "Tackley Village Shop")
    shop, stocktake = make_role(org, "Shop counter"), make_role(org, "Stocktake")
    hall = make_site(org, "Village hall shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")
    sam = make_member(org, "sam@example.org", name="Sam Tolley")
    jo = make_member(org, "jo@example.org", name="Jo Lambert")
    saturday = _published(make_shift(org, shop, hall, date(2026, 10, 24), time(9), time(13)))
    monday = _published(make_shift(org, shop, hall, date(2026, 10, 26), time(9), time(13)))
    night = _published(make_shift(org, stocktake, hall, date(2026, 10, 25), time(0), time(6), needed=1))
    late = _published(make_shift(org, shop, hall, date(2026, 10, 22), time(18), time(21)))
    return {"saturday": put_on(saturday, sam).id, "monday": put_on(monday, sam).id, "night": night.id,
            "jo_saturday": put_on(saturday, jo).id, "late_shift": late.id, "saturday_shift": saturday.id}


def _feed(page: Any) -> dict[str, Any]:
    page.goto("/me/shifts#calendar")
    if page.get_by_role("button", name="Create my calendar link").count():
        page.get_by_role("button", name="Create my calendar link").click()
    url = page.locator("#feed-url").input_value()
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    return {(str(e["SUMMARY"]), e["DTSTART"].dt): e for e in events}


def test_volunteer_on_a_phone_takes_a_shift_cancels_one_and_sees_both_in_the_feed(
        data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build_week)
    page = phone()
    sign_in(page, "sam@example.org")
    expect(page).to_have_url(re.compile(r"/me/shifts$"))
    first = page.locator("article.my-shift").first
    expect(first).to_contain_text("Your next shift")
    expect(first).to_contain_text("Sat 24 Oct, 09:00–13:00")
    expect(first).to_contain_text("Shop counter at Village hall shop")
    expect(first).to_contain_text("With Jo Lambert")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing sideways on a phone

    page.get_by_role("link", name="Open shifts").click()
    page.get_by_role("button", name=re.compile(r"^Sign up: Stocktake")).click()
    # seven hours of night (the clocks go back) is a long duty by the load policy: asked kindly first
    expect(page.get_by_role("heading", name="Before you take it")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("night duty of 7 hours")
    page.get_by_role("button", name="Sign me up anyway").click()
    expect(page.locator(".flash-success")).to_contain_text("You're on: Stocktake, Sun 25 Oct, 00:00–06:00")

    page.get_by_role("button", name="Can't make it: Shop counter, Mon 26 Oct").click()
    expect(page.locator("main")).to_contain_text("you can cancel yourself")
    page.get_by_role("button", name="Cancel my place").click()
    expect(page.locator(".flash-success")).to_contain_text("Cancelled: Shop counter")
    expect(page.locator("article.my-shift")).to_have_count(2)  # Saturday and the night; Monday gone

    events = _feed(page)
    night = events[("Stocktake", utc(2026, 10, 24, 23))]  # 00:00 BST
    assert night["DTEND"].dt == utc(2026, 10, 25, 6)  # 06:00 GMT: seven real hours
    assert str(night["STATUS"]) == "CONFIRMED"
    monday = events[("Shop counter", utc(2026, 10, 26, 9))]  # 09:00 GMT
    assert str(monday["STATUS"]) == "CANCELLED" and int(monday["SEQUENCE"]) == 1
    assert str(events[("Shop counter", utc(2026, 10, 24, 8))]["STATUS"]) == "CONFIRMED"  # 09:00 BST


def test_a_late_cancellation_waits_for_the_coordinator(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    ids = data(build_week)

    def join_late_shift() -> None:
        from volunteers.extensions import db
        from volunteers.people.models import Membership, Person
        from volunteers.rota.models import Shift

        sam = db.session.scalar(db.select(Membership).join(Person).where(Person.email == "sam@example.org"))
        put_on(db.session.get(Shift, ids["late_shift"]), sam)

    data(join_late_shift)
    page = phone()
    sign_in(page, "sam@example.org")
    expect(page.locator("article.my-shift").first).to_contain_text("Tomorrow")
    page.get_by_role("button", name="Can't make it: Shop counter, Thu 22 Oct").click()
    expect(page.locator("main")).to_contain_text("your coordinator decides")
    page.get_by_label("A note for your coordinator (optional)").fill("Child is poorly")
    page.get_by_role("button", name="Ask to be released").click()
    expect(page.locator(".flash-info")).to_contain_text("asked to release you")
    expect(page.locator("article.my-shift").first).to_contain_text("You asked to be released")

    coordinator = phone()
    sign_in(coordinator, "coordinator@example.org")
    coordinator.goto("/rota/requests")
    request = coordinator.locator("article.offer").first
    expect(request).to_contain_text("Sam Tolley asks to be released")
    expect(request).to_contain_text("Child is poorly")
    # the button says what it does ("Release Sam Tolley"), and its accessible name starts with those words
    request.get_by_role("button", name=re.compile("^Release Sam Tolley: Late cancellation")).click()
    expect(coordinator.locator(".flash-success")).to_contain_text("Approved")

    page.reload()
    expect(page.locator("article.my-shift").first).to_contain_text("Sat 24 Oct")
    late = _feed(page)[("Shop counter", utc(2026, 10, 22, 17))]
    assert str(late["STATUS"]) == "CANCELLED"


def test_swap_between_two_volunteers(data, frozen_now, phone) -> None:
    frozen_now(NOW)

    def build() -> None:
        made = build_week()
        from volunteers.extensions import db
        from volunteers.rota.models import Assignment
        from volunteers.rota.places import release_place

        jo_place = db.session.get(Assignment, made["jo_saturday"])
        release_place(jo_place.membership.organisation, jo_place, NOW)  # Jo is free on Saturday

    data(build)
    sam = phone()
    sign_in(sam, "sam@example.org")
    sam.get_by_role("button", name="Offer to someone: Shop counter, Sat 24 Oct").click()
    sam.get_by_label("Who to ask").select_option(label="Jo Lambert")
    sam.get_by_role("button", name="Offer it").click()
    expect(sam.locator(".flash-success")).to_contain_text("Offered to your colleague")
    expect(sam.locator("article.my-shift").first).to_contain_text("You offered this shift to Jo Lambert")

    jo = phone()
    sign_in(jo, "jo@example.org")
    offer = jo.locator("#offers article.offer")
    expect(offer).to_contain_text("Sam Tolley asks you to take it")
    offer.get_by_role("button", name=re.compile("^Take this shift: Shop counter")).click()
    expect(jo.locator(".flash-success")).to_contain_text("The shift is yours")
    expect(jo.locator("article.my-shift").first).to_contain_text("Sat 24 Oct, 09:00–13:00")

    sam.reload()
    expect(sam.locator("article.my-shift h3")).to_have_text(["Mon 26 Oct, 09:00–13:00"])  # Saturday has gone to Jo


def test_coordinator_signs_in_and_sees_the_board(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    ids = data(build_week)
    page = phone()
    sign_in(page, "coordinator@example.org")
    expect(page).to_have_url(re.compile(r"/rota$"))
    expect(page.get_by_role("heading", name="Rota", exact=True)).to_be_visible()
    page.goto("/rota?week=2026-10-19")
    card = page.locator(f"#shift-{ids['saturday_shift']}")
    expect(card).to_contain_text("Shop counter")
    open_menu(page)  # a phone folds the header's menu into one button
    expect(page.get_by_role("link", name="Requests")).to_be_visible()
