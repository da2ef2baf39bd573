"""The installable app: a valid manifest, a service worker that controls "My shifts", the last loaded shifts
offline with an "Offline — last updated at …" banner, and nothing of them kept after signing out."""
from __future__ import annotations

import json
import re
from datetime import date, time, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc

NOW = utc(2026, 11, 30, 12)  # Monday 30 Nov 2026, 12:00 GMT
PAGES = "volunteers-pages-v1"


def build() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    shop, hall = make_role(org, "Shop counter"), make_site(org, "Village hall shop")
    sam = make_member(org, "sam@example.org", name="Sam Tolley")
    shift = make_shift(org, shop, hall, date(2026, 12, 2), time(9), time(13))
    shift.published_at = NOW - timedelta(days=7)
    put_on(shift, sam)


def _kept_pages(page: Any) -> list[str]:
    """Return the URLs kept in the offline pages cache (empty when the cache is gone)."""
    return page.evaluate("""async (name) => {
        if (!(await caches.keys()).includes(name)) return [];
        return (await (await caches.open(name)).keys()).map((request) => request.url);
    }""", PAGES)


def _wait_for_kept_page(page: Any) -> None:
    page.wait_for_function("""async (name) => (await caches.keys()).includes(name)
        && (await (await caches.open(name)).keys()).length > 0""", arg=PAGES)


def test_the_manifest_is_valid_and_names_the_app_its_start_page_and_icons(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    sign_in(page, "sam@example.org")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href is not None and href.startswith("/static/manifest.webmanifest")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["start_url"] == "/me/shifts" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] and re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    for wanted in (("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")):
        icon = page.request.get("/static/" + icons[wanted])
        width, height = int.from_bytes(icon.body()[16:20], "big"), int.from_bytes(icon.body()[20:24], "big")
        assert icon.body()[:8] == b"\x89PNG\r\n\x1a\n" and f"{width}x{height}" == wanted[0]


def test_my_shifts_open_offline_with_a_banner_and_signing_out_forgets_them(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    sign_in(page, "sam@example.org")
    expect(page).to_have_url(re.compile(r"/me/shifts$"))
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == page.url.replace("/me/shifts", "/")  # the whole site, though the worker is one file
    page.reload()  # now controlled by the worker: the page goes through it (network first) and is kept
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    _wait_for_kept_page(page)
    expect(page.locator("#offline-banner")).to_have_count(0)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-from-cache", "")
    expect(page.locator("article.my-shift").first).to_contain_text("Shop counter")
    expect(page.locator("article.my-shift").first).to_contain_text("Wed 2 Dec")
    banner = page.locator("#offline-banner")
    expect(banner).to_have_attribute("role", "status")
    expect(banner).to_contain_text("Offline — last updated at 30 Nov, 12:00")
    # the shell came from the worker's cache too: the stylesheets apply, offline
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert page.evaluate("Array.from(document.styleSheets).length") >= 2

    page.context.set_offline(False)
    page.goto("/me/shifts")
    expect(page.locator("#offline-banner")).to_have_count(0)
    assert _kept_pages(page)
    menu = page.locator("header summary")  # on a phone the menu may be folded away
    if menu.count() and menu.first.is_visible():
        menu.first.click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/login"))
    page.wait_for_function("async (name) => !(await caches.keys()).includes(name)", arg=PAGES)
    assert _kept_pages(page) == []
    # offline now, the shifts are gone: nobody else on this phone reads them
    page.context.set_offline(True)
    response_failed = False
    try:
        page.goto("/me/shifts")
    except Exception:  # noqa: BLE001 - the browser's own offline error: nothing was kept
        response_failed = True
    assert response_failed or "Shop counter" not in page.content()
