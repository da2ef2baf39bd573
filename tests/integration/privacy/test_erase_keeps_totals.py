"""Erasure keeps every total: the ledger's sums, the live month's figures, and issued reports byte for byte."""
from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on, utc
from tests.integration.reports import dataset
from volunteers.contributions import services as contributions
from volunteers.contributions.models import Contribution
from volunteers.core.timeutil import Month
from volunteers.extensions import db as _db
from volunteers.people.models import Person
from volunteers.privacy.services import erase_member
from volunteers.reports import render
from volunteers.reports import services as reports

OCTOBER, NOVEMBER = Month(2026, 10), Month(2026, 11)
#: figures that list people by name (and e-mail): the erased show as "Former volunteer #id" there
NAMED = ("by_volunteer", "lapsed_volunteers", "thank_you", "new_volunteers")


def _renderings(org: Any, month: Month, now: Any) -> tuple:
    report = reports.monthly_report(org, month, now)
    return (report.text, report.sha256, render.document_html(report), render.csv_text(report.figures),
            render.xlsx_bytes(report.figures))


def _ledger_sums(org_id: int) -> list[tuple]:
    return [tuple(row) for row in _db.session.execute(
        select(Contribution.status, func.count(), func.sum(Contribution.hours), func.sum(Contribution.amount))
        .where(Contribution.organisation_id == org_id).group_by(Contribution.status).order_by(Contribution.status))]


def _totals(figures: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in figures.items() if k not in NAMED}
    kept["by_volunteer_hours"] = sorted(v["hours"] for v in figures["by_volunteer"])
    return kept


@pytest.fixture()
def october(db, ledger, clock):
    built = dataset.build(ledger)
    reports.issue_report(ledger.org, OCTOBER, utc(2026, 11, 1, 6), ledger.coordinator.person_id)
    november = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 11, 9), time(9), time(12))
    contributions.record_attendance(ledger.org, put_on(november, ledger.ann), utc(2026, 11, 9, 13),
                                    ledger.coordinator.person_id)
    db.session.commit()
    return built


def test_erasing_people_changes_no_issued_report_and_no_total(db, october, clock) -> None:
    ledger = october.ledger
    issued_before = _renderings(ledger.org, OCTOBER, clock.now)
    live_before = reports.monthly_report(ledger.org, NOVEMBER, clock.now).figures
    approved_before = [row for row in _ledger_sums(ledger.org.id) if row[0] == "approved"]
    rows_before = _db.session.scalar(select(func.count()).select_from(Contribution))
    assert "Ann Archer" in issued_before[0] and "Bob Baker" in issued_before[3]

    for member in (ledger.ann, ledger.bob):  # Bob has pending self-logged hours in October
        erase_member(ledger.org, member, actor_person_id=ledger.coordinator.person_id, reason="asked to be forgotten",
                     now=clock.now, source="web")
    db.session.commit()
    _db.session.expire_all()

    assert _renderings(ledger.org, OCTOBER, clock.now) == issued_before  # JSON, hash, HTML, CSV, XLSX: same bytes
    live_after = reports.monthly_report(ledger.org, NOVEMBER, clock.now).figures
    assert _totals(live_after) == _totals(live_before)
    assert live_after["thank_you"] == [f"Former volunteer #{ledger.ann.person_id}"]
    assert [row for row in _ledger_sums(ledger.org.id) if row[0] == "approved"] == approved_before
    assert _db.session.scalar(select(func.count()).select_from(Contribution)) == rows_before  # nothing deleted
    bob_pending = _db.session.get(Contribution, october.bob_pending_id)
    assert bob_pending is not None and bob_pending.status == "rejected" and bob_pending.decided_at == clock.now
    assert bob_pending.membership_id == ledger.bob.id  # the entry still says whose it was
    ann = _db.session.get(Person, ledger.ann.person_id)
    assert ann is not None and ann.name == f"Former volunteer #{ann.id}"


def test_a_month_issued_after_an_erasure_shows_the_former_volunteer_with_the_same_hours(db, october, clock) -> None:
    ledger = october.ledger
    before = reports.monthly_report(ledger.org, NOVEMBER, clock.now).figures["by_volunteer"]
    erase_member(ledger.org, ledger.ann, actor_person_id=None, reason="retention", now=clock.now, source="job")
    db.session.commit()
    issued = reports.issue_report(ledger.org, NOVEMBER, utc(2026, 12, 1, 6), None)
    assert f"Former volunteer #{ledger.ann.person_id}" in issued.figures_json
    assert "Ann Archer" not in issued.figures_json and "ann@tackley.example" not in issued.figures_json
    after = reports.monthly_report(ledger.org, NOVEMBER, utc(2026, 12, 2)).figures["by_volunteer"]
    assert [row["hours"] for row in after] == [row["hours"] for row in before]
