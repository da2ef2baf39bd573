"""Organisation figures: gini, top20_share, key_drivers, bus_factor and the 90-day window."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wellbeing_builders import LONDON, at, daily, person, shift

from volunteers.wellbeing import bus_factor, key_drivers, organisation_figures
from volunteers.wellbeing.domain.figures import gini, top20_share


@pytest.mark.parametrize(("values", "expected"), [
    ([], 0.0),
    ([0, 0], 0.0),
    ([5], 0.0),
    ([3, 3, 3, 3], 0.0),
    ([0, 0, 0, 1], 0.75),  # (2·4 − 4 − 1) · 1 / (4 · 1)
    ([33, 39], 6 / 144),
    ([1, 2, 3, 4], 0.25),
])
def test_gini_follows_the_design_formula(values: list[float], expected: float) -> None:
    assert gini(values) == pytest.approx(expected)


@pytest.mark.parametrize(("n", "top"), [(1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (15, 3), (16, 4)])
def test_top20_counts_ceil_of_a_fifth_and_at_least_one(n: int, top: int) -> None:
    values = [1.0] * n
    assert top20_share(values) == pytest.approx(top / n)


def test_top20_share_of_nobody_or_no_hours_is_zero() -> None:
    assert top20_share([]) == 0.0
    assert top20_share([0, 0]) == 0.0


@pytest.mark.parametrize("bad", [[-1.0], [math.nan], [math.inf]])
def test_figures_refuse_negative_or_non_finite_hours(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        gini(bad)
    with pytest.raises(ValueError):
        top20_share(bad)


def test_figures_take_any_iterable_of_numbers() -> None:
    assert gini(x for x in (1, 2, 3, 4)) == pytest.approx(0.25)
    assert top20_share(iter([10, 0, 0, 0, 0])) == 1.0


# Hours of people: none, or at least a few seconds (scaling a 1e-320 h subnormal by 0.01 would reach 0).
hours = st.lists(st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=500)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values=hours, data=st.data(), factor=st.floats(min_value=0.01, max_value=100))
def test_relabelling_people_or_scaling_hours_leaves_gini_and_top20_unchanged(
        values: list[float], data: st.DataObject, factor: float) -> None:
    shuffled = data.draw(st.permutations(values))
    scaled = [v * factor for v in values]
    assert gini(shuffled) == pytest.approx(gini(values), abs=1e-9)
    assert top20_share(shuffled) == pytest.approx(top20_share(values), abs=1e-9)
    assert gini(scaled) == pytest.approx(gini(values), abs=1e-9)
    assert top20_share(scaled) == pytest.approx(top20_share(values), abs=1e-9)
    assert 0.0 <= gini(values) < 1.0
    assert 0.0 <= top20_share(values) <= 1.0


def test_key_drivers_carry_over_a_quarter_of_a_role_with_four_or_more_people() -> None:
    shop = {"ann": 40.0, "bob": 20.0, "cat": 20.0, "dan": 20.0}
    assert key_drivers({"Shop": shop}) == [{"volunteer": "ann", "role": "Shop", "hours": 40.0, "share": 0.4}]
    quarters = {"ann": 25.0, "bob": 25.0, "cat": 25.0, "dan": 25.0}
    assert key_drivers({"Shop": quarters}) == []  # exactly a quarter is not over a quarter
    assert key_drivers({"Shop": {"ann": 70.0, "bob": 20.0, "cat": 10.0}}) == []  # three people only


def test_bus_factor_is_the_fewest_people_covering_half_the_hours() -> None:
    assert bus_factor({"Shop": {"a": 50.0, "b": 30.0, "c": 20.0}}) == {"Shop": 1}
    assert bus_factor({"Shop": {"a": 40.0, "b": 30.0, "c": 30.0}}) == {"Shop": 2}
    assert bus_factor({"Post Office": {"a": 5.0, "b": 5.0}, "Empty": {"a": 0.0}}) == {"Post Office": 1}


def test_organisation_figures_use_worked_hours_in_the_90_days_before_as_of() -> None:
    as_of = at("2026-11-30 12:00")
    people = [
        person(shift("2026-09-01 11:59", hours=5), ident="too-early"),  # same wall-clock time 90 dates before
        person(shift("2026-09-01 12:00", hours=5), ident="just-in"),
        person(shift("2026-11-30 12:00", hours=5), ident="planned"),
        person(ident="no-shifts"),
    ]
    figures = organisation_figures(people, as_of, LONDON)
    assert (figures["volunteers"], figures["hours"]) == (1, 5.0)


def test_key_driver_archetype_shows_in_the_organisation_figures() -> None:
    # Tackley: one early key driver does a shop shift every other day, four others one a week.
    driver = person(daily("2026-09-07", 36, "09:00", "13:00", step=2), ident="driver")
    others = [person(daily("2026-09-07", 12, "14:00", "17:00", step=7), ident=f"v{k}") for k in range(4)]
    figures = organisation_figures([driver, *others], at("2026-11-30 12:00"), LONDON)
    assert [(d["volunteer"], d["role"]) for d in figures["key_drivers"]] == [("driver", "Shop counter")]
    assert figures["key_drivers"][0] == {"volunteer": "driver", "role": "Shop counter", "hours": 144.0,
                                         "share": 0.5}
    assert figures["bus_factor"] == {"Shop counter": 1}
    assert figures["top20_share"] == 0.5
    assert figures["gini"] == 0.3  # [36, 36, 36, 36, 144]: 432 / (5 × 288)
