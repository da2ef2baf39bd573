"""Self-logged hours wait for approval; decisions in bulk; reversals; gifts; the rate card."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_role, utc
from tests.integration.reports.helpers import make_ledger_org
from volunteers.contributions import rates, services
from volunteers.contributions.ledger import record_contribution
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry

NOW = utc(2026, 11, 2, 10)


def test_logged_hours_wait_for_approval_at_noon_local_time(db, ledger) -> None:
    entry = services.log_hours(ledger.org, ledger.ann, date(2026, 10, 31), "2.5", ledger.shop.id, " stock take ", NOW)
    assert (entry.status, entry.hours, entry.note, entry.decided_at) == ("pending", Decimal("2.50"), "stock take", None)
    assert entry.occurred_at == utc(2026, 10, 31, 12) and entry.occurred_on == date(2026, 10, 31)


@pytest.mark.parametrize("day, hours, role, note, field", [
    (date(2026, 11, 3), "2", None, None, "day"),
    (date(2025, 10, 1), "2", None, None, "day"),
    (date(2026, 11, 1), "0", None, None, "hours"),
    (date(2026, 11, 1), "-1", None, None, "hours"),
    (date(2026, 11, 1), "25", None, None, "hours"),
    (date(2026, 11, 1), "two", None, None, "hours"),
    (date(2026, 11, 1), "2", "other", None, "role_id"),
    (date(2026, 11, 1), "2", None, "x" * 501, "note"),
])
def test_bad_logged_hours_are_refused_naming_the_field(db, ledger, day, hours, role, note, field) -> None:
    role_id = make_role(make_ledger_org("other").org, "Elsewhere").id if role else None
    with pytest.raises(ServiceError) as error:
        services.log_hours(ledger.org, ledger.ann, day, hours, role_id, note, NOW)
    assert error.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_approve_and_reject_in_bulk_decide_each_entry_once(db, ledger) -> None:
    ids = [services.log_hours(ledger.org, m, date(2026, 11, 1), "1.5", None, None, NOW).id
           for m in (ledger.ann, ledger.bob, ledger.cat)]
    coordinator = ledger.coordinator.person_id
    assert services.decide(ledger.org, ids[:2], "approved", coordinator, NOW) == 2
    assert services.decide(ledger.org, ids, "rejected", coordinator, NOW) == 1
    db.session.commit()
    statuses = dict(db.session.execute(select(Contribution.id, Contribution.status)).all())
    assert [statuses[i] for i in ids] == ["approved", "approved", "rejected"]
    assert {e.approved_by_person_id for e in db.session.scalars(select(Contribution))} == {coordinator}


def test_decisions_never_reach_another_organisation(db, ledger) -> None:
    other = make_ledger_org("surestart", "Sure Start")
    theirs = services.log_hours(other.org, other.ann, date(2026, 11, 1), "2", None, None, NOW)
    assert services.decide(ledger.org, [theirs.id], "approved", ledger.coordinator.person_id, NOW) == 0


def test_a_reversal_cancels_an_entry_once_and_is_audited(db, ledger) -> None:
    gift = record_contribution(ledger.org, NOW, ledger.coordinator.person_id, kind="in_kind", stage="delivery",
                               day=date(2026, 10, 15), contributor_type="community_group",
                               contributor_name="Tackley WI", amount="30")
    reversal = services.reverse(ledger.org, gift.id, utc(2026, 11, 5), ledger.coordinator.person_id, "counted twice")
    assert (reversal.amount, reversal.occurred_on, reversal.reverses_id) == (Decimal("-30"), gift.occurred_on, gift.id)
    with pytest.raises(ServiceError, match="already"):
        services.reverse(ledger.org, gift.id, NOW, None, "again")
    with pytest.raises(ServiceError, match="cannot itself"):
        services.reverse(ledger.org, reversal.id, NOW, None, "undo")
    pending = services.log_hours(ledger.org, ledger.ann, date(2026, 11, 1), "1", None, None, NOW)
    with pytest.raises(ServiceError, match="reject"):
        services.reverse(ledger.org, pending.id, NOW, None, "no")
    db.session.commit()
    audit = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "contributions.reverse"))
    assert audit.target_id == gift.id and audit.reason == "counted twice"


def test_gifts_money_and_a_groups_time_are_recorded_approved(db, ledger) -> None:
    money = record_contribution(ledger.org, NOW, None, kind="money", stage="commissioning", day=date(2026, 10, 1),
                                contributor_type="community_group", contributor_name="Parish council", amount="500")
    time_given = record_contribution(ledger.org, NOW, None, kind="time", stage="planning", day=date(2026, 10, 2),
                                     membership_id=ledger.bob.id, contributor_name="ignored", hours="3")
    assert (money.status, money.amount, money.hours) == ("approved", Decimal("500.00"), Decimal(0))
    assert (time_given.contributor_name, time_given.hours, time_given.amount) == (None, Decimal("3.00"), Decimal(0))
    for bad, field in (({"kind": "money", "amount": "0"}, "amount"), ({"kind": "time", "hours": None}, "hours"),
                       ({"kind": "gold"}, "kind"), ({"kind": "money", "amount": "5", "contributor_name": ""},
                                                     "contributor_name")):
        kw = {"stage": "delivery", "day": date(2026, 10, 1), "contributor_name": "X", **bad}
        with pytest.raises(ServiceError) as error:
            record_contribution(ledger.org, NOW, None, **kw)
        assert error.value.field == field


def test_the_rate_card_prefers_the_role_then_the_kind_then_the_uk_default(db, ledger) -> None:
    rates.add_rate(ledger.org, value_per_hour="15", effective_from=date(2026, 10, 15), role_id=ledger.post_office.id)
    rates.add_rate(ledger.org, value_per_hour="13.50", effective_from=date(2026, 9, 1), kind="time")
    card = rates.rate_card(ledger.org)
    assert rates.hourly_rate(card, "time", "Post Office counter", date(2026, 10, 15)) == Decimal("15.00")
    assert rates.hourly_rate(card, "time", "Post Office counter", date(2026, 10, 14)) == Decimal("13.50")
    assert rates.hourly_rate(card, "time", "Shop counter", date(2026, 8, 31)) == Decimal("12.71")
    assert rates.hourly_rate(card, "expertise", None, date(2026, 10, 1)) == Decimal("18.64")
    assert rates.hourly_rate(card, "time", None, date(2020, 1, 1)) == Decimal("10.42")  # before every rate
    assert rates.value_of(card, "in_kind", None, date(2026, 10, 1), Decimal(0), Decimal("30")) == Decimal("30")


@pytest.mark.parametrize("kw, field", [
    ({"value_per_hour": "-1", "kind": "time"}, "value_per_hour"),
    ({"value_per_hour": "abc", "kind": "time"}, "value_per_hour"),
    ({"value_per_hour": "12"}, "target"),
    ({"value_per_hour": "12", "kind": "money"}, "target"),
])
def test_bad_rates_are_refused(db, ledger, kw, field) -> None:
    with pytest.raises(ServiceError) as error:
        rates.add_rate(ledger.org, effective_from=date(2026, 10, 1), **kw)
    assert error.value.field == field


def test_the_same_rate_twice_is_refused_and_a_rate_can_be_removed(db, ledger) -> None:
    entry = rates.add_rate(ledger.org, value_per_hour="13", effective_from=date(2026, 10, 1), kind="time")
    with pytest.raises(ServiceError, match="already"):
        rates.add_rate(ledger.org, value_per_hour="14", effective_from=date(2026, 10, 1), kind="time")
    other = make_ledger_org("other")
    assert rates.remove_rate(other.org, entry.id) is False
    assert rates.remove_rate(ledger.org, entry.id) is True
