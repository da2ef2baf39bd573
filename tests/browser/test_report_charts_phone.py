"""The monthly report's charts on a 375 px phone: labels stay readable (the chart keeps a minimum
width and scrolls inside its own box) and the page itself never scrolls sideways."""
from __future__ import annotations

from tests.browser.conftest import sign_in
from tests.clock import DEFAULT_NOW
from volunteers.demo.data import PASSWORD, load_demo

NOW = DEFAULT_NOW
#: the smallest rendered size of any chart label, in CSS pixels
SMALLEST_LABEL = """
Math.min(...Array.from(document.querySelectorAll('svg.pygal-chart text'))
  .filter((t) => t.textContent.trim())
  .map((t) => t.getBoundingClientRect().height))
"""


def test_chart_labels_stay_readable_on_a_phone(data, frozen_now, phone) -> None:
    frozen_now(NOW)
    data(lambda: load_demo(NOW))
    page = phone()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "coordinator@tackley.example", PASSWORD)
    response = page.goto("/reports/monthly/2026-11")
    assert response is not None and response.status == 200
    assert page.locator("svg.pygal-chart").count() == 3
    assert page.evaluate(SMALLEST_LABEL) >= 9  # was about 6 px when the 720-unit drawing shrank to the phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    boxes = page.evaluate("Array.from(document.querySelectorAll('.chart')).map((c) => c.scrollWidth > c.clientWidth)")
    assert boxes == [True, True, True]  # each chart scrolls inside its own box
