"""Rounding, apportioning and comparisons; canonical JSON and its hash."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.contributions.domain.arithmetic import apportion, change, q2, ratio
from volunteers.reports.domain.canonical import canonical_json, figures_hash

D = Decimal


def test_q2_rounds_halves_away_from_zero() -> None:
    assert [q2(D(x)) for x in ("1.005", "1.004", "-1.005", "2")] == \
        [D("1.01"), D("1.00"), D("-1.01"), D("2.00")]


def test_ratio_is_none_without_a_base() -> None:
    assert ratio(1, 3) == D("0.3333")
    assert ratio(2, 0) is None


def test_apportion_makes_three_thirds_add_up_to_one() -> None:
    third = D(1) / 3
    assert apportion({"a": third, "b": third, "c": third}) == {"a": D("0.34"), "b": D("0.33"),
                                                               "c": D("0.33")}


def test_apportion_gives_missing_cents_to_largest_remainders() -> None:
    got = apportion({"x": D("1.004"), "y": D("2.006"), "z": D("0.999")})
    assert got == {"x": D("1.00"), "y": D("2.01"), "z": D("1.00")}
    assert sum(got.values()) == q2(D("4.009"))


@given(st.dictionaries(st.text(min_size=1, max_size=4),
                       st.decimals(min_value=-50, max_value=200, places=6), max_size=12))
def test_apportioned_parts_sum_to_rounded_total_and_stay_within_a_cent(parts: dict[str, Decimal]) -> None:
    got = apportion(parts)
    assert set(got) == set(parts)
    assert sum(got.values(), D(0)) == q2(sum(parts.values(), D(0)))
    for k, v in parts.items():
        assert abs(got[k] - v) < D("0.01")
        assert got[k] == got[k].quantize(D("0.01"))


def test_change_reports_absolute_and_percent() -> None:
    assert change(D("120"), 100) == {"base": D(100), "change": D(20), "percent": D("20.0")}
    assert change(D("50"), "200.00") == {"base": D("200.00"), "change": D("-150.00"),
                                         "percent": D("-75.0")}
    assert change(3, 0.5) == {"base": D("0.5"), "change": D("2.5"), "percent": D("500.0")}


def test_change_without_base_is_none() -> None:
    assert change(D("5"), None) == {"base": None, "change": None, "percent": None}
    assert change(D("5"), 0)["percent"] is None
    assert change(D("5"), True)["base"] is None


FIGURES = {
    "month": "2026-11", "hours": D("12.50"), "value": D("158.88"), "zero": D("-0.00"),
    "by_role": {"Shop counter": D("10.00"), "Café": D("2.50")},
    "issued_on": date(2026, 12, 1), "at": datetime(2026, 12, 1, 9, tzinfo=UTC),
    "tags": {"b", "a"}, "count": 3, "none": None,
}


def test_canonical_json_is_sorted_compact_and_utf8() -> None:
    text = canonical_json(FIGURES)
    assert text.startswith('{"at":"2026-12-01T09:00:00+00:00","by_role":{"Café":2.5,"Shop counter":10.0},')
    assert '"hours":12.5' in text and '"value":158.88' in text and '"zero":0.0' in text
    assert '"tags":["a","b"]' in text and " " not in text.replace("Shop counter", "")


def test_canonical_json_survives_a_round_trip_so_hashes_are_stable() -> None:
    text = canonical_json(FIGURES)
    assert canonical_json(json.loads(text)) == text
    assert figures_hash(json.loads(text)) == figures_hash(FIGURES)
    assert len(figures_hash(FIGURES)) == 64
    reordered = dict(reversed(list(FIGURES.items())))
    assert figures_hash(reordered) == figures_hash(FIGURES)
    assert figures_hash({**FIGURES, "hours": D("12.51")}) != figures_hash(FIGURES)


def test_canonical_json_refuses_what_it_cannot_write_faithfully() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": D("NaN")})
    with pytest.raises(TypeError):
        canonical_json({"x": object()})
