"""Issuing and sending reports, their recipients and their downloads (they name volunteers) are audited."""
from __future__ import annotations

from sqlalchemy import select

from volunteers.extensions import db
from volunteers.reports.models import MonthlyReport

from .conftest import expect
from .coverage import audits


@audits("reports.issue", "reports.recipients")
def test_recipients_issue_send_and_download(client, desk, clock) -> None:
    t = desk.t
    assert client.post("/reports/recipients", data={"recipients": "treasurer@example.org, chair@example.org"}
                       ).status_code == 302
    setting = expect(t.org, "settings.report_recipients", t.coordinator, "organisation", t.org.id, clock.now)
    assert setting.details == {"recipients": 2}  # how many, never whose addresses
    assert client.post("/reports/monthly/2026-10/issue", data={"send": "1", "confirm": "1"}).status_code == 302
    report = db.session.scalar(select(MonthlyReport))
    issued = expect(t.org, "reports.issue", t.coordinator, "monthly_report", report.id, clock.now)
    assert issued.details["month"] == "2026-10"
    sent = expect(t.org, "reports.send", t.coordinator, "monthly_report", report.id, clock.now)
    assert sent.details == {"month": "2026-10", "recipients": 2}
    assert client.get("/reports/monthly/2026-10.xlsx").status_code == 200
    download = expect(t.org, "reports.export", t.coordinator, "monthly_report", report.id, clock.now)
    assert download.details == {"month": "2026-10", "format": "xlsx", "issued": True}


def test_opening_someone_elses_statement_is_audited_but_ones_own_is_not(client, desk, clock) -> None:
    t = desk.t
    assert client.get(f"/me/statement?member={t.volunteer.id}&month=2026-11").status_code == 200
    viewed = expect(t.org, "people.statement_view", t.coordinator, "membership", t.volunteer.id, clock.now)
    assert viewed.details["start"] == "2026-11-01T00:00:00+00:00"
    client.get("/me/statement?month=2026-11")
    expect(t.org, "people.statement_view", t.coordinator, "membership", t.volunteer.id, clock.now)  # still one
