"""On-call (stand-by) hours are valued at a share of their role's rate: 25% unless the organisation says otherwise."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.factories import make_org, make_role
from volunteers.contributions.rates import add_rate, hourly_rate, rate_card, set_standby_percent

NOV = date(2026, 11, 3)


def test_an_on_call_hour_is_a_quarter_of_the_role_rate_by_default(db) -> None:
    org = make_org()
    make_role(org, "Helpline on call", on_call=True)
    make_role(org, "Shop counter")
    db.session.flush()
    card = rate_card(org)
    assert hourly_rate(card, "time", "Shop counter", NOV) == Decimal("12.71")  # National Living Wage 2026/27
    assert hourly_rate(card, "time", "Helpline on call", NOV) == Decimal("12.71") * Decimal("0.25")


def test_the_stand_by_share_applies_to_the_role_s_own_rate(db) -> None:
    org = make_org()
    helpline = make_role(org, "Helpline on call", on_call=True)
    add_rate(org, value_per_hour="20", effective_from=date(2026, 1, 1), role_id=helpline.id)
    assert set_standby_percent(org, "50") == (Decimal(25), Decimal(50))
    assert set_standby_percent(org, "50.00") is None  # unchanged
    assert hourly_rate(rate_card(org), "time", "Helpline on call", NOV) == Decimal("10.00")
