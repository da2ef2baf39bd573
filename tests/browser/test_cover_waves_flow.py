"""A late cancellation goes out in waves: the coordinator sees who was asked in which wave and when, asks one
more by hand, and sees the waves stop the moment a volunteer takes the place (issue 17.4)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.integration.selfservice.cover_crowd import NOW, make_crowd, minutes
from volunteers.selfservice import cover_waves

WAVE_1 = "Bob (e-mail), Cat (e-mail), Dee (e-mail), Eve (e-mail), Fay (e-mail)"


def test_the_coordinator_sees_the_waves_asks_one_more_and_sees_them_stop(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(lambda: make_crowd().shift.id)

    ann = phone()
    sign_in(ann, "ann@example.org")
    ann.get_by_role("button", name="Can't make it: Shop counter, Tue 1 Dec").click()
    ann.get_by_role("button", name="Ask to be released").click()
    expect(ann.locator(".flash-info")).to_contain_text("asked to release you")

    coordinator = phone()
    sign_in(coordinator, "coord@example.org")
    coordinator.goto("/rota/requests")
    card = coordinator.locator("article.offer").first
    expect(card).to_contain_text("Ann asks to be released")
    expect(card.locator("ol.waves li")).to_have_count(1)
    expect(card.locator("ol.waves li").first).to_contain_text(f"Wave 1, Mon 30 Nov, 12:00: {WAVE_1}")
    expect(card).to_contain_text("Next wave 12:30 (up to 5, every 30 minutes, until the place is taken)")
    expect(card).not_to_contain_text("Tina")  # the shift would be her sixth day in a row: never asked

    # the shift's page: ask Kay by hand, from the board's candidates not yet asked
    card.get_by_role("link", name="Ask someone by hand").click()
    expect(coordinator).to_have_url(re.compile(r"/rota/shifts/\d+$"))
    coordinator.get_by_label("Ask someone by hand").select_option(label="Kay")
    coordinator.get_by_role("button", name="Ask", exact=True).click()
    expect(coordinator.locator(".flash-success")).to_contain_text("Kay has been asked by e-mail to cover.")
    expect(coordinator.locator("ol.waves li").last).to_contain_text(
        "By hand, Mon 30 Nov, 12:00: Kay (e-mail, asked by Helen)")

    # half an hour on, the job sends the second wave (Kay, asked already, is not asked again)
    frozen_now(NOW + minutes(30))
    assert data(lambda: cover_waves.send_due_waves(NOW + minutes(30))) == 5
    coordinator.reload()
    expect(coordinator.locator("ol.waves li").last).to_contain_text(
        "Wave 2, Mon 30 Nov, 12:30: Gus (e-mail), Hal (e-mail), Ivy (e-mail), Jo (e-mail), Helen (e-mail)")

    # Gus takes it on his phone: the waves stop there
    frozen_now(NOW + minutes(41))
    gus = phone()
    sign_in(gus, "gus@example.org")
    gus.get_by_role("button", name=re.compile("^Take this shift: Shop counter")).click()
    expect(gus.locator("main")).to_contain_text("Tue 1 Dec")
    assert data(lambda: cover_waves.send_due_waves(NOW + minutes(60))) == 0
    coordinator.reload()
    expect(coordinator.locator(".cover-request")).to_contain_text("Stopped 12:41: the place was taken.")
    expect(coordinator.get_by_label("Ask someone by hand")).to_have_count(0)
