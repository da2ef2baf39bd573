"""The monthly figures from the database, checked to 0.01 h against numbers worked out in the test."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import event

from tests.factories import utc
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from volunteers.core.timeutil import Month
from volunteers.reports.figures import live_figures

AS_OF = utc(2026, 11, 1, 6)


def d(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture()
def october(db, ledger):
    built = dataset.build(ledger)
    db.session.commit()
    return built


def test_hours_and_value_of_the_month(october) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    assert Decimal("29.5") == dataset.EXPECTED_HOURS
    assert f["hours"] == dataset.EXPECTED_HOURS
    assert f["value"] == dataset.EXPECTED_VALUE.quantize(Decimal("0.01"))
    assert f["value"] == Decimal("473.00")


def test_hours_per_volunteer_and_who_is_active(october) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    assert {p["name"]: p["hours"] for p in f["by_volunteer"]} == dataset.EXPECTED_BY_VOLUNTEER
    assert f["active_volunteers"] == 5 and f["volunteer_hours"] == Decimal("29.5")
    assert [p["email"] for p in f["by_volunteer"]][0] == "ann@tackley.example"
    assert f["median_hours"] == Decimal("4.00")
    assert [p["name"] for p in f["new_volunteers"]] == ["Ann Archer", "Bob Baker", "Cora Ordinator", "Dan Dyer"]
    assert [p["name"] for p in f["lapsed_volunteers"]] == ["Eve Evans"]
    assert "Tackley WI" in f["thank_you"] and "Mrs Patel" in f["thank_you"]


def test_breakdowns_add_up_to_the_total(october) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    assert f["by_role"] == {"Shop counter": Decimal(18), "Post Office counter": Decimal("7.5"),
                            "unspecified": Decimal(4)}
    assert f["by_site"] == {"Village hall shop": Decimal("25.5"), "unspecified": Decimal(4)}
    assert f["by_kind"] == {"time": Decimal(28), "expertise": Decimal("1.5"), "money": 0, "in_kind": 0}
    assert f["by_stage"] == {"delivery": Decimal(28), "planning": Decimal("1.5"), "commissioning": 0}
    assert f["by_contributor_type"] == {"volunteer": Decimal("29.5"), "community_group": 0, "service_user": 0}
    # time: (4 + 7 + 7 + 2.5 + 3.5 + 2 − 2) × 12.71 + 4 × 15.00
    assert f["value_by_kind"] == {"time": Decimal("365.04"), "expertise": Decimal("27.96"),
                                  "money": Decimal(50), "in_kind": Decimal(30)}
    assert f["by_week"] == {"2026-09-28": Decimal(4), "2026-10-05": Decimal("1.5"), "2026-10-12": Decimal(6),
                            "2026-10-19": Decimal(14), "2026-10-26": Decimal(4)}
    for key in ("by_role", "by_site", "by_kind", "by_stage", "by_contributor_type", "by_week"):
        assert sum(f[key].values()) == f["hours"], key
    assert sum(f["value_by_kind"].values()) == f["value"]


def test_places_and_no_shows(october) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    expected = dataset.EXPECTED_PLACES
    assert (f["places_needed"], f["places_filled"], f["no_shows"]) == (expected["needed"], expected["filled"],
                                                                        expected["no_shows"])
    assert f["fill_rate"] == Decimal("0.6000") and f["no_show_rate"] == Decimal("0.1667")
    assert f["load_warnings"] == {"raised": 1, "resolved": 0}


def test_comparisons_with_september_and_a_year_before(october) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    previous = f["comparisons"]["previous_month"]
    assert previous["month"] == "2026-09"
    assert previous["changes"]["hours"] == {"base": Decimal(4), "change": Decimal("25.5"), "percent": Decimal("637.5")}
    assert previous["changes"]["value"]["base"] == Decimal("50.84")
    assert previous["changes"]["active_volunteers"]["base"] == 1
    assert previous["changes"]["places_needed"]["base"] == 1
    assert f["comparisons"]["same_month_last_year"]["changes"]["hours"]["base"] == 0


def test_september_and_november_keep_their_own_shifts(october) -> None:
    september = live_figures(october.ledger.org, Month(2026, 9), AS_OF)
    assert september["hours"] == Decimal(4) and september["places_needed"] == 1
    november = live_figures(october.ledger.org, Month(2026, 11), AS_OF)
    assert november["hours"] == 0 and november["places_needed"] == 2 and november["places_filled"] == 0


def test_pending_and_rejected_hours_never_count(october, db) -> None:
    f = live_figures(october.ledger.org, Month(2026, 10), AS_OF)
    assert "Bob Baker" in {p["name"] for p in f["by_volunteer"]}
    assert {p["name"]: p["hours"] for p in f["by_volunteer"]}["Bob Baker"] == 4  # not 4 + 3 pending


def test_entries_approved_after_as_of_are_left_out(october) -> None:
    before = live_figures(october.ledger.org, Month(2026, 10), utc(2026, 11, 1, 4, 59))
    assert before["hours"] == 0 and before["places_needed"] == 10


def test_another_organisation_sees_none_of_it(october, db) -> None:
    other = make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    f = live_figures(other.org, Month(2026, 10), AS_OF)
    assert f["hours"] == 0 and f["by_volunteer"] == [] and f["places_needed"] == 0


def _statements(db, run) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_report_takes_the_same_number_of_queries_whatever_the_size(db, ledger) -> None:
    dataset.build(ledger)
    db.session.commit()
    small = _statements(db, lambda: live_figures(ledger.org, Month(2026, 10), AS_OF))
    from datetime import date, time

    from tests.factories import make_member, make_shift, put_on
    from volunteers.contributions import services

    for i in range(30):
        member = make_member(ledger.org, f"extra{i}@tackley.example", name=f"Extra {i}")
        shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 1 + i % 28), time(14), time(17))
        services.record_attendance(ledger.org, put_on(shift, member), dataset.DECIDED)
    db.session.commit()
    large = _statements(db, lambda: live_figures(ledger.org, Month(2026, 10), AS_OF))
    assert large == small <= 12
