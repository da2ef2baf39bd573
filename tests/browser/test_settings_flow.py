"""A coordinator tightens a load threshold on /settings: the preview counts the warning it would raise,
saving it re-judges everyone, and /warnings shows the new warning — all within the Content-Security-Policy."""
from __future__ import annotations

from datetime import date, time

from playwright.sync_api import expect

from tests.browser.conftest import open_menu, sign_in
from tests.browser.test_csp import watch_csp
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc

NOW = utc(2026, 11, 30, 12)


def build() -> None:
    """Tackley: Ann worked three 4½-hour shop shifts last week — 13.5 h, under the default 15 h of weekly_load."""
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")
    ann = make_member(org, "ann@example.org", name="Ann Archer", pledge=None)
    role, site = make_role(org, "Shop counter"), make_site(org)
    for day in (23, 24, 25):
        put_on(make_shift(org, role, site, date(2026, 11, day), time(9), time(13, 30)), ann, "attended")


def test_a_tighter_weekly_load_is_previewed_saved_and_followed_by_the_warnings_page(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    problems = watch_csp(page)
    sign_in(page, "coordinator@example.org")
    open_menu(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Load policy").click()
    expect(page.locator("#open-now")).to_have_text("0")

    page.locator("#weekly_load-warning").fill("12")
    page.get_by_role("button", name="Preview the change").click()
    preview = page.get_by_role("status").filter(has_text="What saving would do")
    expect(preview.locator('[data-preview="raised"]')).to_have_text("1")
    expect(preview.locator('[data-preview="open-after"]')).to_have_text("1")
    expect(page.locator("#weekly_load-warning")).to_have_value("12")  # the proposal is still in the box

    page.get_by_role("button", name="Save the load policy").click()
    expect(page.get_by_text("Saved: everyone's load has been judged again")).to_be_visible()
    expect(page.locator("#open-now")).to_have_text("1")
    open_menu(page)
    page.get_by_role("link", name="Warnings").click()
    card = page.locator("article.load-person", has_text="Ann Archer")
    expect(card).to_contain_text("Heavy week")
    expect(card).to_contain_text("warning level: above 12 weighted h")
    assert problems == []
