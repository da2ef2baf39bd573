"""Every page each demo user reaches passes axe-core (no critical or serious violation) and fits a phone.

The pages are found as the CSP crawl finds them (``tests.crawl``: the links,
partials and GET forms of each demo login, plus every GET route without
parameters and the pages of the README's table), one or two per endpoint.
Each is then opened in Chromium once, signed in as that user, and checked:

* axe-core (vendored in ``vendor/``, version and licence there) at 1280 px and at 375 px;
* ``scrollWidth <= innerWidth`` (no sideways scroll) at 375 px and at 320 px.

The shift panel, loaded into the board by htmx, is checked in place: the
first card of the board is clicked and the page checked again with it open.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import LiveServer
from tests.crawl import USERS, Visit, crawl, demo_app, seeds
from volunteers.demo.data import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTHS = (375, 320)
#: the README's page table, with a month the demo has figures for
README_PAGES = ["/rota/series", "/rota/fill", "/rota/requests", "/rota/roles", "/rota/sites", "/rota/qualifications",
                "/people", "/warnings", "/attendance", "/approvals", "/contributions", "/rates", "/reports",
                "/reports/monthly/2026-10", "/reports/network/2026-10", "/outbox", "/me/shifts", "/me/shifts/open",
                "/me/availability", "/me/hours", "/me/statement", "/me/data", "/settings/security", "/me/security",
                "/login", "/password/forgot"]
#: the same endpoint in another view: the board's month (one page per endpoint would leave it out)
OTHER_VIEWS = ["/rota?view=month&month=2026-12"]
#: the same endpoint with other ids or filters renders the same template
PER_ENDPOINT = 1
#: also failed on, though axe rates them "moderate": one h1 a page, one main, no landmark twice, the print page's main
STRUCTURE = ("page-has-heading-one", "landmark-one-main", "landmark-no-duplicate-main", "landmark-unique",
             "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo")
#: written when set: the figures of the run (pages, violations by rule, pages that scroll sideways)
REPORT = os.environ.get("A11Y_REPORT")

RUN_AXE = """async (structure) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const failing = v => ['critical', 'serious'].includes(v.impact) || structure.includes(v.id);
  return result.violations.filter(failing).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(-1)[0])
  }));
}"""
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, LiveServer]]:
    """The demo on a file SQLite database (the server answers from threads), served on a free port."""
    path = tmp_path_factory.mktemp("a11y") / "demo.sqlite"
    with demo_app(f"sqlite:///{path}") as app:
        server = LiveServer(app).start()
        yield app, server
        server.stop()


def pages_of(app: Flask, email: str | None) -> list[Visit]:
    """The HTML pages ``email`` reaches (signed out for ``None``), one per endpoint; htmx partials apart."""
    client = app.test_client()
    if email:
        with app.app_context():
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    visits, _ = crawl(app, client, [*seeds(app), *README_PAGES], per_endpoint=PER_ENDPOINT, max_pages=120)
    pages = [v for v in visits if v.mimetype == "text/html" and v.status < 500 and v.endpoint != "reports.download"]
    if any(v.endpoint == "rota.board" for v in pages):
        pages += [Visit(url, "rota.board (other view)", False, 200, "text/html", {}, "") for url in OTHER_VIEWS]
    return pages


class Findings:
    def __init__(self) -> None:
        self.violations: dict[str, list[str]] = defaultdict(list)  # "impact rule" -> where
        self.wide: list[str] = []
        self.pages = 0

    def check(self, page: Any, label: str) -> None:
        self.pages += 1
        page.set_viewport_size(DESKTOP)
        self._axe(page, f"{label} @1280")
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 740})
            if width == 375:
                self._axe(page, f"{label} @375")
            scroll, inner = page.evaluate(WIDTH)
            if scroll > inner:
                self.wide.append(f"{label} @{width}: {scroll} px")

    def _axe(self, page: Any, where: str) -> None:
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        for v in page.evaluate(RUN_AXE, list(STRUCTURE)):
            self.violations[f"{v['impact']} {v['id']}: {v['help']}"].append(f"{where} {v['nodes']}")

    def summary(self) -> str:
        lines = [f"pages checked: {self.pages}",
                 f"critical/serious axe violations: {sum(len(w) for w in self.violations.values())} "
                 f"(rules: {len(self.violations)})"]
        for rule, where in sorted(self.violations.items()):
            lines.append(f"  {rule} — {len(where)} page views")
            lines += [f"      {w}" for w in where[:40]]
        lines.append(f"sideways scroll: {len(self.wide)} page views")
        lines += [f"  {w}" for w in self.wide]
        return "\n".join(lines)


def test_every_page_passes_axe_and_fits_a_phone(browser: Any, demo_server: tuple[Flask, LiveServer]) -> None:
    app, server = demo_server
    findings = Findings()
    endpoints_checked: set[str] = set()
    for email in (*USERS, None):
        visits = pages_of(app, email)
        context = browser.new_context(viewport=DESKTOP, base_url=server.base, bypass_csp=True)
        context.set_default_timeout(10000)
        page = context.new_page()
        if email:
            page.goto("/login")
            page.get_by_label("E-mail").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "/login" not in page.url, email
        who = email or "signed out"
        panel_checked = False
        for n, visit in enumerate(visits):
            # a partial is checked where it is loaded (below), or as its own full page; an endpoint another
            # login has already shown renders the same template: only each login's first page (its menu) again
            if visit.htmx or (n and visit.endpoint in endpoints_checked):
                continue
            page.goto(visit.url)
            page.wait_for_load_state()
            findings.check(page, f"{who} {visit.url}")
            endpoints_checked.add(visit.endpoint)
            card = page.locator("#board a[hx-get][hx-target='#panel']").first
            if not panel_checked and card.count():
                page.set_viewport_size(DESKTOP)
                card.click()
                page.locator("#panel h2, #panel h1").first.wait_for()
                findings.check(page, f"{who} {visit.url} + shift panel")
                panel_checked = True
        if email == USERS[0]:
            # a refused form: the error summary comes first, takes the focus and links to the field
            page.set_viewport_size(DESKTOP)
            page.goto("/rota/roles")
            page.get_by_label("Name").fill("")
            page.locator("main form[novalidate] button[type=submit]").last.click()
            page.wait_for_load_state()
            summary_box = page.locator("[data-error-summary]")
            assert summary_box.get_by_role("link").first.get_attribute("href") == "#name"
            assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
            findings.check(page, f"{who} /rota/roles (refused)")
        context.close()

    summary = findings.summary()
    print(summary)
    if REPORT:
        Path(REPORT).write_text(summary + "\n", encoding="utf-8")
    # the crawl did walk the site, not a sign-in page over and over
    for endpoint in ("rota.board", "shifts.show_shift", "rota.print_week", "reports.monthly", "reports.network",
                     "wellbeing.list_warnings", "me.shifts", "reports.statement_page", "auth.login"):
        assert endpoint in endpoints_checked, (endpoint, sorted(endpoints_checked))
    assert findings.pages >= 40, findings.pages
    assert (dict(findings.violations), findings.wide) == ({}, []), summary


def test_the_axe_script_is_the_vendored_release() -> None:
    """The vendored axe-core is whole (CI needs no network) and its licence travels with it."""
    text = AXE.read_text(encoding="utf-8")
    assert text.startswith("/*! axe v4.14.1")
    assert "Mozilla Public License" in (AXE.parent / "axe-core-LICENSE.txt").read_text(encoding="utf-8")
    assert json.loads((AXE.parent / "VERSIONS.json").read_text(encoding="utf-8"))["axe-core"]["version"] == "4.14.1"
