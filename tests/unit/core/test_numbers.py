"""core.numbers: the one house style for hours, money, percentages and counts."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.core import numbers

MINUS = "\N{MINUS SIGN}"


@pytest.mark.parametrize(("value", "expected"), [
    (3, "3 h"), (3.5, "3.5 h"), ("3.50", "3.5 h"), (Decimal("820.00"), "820 h"), (0.25, "0.25 h"),
    (1234.5, "1,234.5 h"), (0, "0 h"), (0.004, "0 h"), (0.005, "0.01 h"), (-2, f"{MINUS}2 h"),
    (7.999, "8 h"), (None, ""), ("", ""), ("n/a", ""), (float("nan"), ""), (float("inf"), ""), (True, ""),
])
def test_hours_drop_trailing_zeros_and_keep_at_most_two_places(value, expected) -> None:
    assert numbers.hours(value) == expected


def test_hours_without_the_unit_and_with_a_placeholder() -> None:
    assert numbers.hours("29.50", unit=False) == "29.5"
    assert numbers.hours(None, unit=False, empty="–") == "–"


@pytest.mark.parametrize(("value", "currency", "expected"), [
    (473, "GBP", "£473.00"), ("1234.5", "GBP", "£1,234.50"), (171.585, "GBP", "£171.59"),
    (-5, "GBP", f"{MINUS}£5.00"), (12, "EUR", "€12.00"), (3, "CHF", "CHF 3.00"), (0, "gbp", "£0.00"),
    (None, "GBP", ""),
])
def test_money_has_its_symbol_thousands_and_always_pence(value, currency, expected) -> None:
    assert numbers.money(value, currency) == expected


@pytest.mark.parametrize(("ratio", "expected"), [
    (0.8765, "88%"), (1, "100%"), (0, "0%"), (0.004, "<1%"), (0.005, "1%"), ("0.9700", "97%"), (None, ""),
])
def test_percentages_are_whole_and_a_small_share_is_never_zero(ratio, expected) -> None:
    assert numbers.percent(ratio) == expected


@pytest.mark.parametrize(("value", "expected"), [(51, "51"), (51.0, "51"), ("1234", "1,234"), (-3, f"{MINUS}3")])
def test_counts_are_whole_numbers_with_thousands(value, expected) -> None:
    assert numbers.count(value) == expected


def test_currency_number_formats_for_spreadsheets() -> None:
    assert numbers.currency_format("GBP") == "£#,##0.00"
    assert numbers.currency_format("EUR") == '"€"#,##0.00'
    assert numbers.XLSX_FORMATS["percent"] == "0%" and numbers.XLSX_FORMATS["count"] == "#,##0"


amounts = st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_hours_read_back_to_the_value_rounded_to_two_places(value: Decimal) -> None:
    text = numbers.hours(value, unit=False)
    assert not text.endswith(".00") and not (("." in text) and text.endswith("0"))
    assert Decimal(text.replace(",", "").replace(MINUS, "-")) == value.quantize(Decimal("0.01"))


@given(amounts)
def test_money_reads_back_exactly_with_two_places(value: Decimal) -> None:
    text = numbers.money(value)
    assert text.split(".")[1].isdigit() and len(text.split(".")[1]) == 2
    assert Decimal(text.replace("£", "").replace(",", "").replace(MINUS, "-")) == value


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_share_is_a_whole_percent_between_0_and_100(ratio: float) -> None:
    text = numbers.percent(ratio)
    if text == "<1%":
        assert 0 < ratio < 0.005
    else:
        assert 0 <= int(text.rstrip("%")) <= 100 and (text != "0%" or ratio == 0)
