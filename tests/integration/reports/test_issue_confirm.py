"""Issuing asks once: the confirmation says the month freezes for good and how many recipients are e-mailed."""
from __future__ import annotations

from sqlalchemy import func, select

from volunteers.mail.models import OutboxMessage
from volunteers.reports.models import MonthlyReport


def test_issue_asks_first_and_says_the_month_freezes_for_good(client, auth, db, ledger, clock) -> None:
    auth.login("coordinator@tackley.example")
    client.post("/reports/recipients", data={"recipients": "chair@tackley.example, treasurer@tackley.example"})
    monthly = client.get("/reports/monthly/2026-10").get_data(as_text=True)
    assert "Issue the report now" in monthly

    asked = client.post("/reports/monthly/2026-10/issue", data={"send": "1"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "This freezes October 2026 for good: the figures can't change afterwards." in page
    assert "It will be e-mailed to 2 recipients" in page
    assert 'name="confirm" value="1"' in page and 'name="send" value="1"' in page
    assert " style=" not in page and "<style" not in page and "<script>" not in page  # strict CSP
    assert db.session.scalar(select(func.count()).select_from(MonthlyReport)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0

    without_mail = client.post("/reports/monthly/2026-10/issue").get_data(as_text=True)
    assert "Nobody is e-mailed" in without_mail

    # a month not over yet is refused at the first step, as the service would
    assert client.post("/reports/monthly/2026-11/issue").status_code == 303

    done = client.post("/reports/monthly/2026-10/issue", data={"send": "1", "confirm": "1"})
    assert done.status_code == 302
    assert db.session.scalars(select(MonthlyReport.month)).all() == ["2026-10"]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    again = client.post("/reports/monthly/2026-10/issue")
    assert again.status_code == 303 and "already issued" in client.get(again.location).get_data(as_text=True)
