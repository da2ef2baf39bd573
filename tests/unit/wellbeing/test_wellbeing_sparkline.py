"""The /warnings sparkline: a polyline of weekly hours, the pledge dashed, weeks over it marked, numbers in text."""

from __future__ import annotations

from volunteers.wellbeing.sparkline import sparkline


def test_weeks_over_the_pledge_are_marked_and_every_number_is_in_the_text() -> None:
    svg = str(sparkline([2, 4, 9.5, 4], 4, current=3, labels=["w1", "w2", "w3", "w4"]))
    assert svg.startswith('<svg class="sparkline"') and 'role="img"' in svg
    assert svg.count("<circle") == 1  # only 9.5 is above the pledge of 4
    assert 'class="pledge"' in svg and 'class="now"' in svg
    assert "w3: 9.5 h" in svg and "pledge 4 h a week" in svg


def test_no_pledge_no_hours_still_draws_a_flat_line() -> None:
    svg = str(sparkline([0, 0, 0], None))
    assert 'class="pledge"' not in svg and "<polyline" in svg and "<circle" not in svg


def test_labels_are_escaped() -> None:
    assert "<b>" not in str(sparkline([1], 2, labels=["<b>"]))
