"""The report charts obey ``style-src 'self'``: no ``<style>`` or ``style=`` in their SVG, and
``static/charts.css`` holds every rule pygal would have put inside each of them."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from volunteers.reports import charts

STATIC = Path(charts.__file__).resolve().parents[1] / "static"
FIGURES: dict[str, Any] = {
    "by_role": {"Shop counter": "465.00", "Post Office counter": "174.50", "Café": "126.00"},
    "by_week": {"2026-10-26": "6.00", "2026-11-02": "192.50", "2026-11-09": "197.50"},
    "by_volunteer": [{"hours": "1.5"}, {"hours": "3"}, {"hours": "12"}, {"hours": "44"}],
}


def _rules(css: str) -> list[str]:
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [rule.strip() for rule in body.split("}") if rule.strip()]


def test_no_chart_carries_a_style_element_or_attribute() -> None:
    drawn = charts.all_charts(FIGURES)
    assert set(drawn) == {"by_role", "by_week", "distribution"}
    for name, svg in drawn.items():
        assert svg.startswith("<svg ") and 'class="pygal-chart"' in svg, name
        assert "<style" not in svg, name
        assert not re.search(r"\sstyle\s*=", svg), name
        assert 'opacity="0"' in svg  # pygal's hidden tooltip, now a presentation attribute


def test_the_static_stylesheet_is_what_pygal_writes_for_our_style() -> None:
    assert (STATIC / "charts.css").read_text(encoding="utf-8") == charts.stylesheet(), (
        "static/charts.css is stale: regenerate it with the command in its first lines")


def test_the_stylesheet_holds_every_rule_each_chart_would_have_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    embedded: dict[str, str] = {}
    draw = charts._svg

    def keep_pygal_css(chart: Any, name: str) -> Markup:
        chart.uuid = f"report-{name}"
        found = re.search(r'<style type="text/css">(.*?)</style>', chart.render(is_unicode=True), re.S)
        assert found is not None, name
        embedded[name] = html.unescape(found.group(1)).replace(f"#chart-report-{name}", ".pygal-chart")
        return draw(chart, name)

    monkeypatch.setattr(charts, "_svg", keep_pygal_css)
    charts.forget_drawings()  # drawn by an earlier test: draw them again, watched
    charts.all_charts(FIGURES)

    assert set(embedded) == {"by-role", "by-week", "distribution"}
    ours = _rules(charts.stylesheet())
    assert any(".pygal-chart .color-0" in rule and "#1d4ed8" in rule for rule in ours)  # the bars' blue
    for name, css in embedded.items():
        assert _rules(css) == ours, name
