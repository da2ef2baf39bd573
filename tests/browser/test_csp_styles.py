"""``style-src 'self'`` in a real browser: the main pages of the demo apply no inline style (Chromium
reports none refused), and what moved to the static stylesheets still applies — the report charts'
colours, the standalone report document's one hashed ``<style>``, htmx adding no ``<style>`` of its own."""
from __future__ import annotations

from typing import Any

from tests.browser.conftest import sign_in
from tests.clock import DEFAULT_NOW
from volunteers.demo.data import PASSWORD, load_demo

NOW = DEFAULT_NOW  # Monday 30 November 2026
#: every securitypolicyviolation of the document, kept on the window for the test to read
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample || ""}`.trim());
});
"""
BLUE = "rgb(29, 78, 216)"  # charts.STYLE's colour for the bars


def watch(page: Any) -> list[str]:
    """Report every refusal: the page's own violation events (per document) and Chromium's console messages."""
    console: list[str] = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    return console


def refused(page: Any, console: list[str]) -> list[str]:
    page.wait_for_timeout(50)  # violation events are queued as tasks
    return [*page.evaluate("window.__violations || []"), *console]


def visit(page: Any, console: list[str], path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("load")
    assert refused(page, console) == [], path


def bar_fill(page: Any) -> str:
    return str(page.evaluate(
        "getComputedStyle(document.querySelector('svg.pygal-chart .series.color-0 rect')).fill"))


def test_main_pages_apply_no_inline_style_and_keep_their_looks(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(lambda: load_demo(NOW))
    page = phone()
    page.set_viewport_size({"width": 1280, "height": 900})
    console = watch(page)
    sign_in(page, "coordinator@tackley.example", PASSWORD)

    # the board, then a shift's panel loaded by htmx into it
    visit(page, console, "/rota?week=2026-12-07")
    page.locator("a.shift").first.click()
    page.locator("#panel article.shift-panel").wait_for()
    assert refused(page, console) == []
    # htmx was told (htmx-config) not to inject its indicator <style>: there is none in the page
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False

    for path in ("/rota/print?week=2026-12-07", "/warnings", "/attendance", "/contributions", "/rates",
                 "/me/shifts", "/people"):
        visit(page, console, path)

    # the report page: charts without a <style> of their own, coloured by static/charts.css
    visit(page, console, "/reports/monthly/2026-11")
    assert page.locator("svg.pygal-chart").count() == 3
    assert bar_fill(page) == BLUE
    # the standalone document: its one <style> is allowed by hash, and it applies
    visit(page, console, "/reports/monthly/2026-11.html")
    assert page.evaluate("document.querySelectorAll('style').length") == 1
    assert bar_fill(page) == BLUE
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "960px"  # 60rem, from the document's CSS

    # the watcher does see a refused inline style (so the empty lists above mean something)
    page.goto("/rota")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p id=\"x\" style=\"color: red\">x</p>')")
    assert any("style-src" in line for line in refused(page, console))
    assert page.evaluate("getComputedStyle(document.getElementById('x')).color") != "rgb(255, 0, 0)"


def test_a_volunteers_pages_apply_no_inline_style(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(lambda: load_demo(NOW))
    page = phone()  # 375 px, as most volunteers see them
    console = watch(page)
    sign_in(page, "volunteer@tackley.example", PASSWORD)
    for path in ("/me/shifts", "/me/shifts/open", "/me/hours", "/me/availability", "/me/statement?month=2026-11"):
        visit(page, console, path)
