"""A volunteer on a phone makes an API token on /me/tokens (shown once), uses it, and revokes it; the page, with
the new token and the list, passes axe and fits 320 px, under the site's Content-Security-Policy."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import Findings
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc

NOW = utc(2026, 11, 30, 12)

pytestmark = pytest.mark.browser


def build() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    sam = make_member(org, "sam@example.org", name="Sam Tolley")
    shift = make_shift(org, make_role(org), make_site(org), NOW.date() + timedelta(days=3))
    shift.published_at = NOW - timedelta(days=1)
    put_on(shift, sam)


def _make_token(page, name: str) -> str:
    page.goto("/me/tokens")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Access").select_option("read")
    page.get_by_role("button", name="Make token").click()
    return page.locator("#new-token").inner_text().strip()


def test_token_made_shown_once_used_and_revoked_on_a_phone(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()  # the site's Content-Security-Policy applies: any refusal is logged to the console
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    sign_in(page, "sam@example.org")
    token = _make_token(page, "Hall screen")
    assert token.startswith("vol_")
    calls = page.request.get("/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"})
    assert calls.status == 200 and len(calls.json()["items"]) == 1
    page.goto("/me/tokens")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    expect(page.get_by_role("cell", name="Hall screen", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke Hall screen").click()
    expect(page.get_by_role("cell", name="revoked", exact=True)).to_be_visible()
    after = page.request.get("/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"})
    assert after.status == 401 and after.headers["content-type"] == "application/problem+json"
    page.goto("/api/v1/docs")
    assert refused == []


def test_the_token_pages_pass_axe_and_fit_320_px(data, frozen_now, browser, live_server) -> None:
    frozen_now(NOW)
    data(build)
    # axe is injected as a script, which the policy would refuse: this context alone bypasses it
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.base,
                                  bypass_csp=True)
    try:
        page = context.new_page()
        sign_in(page, "sam@example.org")
        findings = Findings()
        _make_token(page, "Hall screen")
        findings.check(page, "/me/tokens (a token just made)")
        page.goto("/me/tokens")
        findings.check(page, "/me/tokens (the list)")
        page.goto("/api/v1/docs")
        findings.check(page, "/api/v1/docs")
    finally:
        context.close()
    assert (dict(findings.violations), dict(findings.moderate), findings.wide) == ({}, {}, []), findings.summary()
