"""Valuing contributions: dated rates, role before kind before the UK defaults."""

from datetime import date
from decimal import Decimal

import pytest

from volunteers.contributions.domain.valuation import UK_DEFAULT_RATES, Rate, RateCard

D = Decimal


def test_uk_default_for_general_time_is_the_national_living_wage_in_force() -> None:
    card = RateCard()
    assert card.value_for("time", None, date(2026, 4, 1), D("2")) == D("25.42")  # 2 × 12.71
    assert card.value_for("time", None, date(2026, 3, 31), D("2")) == D("24.42")  # 2 × 12.21
    assert card.value_for("time", "Shop counter", date(2024, 6, 1), D("1")) == D("11.44")


def test_uk_default_for_expertise_is_higher_than_for_time() -> None:
    card = RateCard()
    on = date(2026, 11, 3)
    assert card.rate_for("expertise", None, on).per_hour == D("18.64")
    assert card.rate_for("expertise", None, on).per_hour > card.rate_for("time", None, on).per_hour


def test_every_default_is_documented() -> None:
    assert all(r.note for r in UK_DEFAULT_RATES)


def test_role_rate_beats_kind_rate_beats_default() -> None:
    card = RateCard((
        Rate(D("15.00"), date(2026, 1, 1), role="Post Office counter"),
        Rate(D("13.00"), date(2026, 1, 1), kind="time"),
    ))
    on = date(2026, 11, 3)
    assert card.value_for("time", "Post Office counter", on, D("3")) == D("45.00")
    assert card.value_for("time", "Shop counter", on, D("3")) == D("39.00")
    assert card.value_for("expertise", "Shop counter", on, D("1")) == D("18.64")
    # before the organisation's own rates start, the defaults apply
    assert card.value_for("time", "Post Office counter", date(2025, 12, 31), D("1")) == D("12.21")


def test_latest_rate_on_or_before_the_day_applies() -> None:
    card = RateCard((
        Rate(D("20"), date(2026, 1, 1), role="Counsellor"),
        Rate(D("22"), date(2026, 7, 1), role="Counsellor"),
    ))
    assert card.rate_for("time", "Counsellor", date(2026, 6, 30)).per_hour == 20
    assert card.rate_for("time", "Counsellor", date(2026, 7, 1)).per_hour == 22


def test_money_and_in_kind_count_at_stated_value() -> None:
    card = RateCard()
    assert card.value_for("money", None, date(2026, 11, 3), D("0"), D("250.00")) == D("250.00")
    assert card.value_for("in_kind", None, date(2026, 11, 3), D("0"), D("40")) == D("40")
    with pytest.raises(ValueError, match="stated value"):
        card.value_for("money", None, date(2026, 11, 3), D("0"))


def test_reversals_value_negative() -> None:
    assert RateCard().value_for("time", None, date(2026, 11, 3), D("-1.5")) == D("-19.065")


def test_bad_rates_and_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        Rate(D("1"), date(2026, 1, 1))
    with pytest.raises(ValueError, match="exactly one"):
        Rate(D("1"), date(2026, 1, 1), role="x", kind="time")
    with pytest.raises(ValueError, match="hourly kinds"):
        Rate(D("1"), date(2026, 1, 1), kind="money")
    with pytest.raises(ValueError, match="Decimal"):
        Rate(-1, date(2026, 1, 1), kind="time")
    with pytest.raises(ValueError, match="two rates"):
        RateCard((Rate(D("1"), date(2026, 1, 1), kind="time"), Rate(D("2"), date(2026, 1, 1), kind="time")))
    with pytest.raises(ValueError, match="no rate"):
        RateCard().rate_for("time", None, date(2020, 1, 1))
    with pytest.raises(ValueError, match="no hourly rate"):
        RateCard().rate_for("donation", None, date(2026, 1, 1))
