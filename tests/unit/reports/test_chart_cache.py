"""Report charts are drawn once per distinct set of values: the same figures reuse the drawing, new ones redraw."""
from __future__ import annotations

from typing import Any

from volunteers.reports import charts

FIGURES: dict[str, Any] = {
    "by_role": {"Shop counter": "465.00", "Post Office counter": "174.50"},
    "by_week": {"2026-10-26": "6.00", "2026-11-02": "192.50"},
    "by_volunteer": [{"hours": "1.5"}, {"hours": "12"}],
}


def test_the_same_figures_are_drawn_once() -> None:
    first = charts.all_charts(FIGURES)
    again = charts.all_charts({key: value for key, value in FIGURES.items()})  # equal figures, another dict
    assert all(again[name] is first[name] for name in first)  # the drawing kept, not redrawn


def test_other_figures_get_their_own_drawing() -> None:
    first = charts.all_charts(FIGURES)
    other = charts.all_charts({**FIGURES, "by_role": {"Shop counter": "465.00", "Café": "12.00"},
                               "by_volunteer": [{"hours": "44"}]})
    assert "Café" in other["by_role"] and "Café" not in first["by_role"]
    assert other["by_week"] is first["by_week"]  # its values did not change
    assert other["distribution"] != first["distribution"]
