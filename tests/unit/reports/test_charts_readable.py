"""The report charts read well at any width: they scale, every bar's value sits clear of the bar, and the
weeks cut by the month's edges are drawn and labelled as part weeks."""
from __future__ import annotations

import re

import pytest

from volunteers.reports import charts

OCTOBER = {
    "month": "2026-10",
    "by_role": {"Shop counter": 465.0, "Stocktake": 0.5},
    "by_week": {"2026-09-28": 6.0, "2026-10-05": 192.5, "2026-10-12": 197.5, "2026-10-19": 180.0,
                "2026-10-26": 42.25},
    "by_volunteer": [{"hours": 1.5}, {"hours": 44}],
}
RECT = re.compile(r'<g class="bar[^"]*"><rect x="([\d.]+)" y="([\d.]+)" rx="0" ry="0" width="([\d.]+)" '
                  r'height="([\d.]+)"')
VALUE = re.compile(r'<text text-anchor="(\w+)" x="([\d.]+)" y="([\d.]+)" class="value outside">([^<]*)</text>')


@pytest.mark.parametrize(("monday", "month", "days"), [
    ("2026-09-28", "2026-10", "1–4 Oct"), ("2026-10-26", "2026-10", "26–31 Oct"), ("2026-10-05", "2026-10", None),
    ("2026-06-29", "2026-06", "29–30 Jun"), ("2026-02-23", "2026-02", "23–28 Feb"),
    ("2026-03-30", "2026-04", "1–5 Apr"),
    ("2026-05-25", "2026-05", None), ("2026-10-26", None, None),
])
def test_a_week_cut_by_the_month_is_named_by_the_days_it_covers(monday, month, days) -> None:
    assert charts.part_week(monday, month) == days


def test_part_weeks_are_labelled_and_carry_their_class() -> None:
    svg = str(charts.by_week(OCTOBER))
    assert svg.count('<g class="bar part-week">') == 2 and svg.count('<g class="bar">') == 3
    assert ">1–4 Oct, part week<" in svg and ">26–31 Oct, part week<" in svg and ">w/c 5 Oct<" in svg
    bars = [m.group(0) for m in re.finditer(r'<g class="bar(?: [^"]*)?">', svg)]
    assert bars[0] == bars[-1] == '<g class="bar part-week">'  # the first and the last week, in order


def test_charts_scale_to_their_container() -> None:
    for name, svg in charts.all_charts(OCTOBER).items():
        root = str(svg)[:str(svg).index(">")]
        assert 'viewBox="0 0 ' in root and " width=" not in root and " height=" not in root, name


def test_each_value_sits_just_past_its_bar_even_a_tiny_one() -> None:
    columns = str(charts.by_week(OCTOBER))
    rects, values = RECT.findall(columns), VALUE.findall(columns)
    assert len(rects) == len(values) == 5
    for (x, y, width, _), (anchor, tx, ty, _) in zip(rects, values, strict=True):
        assert anchor == "middle" and float(ty) < float(y)  # above the column, not inside it
        assert abs(float(tx) - (float(x) + float(width) / 2)) < 0.01
    assert [v[3] for v in values] == ["6", "192.5", "197.5", "180", "42.25"]
    rows = str(charts.by_role(OCTOBER))
    for (x, _, width, _), (anchor, tx, _, _) in zip(RECT.findall(rows), VALUE.findall(rows), strict=True):
        assert anchor == "start" and float(tx) > float(x) + float(width)  # right of the bar, even 0.5 h
    assert len(VALUE.findall(rows)) == 2


def test_the_longest_bar_leaves_room_for_its_value() -> None:
    columns = str(charts.by_week(OCTOBER))
    assert min(float(ty) for _, _, ty, _ in VALUE.findall(columns)) > 0
