"""Issuing freezes a month: it re-renders byte for byte forever; later entries are next month's adjustments."""
from __future__ import annotations

import hashlib
import json
from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on, utc
from tests.integration.reports import dataset
from volunteers.contributions import rates, services
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry
from volunteers.core.timeutil import Month
from volunteers.reports import render
from volunteers.reports import services as reports
from volunteers.reports.domain.canonical import figures_hash
from volunteers.reports.models import MonthlyReport

ISSUED = utc(2026, 11, 1, 6)


def _all_renderings(org, month: Month, now) -> tuple:
    report = reports.monthly_report(org, month, now)
    return (report.text, report.sha256, render.document_html(report), render.csv_text(report.figures),
            render.xlsx_bytes(report.figures))


@pytest.fixture()
def issued(db, ledger):
    built = dataset.build(ledger)
    stored = reports.issue_report(ledger.org, Month(2026, 10), ISSUED, ledger.coordinator.person_id)
    db.session.commit()
    return built, stored


def test_issuing_stores_the_canonical_figures_and_their_hash(db, issued) -> None:
    _, stored = issued
    assert stored.figures_hash == hashlib.sha256(stored.figures_json.encode()).hexdigest()
    assert stored.figures_hash == figures_hash(json.loads(stored.figures_json))
    figures = json.loads(stored.figures_json)
    assert figures["hours"] == 29.5 and figures["value"] == 473.0 and figures["organisation"] == "tackley"
    action = db.session.scalar(select(AuditLogEntry.action).where(AuditLogEntry.target_id == stored.id))
    assert action == "reports.issue"


def test_an_issued_month_re_renders_byte_for_byte_after_new_entries(db, issued) -> None:
    october, stored = issued
    ledger = october.ledger
    before = _all_renderings(ledger.org, Month(2026, 10), utc(2026, 11, 2))
    # later: Bob's pending hours are approved, a forgotten shift is marked, a rate changes
    services.decide(ledger.org, [october.bob_pending_id], "approved", ledger.coordinator.person_id, utc(2026, 11, 3))
    late = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 30), time(9), time(12))
    services.record_attendance(ledger.org, put_on(late, ledger.cat), utc(2026, 11, 4))
    rates.add_rate(ledger.org, value_per_hour="20", effective_from=date(2026, 10, 1), kind="time")
    db.session.commit()
    after = _all_renderings(ledger.org, Month(2026, 10), utc(2027, 3, 1))
    assert after == before
    assert reports.issue_report(ledger.org, Month(2026, 10), utc(2026, 12, 1), None).id == stored.id


def test_late_entries_show_as_adjustments_in_the_next_report(db, issued) -> None:
    october, _ = issued
    ledger = october.ledger
    services.decide(ledger.org, [october.bob_pending_id], "approved", ledger.coordinator.person_id, utc(2026, 11, 3))
    late = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 30), time(9), time(12))
    services.record_attendance(ledger.org, put_on(late, ledger.cat), utc(2026, 11, 4))
    db.session.commit()
    november = reports.issue_report(ledger.org, Month(2026, 11), utc(2026, 12, 1, 6), None)
    figures = json.loads(november.figures_json)
    # 3 h logged by Bob + a 3 h shift by Cat, both at £12.71
    assert figures["adjustments"] == [{"month": "2026-10", "entries": 2, "hours": 6.0, "value": 76.26}]
    assert figures["hours"] == 0  # none of it is November's own
    assert figures["comparisons"]["previous_month"]["changes"]["hours"]["base"] == 29.5  # as issued
    december = reports.monthly_report(ledger.org, Month(2026, 12), utc(2027, 1, 1, 6))
    assert december.figures["adjustments"] == []  # shown once, in the first report after


def test_a_month_cannot_be_issued_before_it_is_over(db, ledger) -> None:
    with pytest.raises(ServiceError, match="over"):
        reports.issue_report(ledger.org, Month(2026, 11), utc(2026, 11, 30, 23, 59), None)
    with pytest.raises(ServiceError):
        reports.issue_report(ledger.org, Month(9999, 12), utc(2027, 1, 1), None)  # never ends
    assert db.session.scalar(select(func.count()).select_from(MonthlyReport)) == 0


def test_a_draft_is_marked_as_such_and_follows_the_ledger(db, ledger) -> None:
    dataset.build(ledger)
    db.session.commit()
    draft = reports.monthly_report(ledger.org, Month(2026, 10), utc(2026, 11, 1, 5, 30))
    assert draft.issued is None and "Draft" in render.document_html(draft)
    assert Decimal(str(draft.figures["hours"])) == dataset.EXPECTED_HOURS


def test_the_report_document_has_its_charts_inline(db, issued) -> None:
    october, _ = issued
    html = render.document_html(reports.monthly_report(october.ledger.org, Month(2026, 10), ISSUED))
    assert html.count("<svg") == 3 and "<script" not in html and "Hours by role" in html
    assert "Issued 1 Nov 2026, 06:00 (Europe/London)" in html
    assert "Adjustments to earlier months" not in html
