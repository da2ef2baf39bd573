"""Two-factor sign-in in a real browser: set it up from the QR page, sign out, sign in with a code,
all within the Content-Security-Policy (the QR code is an SVG ``data:`` image)."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from playwright.sync_api import expect

from tests.browser.conftest import open_menu, sign_in
from tests.browser.test_csp import watch_csp
from tests.factories import make_member, make_org, utc

NOW = utc(2026, 11, 30, 12)


def build() -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@example.org", role="coordinator", name="Helen Coombes")


def test_setting_up_two_factor_then_signing_in_with_a_code(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(build)
    page = phone()
    problems = watch_csp(page)
    sign_in(page, "coordinator@example.org")
    open_menu(page)  # a phone folds the header's menu into one button
    page.get_by_role("link", name="Security").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 100  # the data: image loaded
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")

    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(NOW))
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10

    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    frozen_now(NOW + timedelta(minutes=1))
    sign_in(page, "coordinator@example.org")
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).at(NOW + timedelta(minutes=1)))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/rota"), page.url
    assert problems == []
