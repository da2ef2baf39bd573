"""The Content-Security-Policy in a real browser: the pages break none of it, and what used to be
inline handlers (select all, print, select the feed link) still works from static/app.js."""
from __future__ import annotations

import contextlib
from datetime import date, time, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc
from volunteers.contributions import services as contributions

NOW = utc(2026, 11, 30, 12)  # Monday 30 Nov 2026
MONDAY = date(2026, 11, 30)


def build() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    shop, hall = make_role(org, "Shop counter"), make_site(org, "Village hall shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")
    sam = make_member(org, "sam@example.org", name="Sam Tolley")
    jo = make_member(org, "jo@example.org", name="Jo Lambert")
    shift = make_shift(org, shop, hall, MONDAY + timedelta(days=1), time(9), time(13))
    shift.published_at = NOW - timedelta(days=7)
    put_on(shift, sam)
    for member in (sam, jo):
        contributions.log_hours(org, member, MONDAY - timedelta(days=3), "2", None, "Sorted donations", NOW)


def watch_csp(page: Any) -> list[str]:
    """Collect every console message about the Content Security Policy, and any page error."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def stub_print(page: Any) -> None:
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")


def test_pages_break_no_csp_rule_and_the_buttons_still_work(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    page.set_viewport_size({"width": 1280, "height": 900})  # a coordinator at a desk
    problems = watch_csp(page)
    sign_in(page, "coordinator@example.org")

    for path in ("/rota", f"/rota?week={MONDAY.isoformat()}", "/people", "/attendance",
                 "/reports/monthly/2026-11", "/me/statement?month=2026-11"):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        assert problems == [], (path, problems)

    # select all ticks every entry, and unticks them again
    page.goto("/approvals")
    entries = page.locator("input[name=ids]")
    expect(entries).to_have_count(2)
    page.get_by_label("Select all").check()
    for i in range(2):
        expect(entries.nth(i)).to_be_checked()
    page.get_by_label("Select all").uncheck()
    for i in range(2):
        expect(entries.nth(i)).not_to_be_checked()

    # the print buttons and links print
    for path, name in ((f"/rota/print?week={MONDAY.isoformat()}", "button"),
                       ("/reports/monthly/2026-11", "link"),
                       ("/me/statement?month=2026-11", "link")):
        page.goto(path)
        stub_print(page)
        page.get_by_role(name, name="Print").click()
        assert page.evaluate("window.__printed") == 1, path
        assert page.url.endswith(path), path  # the "#" link did not navigate
    assert problems == []


def test_the_feed_link_is_selected_on_click_and_the_watcher_does_see_violations(
        data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    problems = watch_csp(page)
    sign_in(page, "sam@example.org")
    page.goto("/me/shifts#calendar")
    page.get_by_role("button", name="Create my calendar link").click()
    feed = page.locator("#feed-url")
    feed.click()
    selected = page.evaluate("(() => { const f = document.getElementById('feed-url');"
                             " return f.value.substring(f.selectionStart, f.selectionEnd); })()")
    assert selected == feed.input_value() and selected.endswith(".ics")
    assert problems == []

    # an inline script is refused, and the refusal is what the watcher reports
    with contextlib.suppress(Exception):  # Playwright may report the blocked script as an error
        page.add_script_tag(content="window.__inline = true;")
    assert page.evaluate("window.__inline === undefined")
    page.wait_for_timeout(100)
    assert any("Content Security Policy" in p for p in problems)
